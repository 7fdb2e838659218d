"""Command line: thin click commands over the library. Library errors become a message
on stderr and exit code 1; click's own usage errors exit 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from analyzer import __version__
from analyzer.errors import AnalyzerError

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

MI_M = 1609.344


def units_option(f: F) -> F:
    """``--units``, shared by every command that shows distances."""
    return click.option(
        "--units",
        type=click.Choice(["mi", "km"]),
        default=None,
        help="Distance units: mi (miles, min/mile) or km. Default: the profile's, else mi.",
    )(f)


class AppState:
    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="analyzer")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ANALYZER_DATA",
    default=None,
    help="Data folder (catalog and streams). Default: $ANALYZER_DATA, else the XDG data folder.",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """Running exports and Achilles symptoms, analysed on your own machine.

    \b
    Example:
      analyzer inspect run.fit
    """
    ctx.obj = AppState(data_dir)


def fail(exc: AnalyzerError) -> click.ClickException:
    return click.ClickException(str(exc))


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, for scripts.")
@units_option
def inspect(file: Path, as_json: bool, units: str | None) -> None:
    """Read one activity file (FIT, GPX, TCX, also .gz) without the store.

    \b
    Example:
      analyzer inspect morning-run.fit --units km
      analyzer inspect morning-run.fit --json | jq .activities[0].distance_m
    """
    from analyzer import pipeline, textout

    try:
        report = pipeline.inspect_file(file)
    except AnalyzerError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report, indent=2, allow_nan=False))
    else:
        click.echo(textout.inspect_report(report, units or "mi"))


def main() -> None:
    """Console entry point."""
    cli.main(prog_name="analyzer", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
