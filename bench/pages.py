"""Benchmark of the main pages in a real browser (issue 12, "fast pages"): a fresh SQLite
demo with its purchase exercise, served by `coalition serve` (gunicorn + whitenoise, as
`make run` does), each page loaded by Chromium (Playwright, as tests/e2e do) on its first
visit (a new browser context: empty cache, the session cookie only) and warm (a reload),
timed by the Navigation Timing API: DOMContentLoaded, load (loadEventEnd, after plotly
and the charts), and the first contentful paint. Figures are medians of COLD and WARM
loads per page. The baselines, from the same server in the same run: a bare static HTML
page, and a bare page that loads plotly.js as the pages did before (render-blocking in
the head, uncompressed, the full 4.8 MB bundle from /vendor/plotly.min.js) against the
way they load it now (the 1.2 MB basic bundle, hashed, gzipped, long-cached, `defer`).

    .venv/bin/python bench/pages.py [--cold 2] [--warm 3]

Aims: every page's load under 300 ms warm and under 1.5 s on its first visit.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
SLUG = "/coalitions/drone-coalition"
WARM_AIM_MS, COLD_AIM_MS = 300, 1500
CHARTS = "document.querySelector('script[data-plotly]') === null"
CHARTS += " || performance.getEntriesByName('charts-drawn').length > 0"
TIMING = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const p = performance.getEntriesByName('first-contentful-paint')[0];
  const bytes = performance.getEntriesByType('resource')
    .reduce((sum, r) => sum + r.transferSize, n.transferSize);
  const drawn = performance.getEntriesByName('charts-drawn')[0];
  return {ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          fcp: p ? p.startTime : null, charts: drawn ? drawn.startTime : null, bytes: bytes};
}"""
BARE = "<!doctype html><html><head><title>bare</title></head><body><p>bare</p></body></html>"
PLOTLY_PAGE = (
    "<!doctype html><html><head><title>plotly</title>{script}</head>"
    "<body><p>plotly.js only</p></body></html>"
)


