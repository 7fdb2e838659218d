/* Draws the figures of a report page. Each <div class="figure" data-figure="ID"> has its
   plotly JSON in <script type="application/json" id="ID">: no inline script, so the page
   can keep a strict Content-Security-Policy. */
(function () {
  "use strict";
  var PRINT_WIDTH = 680; // px: an A4 page less its margins
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    if (!source) { return; }
    var fig = JSON.parse(source.textContent);
    window.Plotly.newPlot(div, fig.data, fig.layout, config);
  }

  function all() {
    return Array.prototype.slice.call(document.querySelectorAll("div.figure[data-figure]"));
  }

  function resize(width) {
    all().forEach(function (div) {
      if (div.data) { window.Plotly.relayout(div, { width: width, autosize: width === null }); }
    });
  }

  function start() {
    if (!window.Plotly) {
      all().forEach(function (div) { div.textContent = "Charts need assets/plotly.min.js next to this page."; });
      return;
    }
    all().forEach(draw);
    window.addEventListener("beforeprint", function () { resize(PRINT_WIDTH); });
    window.addEventListener("afterprint", function () { resize(null); });
    // print previews and emulated print media fire this rather than beforeprint
    var print = window.matchMedia && window.matchMedia("print");
    if (print && print.addEventListener) {
      print.addEventListener("change", function (e) { resize(e.matches ? PRINT_WIDTH : null); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
