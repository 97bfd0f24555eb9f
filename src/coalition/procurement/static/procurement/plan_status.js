// The plan page while the optimiser works (no inline script): asks the API for the run
// every second, shows its status (queued, running) on the badge and the solver's progress
// in the reader's language and number format, and reloads the page once the run is over.
(function () {
  "use strict";
  const badge = document.getElementById("run-status");
  const line = document.getElementById("run-progress");
  if (!badge || !line) return;
  const lang = document.documentElement.lang || "en";
  const figure = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 3 });
  const shown = (value, format) => (value === null || value === undefined ? "–" : format.format(value));

  function showStatus(status) {
    if (badge.dataset.status === status) return;
    badge.classList.remove("status-" + badge.dataset.status);
    badge.classList.add("status-" + status);
    badge.dataset.status = status;
    badge.textContent = badge.getAttribute("data-label-" + status) || status;
  }

  function showProgress(p) {
    if (!p || p.elapsed === undefined) return;
    const stage = String(p.stage || "").endsWith("cost") ? line.dataset.cost : line.dataset.value;
    line.textContent = [
      stage,
      `${figure.format(p.elapsed)} s`,
      `${line.dataset.incumbent} ${shown(p.incumbent, figure)}`,
      `${line.dataset.bound} ${shown(p.bound, figure)}`,
      `${line.dataset.gap} ${shown(p.gap, percent)}`,
    ].join(" · ");
  }

  function poll() {
    fetch(badge.dataset.url, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((run) => {
        showStatus(run.status);
        if (run.status !== "queued" && run.status !== "running") {
          location.reload();
          return;
        }
        showProgress(run.progress);
        setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 2000));
  }
  poll();
})();
