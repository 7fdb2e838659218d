/* Draws the figures of a report page. Each <div class="figure" data-figure="ID"> has its
   plotly JSON in <script type="application/json" id="ID">: no inline script, so the page
   can keep a strict Content-Security-Policy. */
(function () {
  "use strict";
  var PRINT_WIDTH = 680; // px: an A4 page less its margins
  var NARROW = 560; // px: below this a figure draws its layout.meta.narrow overrides
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  var sources = new WeakMap();

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  // dicts merged key by key, anything else (lists included) replaced: figures.narrow_variant
  function merge(base, over) {
    if (!isObject(base) || !isObject(over)) { return over; }
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(over).forEach(function (k) { out[k] = k in base ? merge(base[k], over[k]) : over[k]; });
    return out;
  }

  function variant(fig, narrow) {
    var n = narrow && fig.layout.meta && fig.layout.meta.narrow;
    if (!n) { return fig; }
    var traces = n.traces || {};
    return {
      data: fig.data.map(function (t, i) { return traces[i] ? merge(t, traces[i]) : t; }),
      layout: merge(fig.layout, n.layout || {})
    };
  }

  function isNarrow(div) { return div.clientWidth > 0 && div.clientWidth < NARROW; }

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    if (!source) { return; }
    var fig = JSON.parse(source.textContent);
    var narrow = isNarrow(div);
    sources.set(div, { fig: fig, narrow: narrow });
    var shown = variant(fig, narrow);
    window.Plotly.newPlot(div, shown.data, shown.layout, config);
  }

  // a phone turned sideways crosses the breakpoint: redraw with the other labels
  var printing = false;

  function redrawCrossed() {
    if (printing) { return; }
    all().forEach(function (div) {
      var s = sources.get(div);
      if (!s || !div.data) { return; }
      var narrow = isNarrow(div);
      if (narrow === s.narrow) { return; }
      s.narrow = narrow;
      var shown = variant(s.fig, narrow);
      window.Plotly.react(div, shown.data, shown.layout, config);
    });
  }

  function all() {
    return Array.prototype.slice.call(document.querySelectorAll("div.figure[data-figure]"));
  }

  function resize(width) {
    printing = width !== null;
    all().forEach(function (div) {
      if (div.data) { window.Plotly.relayout(div, { width: width, autosize: width === null }); }
    });
  }

  // label each cell of a table.reflow with its column heading, so that on a phone the
  // stylesheet can show each row as a card of "heading: value" lines (table.reflowed)
  function labelCells() {
    Array.prototype.forEach.call(document.querySelectorAll("table.reflow"), function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i]) { td.setAttribute("data-label", heads[i]); }
        });
      });
      table.classList.add("reflowed");
    });
  }

  function start() {
    labelCells();
    if (!window.Plotly) {
      all().forEach(function (div) { div.textContent = "Charts need assets/plotly.min.js next to this page."; });
      return;
    }
    all().forEach(draw);
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(redrawCrossed, 150);
    });
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