def _coalition(home: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COALITION_HOME"] = str(home)
    env["COALITION_REQUIRE_2FA"] = "0"  # the demo's logins, as under `make run`
    done = subprocess.run(
        [str(BIN / "coalition"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ids(home: Path) -> dict[str, str]:
    """The first fund, plan run and order of the demo, read from its database."""
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='coalition.settings';"
        "django.setup();"
        "from coalition.finance.models import Fund;"
        "from coalition.procurement.models import Order, PlanRun;"
        "print(json.dumps({'fund': Fund.objects.order_by('id').first().pk,"
        "'run': PlanRun.objects.order_by('id').first().pk,"
        "'order': Order.objects.order_by('id').first().reference}))"
    )
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}}
    env["COALITION_HOME"] = str(home)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return {k: str(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def _baselines(home: Path) -> None:
    """Static pages beside the collected files (whitenoise serves what is there at start)."""
    static = home / "static"
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    (static / "bench-bare.html").write_text(BARE)
    before = '<script src="/vendor/plotly.min.js"></script>'
    after = f'<script src="/static/{manifest["vendor/plotly-basic.min.js"]}" defer></script>'
    (static / "bench-plotly-before.html").write_text(PLOTLY_PAGE.format(script=before))
    (static / "bench-plotly-now.html").write_text(PLOTLY_PAGE.format(script=after))


def _serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COALITION_HOME"] = str(home)
    env["COALITION_REQUIRE_2FA"] = "0"  # the demo's logins, as `make run` serves them
    server = subprocess.Popen(
        [str(BIN / "coalition"), "serve", "--port", str(port), "--task-workers", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/bench-bare.html", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer")


def _cookies(browser: Any, site: str, username: str) -> list[dict[str, Any]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    cookies: list[dict[str, Any]] = context.cookies()
    context.close()
    return cookies


def _measure(
    browser: Any, url: str, cookies: list[dict[str, Any]], cold: int, warm: int
) -> dict[str, float]:
    """Medians over `cold` first visits (a new context each) and `warm` reloads."""
    firsts, reloads = [], []
    for _ in range(cold):
        # The pages' Content-Security-Policy forbids eval, which Playwright's waiting for a
        # condition uses; the pages' own scripts run under it unchanged.
        context = browser.new_context(bypass_csp=True)
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (url, response)
        page.wait_for_function(CHARTS, timeout=60_000)
        firsts.append(page.evaluate(TIMING))
        for _ in range(warm if not reloads else 0):
            page.reload(wait_until="load")
            page.wait_for_function(CHARTS, timeout=60_000)
            reloads.append(page.evaluate(TIMING))
        context.close()

    def median(rows: list[dict[str, Any]], key: str) -> float:
        values = [r[key] for r in rows if r[key] is not None]
        return statistics.median(values) if values else float("nan")

    return {
        "cold_ttfb": median(firsts, "ttfb"),
        "cold_charts": median(firsts, "charts"),
        "warm_ttfb": median(reloads, "ttfb"),
        "warm_charts": median(reloads, "charts"),
        "cold_load": median(firsts, "load"),
        "cold_dcl": median(firsts, "dcl"),
        "cold_fcp": median(firsts, "fcp"),
        "cold_kb": median(firsts, "bytes") / 1024,
        "warm_load": median(reloads, "load"),
        "warm_fcp": median(reloads, "fcp"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cold", type=int, default=2, help="first visits per page")
    parser.add_argument("--warm", type=int, default=3, help="reloads per page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        _coalition(home, "migrate")
        _coalition(home, "demo")  # with the illustrative purchase exercise
        _coalition(home, "collectstatic", "--noinput")
        _baselines(home)
        ids = _ids(home)
        port = _free_port()
        site = f"http://127.0.0.1:{port}"
        server = _serve(home, port)
        print(
            f"set-up (migrate, demo, collectstatic, serve): {time.perf_counter() - started:.1f} s"
        )
        pages: list[tuple[str, str, str | None]] = [
            ("baseline: bare static HTML", "/static/bench-bare.html", None),
            (
                "baseline: plotly.js before (blocking, 4.8 MB)",
                "/static/bench-plotly-before.html",
                None,
            ),
            (
                "baseline: plotly.js now (gzip, cached), here with defer",
                "/static/bench-plotly-now.html",
                None,
            ),
            ("home", "/", "delegate-gb"),
            ("coalition (chart), anonymous", f"{SLUG}/", None),
            ("coalition (chart)", f"{SLUG}/", "delegate-gb"),
            ("country", "/countries/LV/", "delegate-gb"),
            ("finance dashboard (charts)", f"{SLUG}/finance/", "delegate-gb"),
            ("finance member (chart)", f"{SLUG}/finance/members/GB/", "delegate-gb"),
            ("fund ledger", f"{SLUG}/finance/funds/{ids['fund']}/", "delegate-gb"),
            ("requirements", f"{SLUG}/requirements/", "delegate-gb"),
            ("competitions", f"{SLUG}/competitions/", "delegate-gb"),
            ("plans", "/plans/", "delegate-gb"),
            ("plan (charts)", f"/plans/{ids['run']}/", "delegate-gb"),
            ("orders", f"{SLUG}/orders/", "delegate-gb"),
            ("order", f"{SLUG}/orders/{ids['order']}/", "delegate-gb"),
            ("deliveries", f"{SLUG}/deliveries/", "delegate-gb"),
            ("reconciliation (chart)", f"{SLUG}/reconciliation/", "delegate-gb"),
            ("audit log", "/audit/", "auditor"),
        ]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
                )
                sessions = {
                    user: _cookies(browser, site, user)
                    for user in {u for _, _, u in pages if u is not None}
                }
                rows = [
                    (
                        name,
                        _measure(
                            browser, site + path, sessions.get(user or "", []), args.cold, args.warm
                        ),
                    )
                    for name, path, user in pages
                ]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    _report(rows, args)
    print(f"total: {time.perf_counter() - started:.0f} s")


def _ms(value: float) -> str:
    return "" if value != value else f"{value:.0f}"  # NaN: no such figure (no chart)


def _report(rows: list[tuple[str, dict[str, float]]], args: argparse.Namespace) -> None:
    bare = rows[0][1]
    print(
        f"\nmedians of {args.cold} first visits and {args.warm} reloads, ms; TTFB: the "
        "server's answer; load: the load event's end; charts: all charts drawn (after load); "
        "x bare: load against the bare static page"
    )
    head = (
        "page",
        "first visit: TTFB",
        "FCP",
        "load",
        "charts",
        "KB",
        "x bare",
        "warm: TTFB",
        "load",
        "charts",
        "x bare",
        "aims (load)",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, m in rows:
        ok = m["warm_load"] < WARM_AIM_MS and m["cold_load"] < COLD_AIM_MS
        cells = [
            name,
            _ms(m["cold_ttfb"]),
            _ms(m["cold_fcp"]),
            _ms(m["cold_load"]),
            _ms(m["cold_charts"]),
            f"{m['cold_kb']:.0f}",
            f"{m['cold_load'] / bare['cold_load']:.1f}",
            _ms(m["warm_ttfb"]),
            _ms(m["warm_load"]),
            _ms(m["warm_charts"]),
            f"{m['warm_load'] / bare['warm_load']:.1f}",
            "met" if ok else "MISSED",
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
