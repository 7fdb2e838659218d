"""Weekly HTML reports: plotly figures and Jinja2 pages, built from weekly/ frames."""
