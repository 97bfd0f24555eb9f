/* Draws the page's charts once plotly.js is there. Each chart is an empty
   <div class="plotly-graph-div" id="ID"> and its figure in a
   <script type="application/json" data-plotly="ID"> block (coalition/web/charts.py).
   This file and plotly.min.js are loaded with `defer` (web/_plotly.html): the page
   shows first, then plotly runs, then this draws every chart, in document order. */
(function () {
  "use strict";
  if (!window.Plotly) {
    return;
  }
  var blocks = document.querySelectorAll('script[type="application/json"][data-plotly]');
  Array.prototype.forEach.call(blocks, function (block) {
    var target = document.getElementById(block.getAttribute("data-plotly"));
    if (!target) {
      return;
    }
    var figure = JSON.parse(block.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
  });
})();
