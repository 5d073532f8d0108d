"""Twenty people using the app at once get the same pages as one person alone.

Each session is an AppTest of app.py in its own thread (Streamlit runs each browser session's
script in a thread of one process, sharing the cached read-only DuckDB connection and the
st.cache_* stores). Every session opens two pages with a kommune and a language from the URL,
changes the first filter on each, and records a fingerprint of everything drawn. The same
scripts run one at a time give the reference: results must be identical, with no exception,
no error box and no traceback in the server log.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from tests import browser_support as bs

SESSIONS = 20
KOMMUNER = [None, "1804", "0301", "5401", "4601"]  # none, Bodø, Oslo, Tromsø, Bergen


def script(i: int) -> dict:
    """Session i's plan; scripts repeat every 10 sessions, so each runs twice at once."""
    i %= 10
    pages = bs.PAGES
    return {
        "pages": [pages[i % len(pages)], pages[(i + 3) % len(pages)]],
        "params": {
            **({"kommune": KOMMUNER[i % len(KOMMUNER)]} if KOMMUNER[i % len(KOMMUNER)] else {}),
            **({"lang": "en"} if i % 4 == 3 else {}),
        },
    }


def run_script(plan: dict, start: threading.Barrier | None = None) -> list[tuple]:
    """Open each page, change its first URL-bound filter; (step, what was drawn, problems) per run."""
    at = bs.app_test(plan["pages"][0], dict(plan["params"]))
    if start is not None:
        start.wait(timeout=60)
    out = []
    for n, page in enumerate(plan["pages"]):
        if n:
            at.switch_page(bs.page_files()[page])
        for step in ("open", "filter"):
            if step == "filter" and bs.change_first_filter(at) is None:
                continue
            bs.run(at)
            problems = [e.value for e in at.exception] + [e.value for e in at.error]
            # Every element's full proto (chart specs with their datasets, map JSON, tables,
            # texts), not only the text: a chart that silently lost its data reads the same.
            seen = {
                "elements": bs.element_digests(at),
                "texts": bs.rendered_texts(at),
                "url": sorted(at.query_params.items()),
            }
            out.append((f"{page}/{step}", seen, problems))
    return out


def describe_difference(alone: dict, concurrent: dict) -> str:
    """Which element differs, and how, so a failure points at its cause."""
    import difflib

    lines = ["rendered differently than when alone."]
    if alone["url"] != concurrent["url"]:
        lines.append(f"URL alone {alone['url']} / concurrent {concurrent['url']}")
    kinds = [
        f"#{n} {a[0]}"
        for n, (a, b) in enumerate(zip(alone["elements"], concurrent["elements"], strict=False))
        if a != b
    ]
    if len(alone["elements"]) != len(concurrent["elements"]):
        kinds.append(f"{len(alone['elements'])} vs {len(concurrent['elements'])} elements")
    lines.append("differing elements: " + ", ".join(kinds[:8]))
    if any("VegaLiteChart" in k for k in kinds) and alone["texts"] == concurrent["texts"]:
        lines.append(
            "Only chart protos differ (same texts): typically another session's chart data in "
            "this chart's datasets, from chart.to_dict() running outside Streamlit's Altair "
            "lock (Altair's data transformer and theme are process-wide)."
        )
    diff = difflib.unified_diff(alone["texts"], concurrent["texts"], lineterm="", n=0)
    lines += list(diff)[2:22]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def reference(built_db):
    return {i: run_script(script(i)) for i in range(10)}


def test_twenty_concurrent_sessions(built_db, reference, capfd):
    for i, steps in reference.items():
        for step, _, problems in steps:
            assert problems == [], f"script {i} {step} fails even alone: {problems}"

    start = threading.Barrier(SESSIONS)
    t0 = time.perf_counter()
    with bs.shared_runtime(), ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [pool.submit(run_script, script(i), start) for i in range(SESSIONS)]
        results = [f.result(timeout=180) for f in futures]
    seconds = time.perf_counter() - t0
    print(f"\n{SESSIONS} concurrent sessions, {sum(map(len, results))} runs in {seconds:.1f} s")

    log = capfd.readouterr().err
    for i, steps in enumerate(results):
        # an error box or exception first: it explains a missing step or a different drawing
        for step, _, problems in steps:
            assert problems == [], f"session {i} {step}: {problems}\n{log[-3000:]}"
        expected = reference[i % 10]
        if [s for s, _, _ in steps] != [s for s, _, _ in expected]:
            # A step is missing when the page drew no URL-bound filter to change: show what the
            # steps it did run drew, next to what they draw alone.
            got = {s: seen for s, seen, _ in steps}
            missing = [s for s, _, _ in expected if s not in got]
            detail = [
                f"{s}: " + describe_difference(want, got[s])
                for s, want, _ in expected
                if s in got and want != got[s]
            ]
            raise AssertionError(
                f"session {i}: no step {missing}; " + (" / ".join(detail) or "same drawing")[:4000]
            )
        for (step, got, _), (_, want, _) in zip(steps, expected, strict=True):
            if got != want:
                raise AssertionError(f"session {i} {step}: " + describe_difference(want, got))
    assert "Traceback" not in log, log[-3000:]


def test_chart_export_does_not_mix_with_a_chart_being_drawn():
    """A PNG/SVG export converts its chart while another session draws one.

    Altair's active data transformer is process-wide: Streamlit enables its own (which files
    the chart's data under a hash into *that* chart's datasets) inside a lock while it draws.
    An export converted outside that lock would hand its data to the other session's chart and
    come out with a reference to data it does not carry (an empty PNG).
    """
    import altair as alt
    from streamlit.elements import vega_charts

    from components.downloads import export_spec

    chart = (
        alt.Chart(pd.DataFrame({"landsdel": ["Oslo og Akershus", "Østlandet"], "share": [85, 82]}))
        .mark_bar()
        .encode(x="share:Q", y="landsdel:N")
    )
    other_sessions_chart: dict = {}
    drawing, done = threading.Event(), threading.Event()

    def another_session_draws() -> None:  # what st.altair_chart does (vega_charts.py)
        alt.data_transformers.register("to_arrow_dataset", vega_charts._to_arrow_dataset)
        with vega_charts._altair_globals_lock:
            with alt.data_transformers.enable("to_arrow_dataset", datasets=other_sessions_chart):
                drawing.set()
                done.wait(5)

    drawer = threading.Thread(target=another_session_draws)
    drawer.start()
    assert drawing.wait(5)
    result: dict = {}
    exporter = threading.Thread(target=lambda: result.setdefault("spec", export_spec(chart)))
    exporter.start()
    time.sleep(0.3)  # the export runs (or waits) while the other chart is being drawn
    done.set()
    exporter.join(10)
    drawer.join(10)
    spec = result["spec"]
    assert other_sessions_chart == {}, "the export's data went into another session's chart"
    name = spec["data"]["name"]
    assert name in spec.get("datasets", {}), "the exported spec refers to data it does not carry"
