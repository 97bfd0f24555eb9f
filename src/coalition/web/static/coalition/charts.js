/* Draws the page's charts. Each chart is an empty <div class="plotly-graph-div" id="ID">
   and its figure in a <script type="application/json" data-plotly="ID"> block
   (coalition/web/charts.py). This file is loaded with `defer` (web/_plotly.html); once
   the page has loaded, it loads plotly.js (its basic bundle: bars and lines, 1.2 MB, from
   this server, gzipped and cached)
   from its own `data-plotly-src`, then draws every chart and marks "charts-drawn" in the
   performance timeline. The page's text and tables never wait for plotly. */
(function () {
  "use strict";
  var blocks = document.querySelectorAll('script[type="application/json"][data-plotly]');
  var source = document.currentScript && document.currentScript.getAttribute("data-plotly-src");
  if (!blocks.length || !source) {
    return;
  }

  function draw() {
    var drawn = [];
    Array.prototype.forEach.call(blocks, function (block) {
      var target = document.getElementById(block.getAttribute("data-plotly"));
      if (target) {
        var figure = JSON.parse(block.textContent);
        drawn.push(window.Plotly.newPlot(target, figure.data, figure.layout, figure.config));
      }
    });
    Promise.all(drawn).then(function () {
      performance.mark("charts-drawn");
    });
  }

  function load() {
    if (window.Plotly) {
      draw();
      return;
    }
    var script = document.createElement("script");
    script.src = source;
    script.onload = draw;
    document.head.appendChild(script);
  }

  if (document.readyState === "complete") {
    load();
  } else {
    window.addEventListener("load", load);
  }
})();
