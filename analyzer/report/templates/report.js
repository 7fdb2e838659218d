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

  // px: axis titles may widen a margin past layout.margin (automargin), so labels are
  // planned for a plot this much narrower than the margins alone leave
  var LABEL_SLACK = 12;

  function margin(layout, side) {
    var m = layout.margin || {};
    return typeof m[side] === "number" ? m[side] : 80; // plotly's default
  }

  // layout.meta.labels (figures.label_steps): the annotations' texts by plot width; the
  // last step the plot reaches wins, and "" hides a label (figures.labelled_variant)
  function labelStep(fig, plotWidth) {
    var steps = fig.layout.meta && fig.layout.meta.labels;
    if (!steps) { return -1; }
    var k = 0;
    steps.px.forEach(function (px, i) { if (px <= plotWidth) { k = i; } });
    return k;
  }

  function withLabels(shown, fig, k) {
    if (k < 0) { return shown; }
    var texts = fig.layout.meta.labels.text[k];
    var layout = merge(shown.layout, {});
    layout.annotations = (shown.layout.annotations || []).map(function (a, i) {
      var note = merge(a, {});
      note.text = texts[i] || a.text;
      note.visible = Boolean(texts[i]);
      return note;
    });
    return { data: shown.data, layout: layout };
  }

  // the figure as drawn in a div ``width`` px wide, and a key that changes when it would
  function plan(fig, width) {
    var narrow = width > 0 && width < NARROW;
    var shown = variant(fig, narrow);
    var k = labelStep(fig, width - margin(shown.layout, "l") - margin(shown.layout, "r") - LABEL_SLACK);
    return { key: narrow + "/" + k, shown: withLabels(shown, fig, k) };
  }

  // a fresh copy of the figure for every draw: plotly keeps the objects it is handed as
  // the div's own and changes them (its resize deletes layout.height)
  function figureOf(text) { return JSON.parse(text); }

  // the div as tall as the figure: plotly's own resize (responsive) drops layout.height and
  // takes the div's height instead, which without this was its min-height (120 px): after
  // a phone was turned, or a window narrowed, every chart came out squashed and clipped
  function fit(div, layout) {
    if (typeof layout.height === "number") { div.style.height = layout.height + "px"; }
  }

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    if (!source) { return; }
    var text = source.textContent;
    var p = plan(figureOf(text), div.clientWidth);
    sources.set(div, { text: text, key: p.key });
    fit(div, p.shown.layout);
    window.Plotly.newPlot(div, p.shown.data, p.shown.layout, config);
  }

  // a phone turned sideways crosses the breakpoint, or a chart gets room for more labels:
  // redraw with the other labels
  var printing = false;

  function redrawCrossed() {
    if (printing) { return; }
    all().forEach(function (div) {
      var s = sources.get(div);
      if (!s || !div.data) { return; }
      var p = plan(figureOf(s.text), div.clientWidth);
      if (p.key === s.key) { return; }
      s.key = p.key;
      fit(div, p.shown.layout);
      window.Plotly.react(div, p.shown.data, p.shown.layout, config);
    });
  }

  function all() {
    return Array.prototype.slice.call(document.querySelectorAll("div.figure[data-figure]"));
  }

  // width: the print width, or null back to the screen's; the labels follow the width
  function resize(width) {
    printing = width !== null;
    all().forEach(function (div) {
      var s = sources.get(div);
      if (!div.data || !s) { return; }
      var p = plan(figureOf(s.text), width === null ? div.clientWidth : width);
      if (p.key === s.key) {
        window.Plotly.relayout(div, { width: width, autosize: width === null });
        return;
      }
      s.key = p.key;
      fit(div, p.shown.layout);
      var layout = merge(p.shown.layout, { width: width, autosize: width === null });
      window.Plotly.react(div, p.shown.data, layout, config);
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

  // a table wider than its card scrolls inside it: mark the box so it shows as one
  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      wrap.classList.toggle("scrolls", wrap.scrollWidth > wrap.clientWidth + 1);
    });
  }

  function start() {
    labelCells();
    markScrolling();
    window.addEventListener("resize", markScrolling);
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
