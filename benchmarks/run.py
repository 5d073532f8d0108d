"""Benchmark: build time, server time per page next to a reference page, first load in Chromium,
and trend/profile queries on a synthetic national school-level dataset (1× and 100×).

Usage: python -m benchmarks.run [--skip-browser] [--skip-scale] [--repeats N] [--latency]
                                  [--with-replicas]

--latency adds benchmarks/latency.py (page switch, filter change and map click in Chromium,
per map page, next to a reference page; several minutes); it also runs alone:
python -m benchmarks.latency.

Prints a table and writes benchmarks/results/latest.json. Not part of the tests: numbers depend
on the machine and on what else runs on it (the load average is recorded with the results).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
REFERENCE = "benchmarks/reference_page.py"
GOAL_RATIO = 1.5
# Every page is timed as a school owner sees it: with a kommune chosen (Bodø), so «Min kommune»
# and «Dialogmøte» draw their figures instead of a prompt.
PARAMS = {"kommune": "1804"}


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


# ----------------------------------------------------------------------------- build


def bench_build(tmp: Path, repeats: int) -> dict:
    from data.build import build

    times = []
    for i in range(repeats):
        path = tmp / f"build-{i}.duckdb"
        t0 = time.perf_counter()
        build(path, quiet=True)
        times.append(time.perf_counter() - t0)
    return {"median_ms": median_ms(times), "runs_ms": [t * 1000 for t in times]}


# ----------------------------------------------------------------------------- server time


def _time_runs(at, run, repeats: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        run(at)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(at)
        times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{at.exception[0].value}")
    return times


def bench_pages(db: Path, repeats: int) -> dict:
    """Median wall time of AppTest.run() per page with warm caches, and of the reference page."""
    from streamlit.testing.v1 import AppTest

    import queries
    from tests import browser_support as bs

    os.environ["SKOLEMILJO_DB"] = str(db)
    queries.reset()
    ref = AppTest.from_file(str(REPO / REFERENCE), default_timeout=120)
    ref_ms = median_ms(_time_runs(ref, lambda a: a.run(), repeats))
    out = {"reference_ms": ref_ms, "goal_ratio": GOAL_RATIO, "pages": {}}
    for page in bs.PAGES:
        at = bs.app_test(page, dict(PARAMS))
        try:
            ms = median_ms(_time_runs(at, bs.run, repeats))
        except Exception as err:  # noqa: BLE001 - report a broken page, keep measuring others
            out["pages"][page] = {"error": f"{type(err).__name__}: {err}"[:300]}
            continue
        errors = [e.value for e in at.error]
        out["pages"][page] = {
            "median_ms": ms,
            "ratio": ms / ref_ms,
            "pass": ms / ref_ms <= GOAL_RATIO,
            **({"errors_shown": errors} if errors else {}),
        }
    return out


# ----------------------------------------------------------------------------- first load

# Time (performance.now(), ms since navigation start) at which the last chart or map node
# (canvas or svg) was added inside a chart element.
CHART_CLOCK = """
window.__lastChartDraw = 0;
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) {
    if (!(n instanceof Element)) continue;
    const isDraw = n.matches('canvas, svg') || n.querySelector('canvas, svg');
    const inChart = n.closest('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')
      || n.querySelector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg,'
                         + ' [data-testid="stDeckGlJsonChart"] canvas');
    if (isDraw && inChart) window.__lastChartDraw = performance.now();
  }
}).observe(document, {subtree: true, childList: true});
"""


def _first_load(browser, url: str, bs) -> dict:
    ctx = browser.new_context(viewport=bs.VIEWPORT)
    ctx.add_init_script(CHART_CLOCK)
    page = ctx.new_page()
    try:
        page.goto(url)
        quiet_ms = bs.wait_for_app(page, settle_ms=300)
        charts = bs.wait_for_charts(page)
        last_chart = page.evaluate("() => window.__lastChartDraw")
        errors = page.locator(f"{bs.EXCEPTION}, {bs.ALERT_ERROR}").count()
    finally:
        ctx.close()
    return {"ms": max(quiet_ms, last_chart), "charts": charts, "errors": errors}


def bench_first_load(db: Path, repeats: int) -> dict:
    from tests import browser_support as bs

    out = {"pages": {}}
    with bs.chromium() as browser:
        with bs.streamlit_server(db, script=REFERENCE) as base:
            _first_load(browser, base + "/", bs)  # server warm-up (imports)
            runs = [_first_load(browser, base + "/", bs) for _ in range(repeats)]
            out["reference_ms"] = statistics.median(r["ms"] for r in runs)
        with bs.streamlit_server(db) as base:
            _first_load(browser, base + "/", bs)  # warm-up: the entrypoint has run once
            for page in bs.PAGES:
                # The default page (Oversikt) lives at «/», as the app's navigation links it.
                url = f"{base}/" if page == bs.PAGES[0] else f"{base}/{page}"
                url += "?" + urlencode(PARAMS)
                runs = [_first_load(browser, url, bs) for _ in range(repeats)]
                out["pages"][page] = {
                    "median_ms": statistics.median(r["ms"] for r in runs),
                    "charts": runs[-1]["charts"],
                    "errors_shown": max(r["errors"] for r in runs),
                }
    return out


# ----------------------------------------------------------------------------- scale


def bench_scale(tmp: Path, repeats: int) -> dict:
    from benchmarks import synthetic

    out = {}
    for scale in (1, 100):
        path = tmp / f"synthetic-national-{scale}x.duckdb"
        facts = synthetic.generate(path, scale)
        facts["queries"] = synthetic.time_queries(path, facts["busiest_kommune"], repeats)
        out[f"{scale}x"] = facts
        path.unlink(missing_ok=True)
    return out


# ----------------------------------------------------------------------------- report


def machine() -> dict:
    import duckdb
    import streamlit

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
    }


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"\nBenchmark {m['when']} · {m['cpus']} CPUs · load {m['load_average_at_start'][0]:.1f}")
    if "build" in r:
        print(f"\nDatabase build from data/raw: {r['build']['median_ms']:.0f} ms (median of 5)")
    if "pages" in r:
        p, fl = r["pages"], r.get("first_load", {})
        print(
            f"\n{'page':<14}{'server ms':>10}{'× ref':>8}  {'goal ≤1.5×':<11}"
            f"{'first load ms':>14}{'charts':>8}"
        )
        ref_load = f"{fl['reference_ms']:.0f}" if "reference_ms" in fl else "–"
        print(f"{'reference':<14}{p['reference_ms']:>10.0f}{1:>8.2f}  {'':<11}{ref_load:>14}")
        for page, v in p["pages"].items():
            load = fl.get("pages", {}).get(page, {})
            if "error" in v:
                print(f"{page:<14}error: {v['error'][:70]}")
                continue
            load_ms = f"{load['median_ms']:.0f}" if load else "–"
            charts = str(load.get("charts", "")) if load else ""
            verdict = "pass" if v["pass"] else "FAIL"
            print(
                f"{page:<14}{v['median_ms']:>10.0f}{v['ratio']:>8.2f}  {verdict:<11}"
                f"{load_ms:>14}{charts:>8}"
            )
    if "scale" in r:
        print(
            f"\n{'synthetic':<10}{'rows':>12}{'generate s':>12}{'trend ms':>10}{'profile ms':>12}"
            f"{'(fastest)':>11}{'window fn':>11}"
        )
        for name, v in r["scale"].items():
            q = v["queries"]
            print(
                f"{name:<10}{v['rows']:>12,}{v['generate_s']:>12.1f}{q['trend']['median_ms']:>10.1f}"
                f"{q['profile']['median_ms']:>12.1f}{q['profile']['min_ms']:>11.1f}"
                f"{q['profile_window']['median_ms']:>11.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--with-replicas",
        action="store_true",
        help="also page switches per second through nginx for 1 and 2 replicas (about 6 minutes; "
        "the same as python -m benchmarks.replicas)",
    )
    parser.add_argument(
        "--latency", action="store_true", help="also time interactions (benchmarks/latency.py)"
    )
    parser.add_argument("--latency-repeats", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)

    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="skolemiljo-bench-") as tmp:
        tmp = Path(tmp)
        print("building the database 5 times …", file=sys.stderr)
        results["build"] = bench_build(tmp, 5)
        db = tmp / "build-0.duckdb"
        print("timing pages (AppTest) …", file=sys.stderr)
        results["pages"] = bench_pages(db, args.repeats)
        if not args.skip_browser:
            print("first loads in Chromium …", file=sys.stderr)
            try:
                results["first_load"] = bench_first_load(db, max(3, args.repeats // 2))
            except Exception as err:  # noqa: BLE001 - no browser here: say so, keep the rest
                results["first_load"] = {"error": f"{type(err).__name__}: {err}"}
        if not args.skip_scale:
            print("synthetic national data, 1× and 100× …", file=sys.stderr)
            results["scale"] = bench_scale(tmp, args.repeats)
        if args.latency:
            from benchmarks import latency

            print("interaction latency in Chromium …", file=sys.stderr)
            results["latency"] = latency.run_all(db, args.latency_repeats, list(latency.PAGES))
    if args.with_replicas:
        from benchmarks import replicas

        print("replica throughput through nginx …", file=sys.stderr)
        results["replicas"] = replicas.run()
    results["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_report(results)
    if "latency" in results:
        from benchmarks import latency

        latency.print_report(results)
    if "replicas" in results:
        from benchmarks import replicas

        replicas.print_report(results["replicas"])
    print(f"\nJSON: {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
