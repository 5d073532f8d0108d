"""Interaction latency in Chromium without a GPU, per map page, next to a reference page.

Usage: python -m benchmarks.latency [--repeats N] [--pages kjennskap,bruk,skolebidrag]
                                    [--renderer canvas|svg]

For each page with a map (Kjennskap, Bruk, Skolebidrag), in a real server and Debian's Chromium
(CPU only: tests/browser_support.CHROMIUM_ARGS), as a user with a kommune chosen (Bodø):

- switch: click the page's sidebar link on «Oversikt» → the page is stable;
- filter: change the page's filter next to the map (Kjennskap's landsdel, Bruk's year, the
  Skolebidrag colouring) → stable;
- map click: click a kommune (landsdel on Kjennskap) in the map → it is chosen (the URL's
  ?kommune= / ?landsdel= changes) and the page is stable. A click that chooses nothing within
  30 s counts as dropped.

«Stable» is tests/browser_support.wait_for_app's rule (script finished, connected, nothing
stale or loading, every visible chart drawn) held for 500 ms, and also: the page's main thread
answers within 250 ms (a browser busy drawing or picking for seconds is not stable). Times are
the page's own clock from the click to the start of that quiet spell; median of N.

Where the time goes, per action: the script's running time as the browser saw it (server work
and sending), the browser's long tasks (main-thread work over 50 ms: parsing, Vega/deck.gl
drawing and picking) and the websocket bytes received. The map's spec size is measured on the
server (AppTest). The reference is benchmarks/reference_nav.py (a start page and
benchmarks/reference_page.py), switched to and filtered the same way in the same run, so the
table's ratios hold on a busier machine too. The load average is printed at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
REFERENCE = "benchmarks/reference_nav.py"
PARAMS = "?kommune=1804"  # Bodø, as benchmarks/run.py
CLICK_TIMEOUT_S = 30
GOALS_MS = {"switch": 2000, "filter": 1000, "click": 1000}


@dataclass(frozen=True)
class MapPage:
    path: str
    map_key: str  # the map's widget key: Streamlit gives its container the class st-key-<key>
    filter_key: str  # the filter next to the map
    filter_kind: str  # "segmented" or "select"
    click_param: str  # the URL parameter a map click sets


PAGES = {
    "kjennskap": MapPage("kjennskap", "kj_map", "landsdel", "select", "landsdel"),
    "bruk": MapPage("bruk", "bruk_map", "aar", "segmented", "kommune"),
    "skolebidrag": MapPage("skolebidrag", "sb_map", "farge", "segmented", "kommune"),
}

# Installed before any page script: script-state changes, long tasks and the time of the last
# chart node added, all on the page's clock (performance.now()).
PROBES = """
window.__scriptLog = [];
window.__longTasks = [];
new MutationObserver((records) => {
  for (const r of records) {
    const v = r.target.getAttribute('data-test-script-state');
    if (r.target.matches && r.target.matches('[data-testid="stApp"]'))
      window.__scriptLog.push([performance.now(), v]);
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
"""

STATE = """() => {
  const a = document.querySelector('[data-testid="stApp"]');
  const busy = document.querySelectorAll(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]').length;
  let undrawn = 0;
  for (const c of document.querySelectorAll(
      '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')) {
    const r = c.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (!c.querySelector('canvas, svg')) undrawn++;
  }
  return [a && a.getAttribute('data-test-script-state'),
          a && a.getAttribute('data-test-connection-state'), busy, undrawn, performance.now()];
}"""

TOOLTIP = """() => {
  for (const sel of ['#vg-tooltip-element.visible', '.deck-tooltip']) {
    const t = document.querySelector(sel);
    if (!t) continue;
    const s = getComputedStyle(t);
    if (s.display === 'none' || s.visibility === 'hidden' || !t.innerText.trim()) continue;
    const h = t.querySelector('h2');
    return (h ? h.innerText : t.innerText).trim().split('\\n')[0];
  }
  return null;
}"""


def now_ms(page) -> float:
    return page.evaluate("() => performance.now()")


def wait_stable(page, timeout_s: float = 60, settle_ms: float = 500, gap_ms: float = 250) -> float:
    """The page clock (ms) at which the page became stable and stayed so for `settle_ms`."""
    deadline = time.monotonic() + timeout_s
    quiet_since = last = None
    while time.monotonic() < deadline:
        script, connection, busy, undrawn, now = page.evaluate(STATE)
        blocked = last is not None and now - last > gap_ms  # the main thread did not answer
        last = now
        if script in (None, "initial", "running") or connection != "CONNECTED" or busy or undrawn:
            quiet_since = None
        elif blocked or quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle_ms:
            return quiet_since
        page.wait_for_timeout(25)
    raise TimeoutError(f"the page was not stable within {timeout_s} s")


class Wire:
    """Bytes received over the page's websocket(s)."""

    def __init__(self, page) -> None:
        self.received = 0
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.received += len(payload)


def query(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def timed(page, wire: Wire, act, done, timeout_s: float = CLICK_TIMEOUT_S) -> dict | None:
    """Run `act()`, wait until `done()` (polled) and a script run has started, then until the
    page is stable. None when nothing happened within `timeout_s` (a dropped click)."""
    wire_before = wire.received
    t0 = now_ms(page)
    act()
    deadline = time.monotonic() + timeout_s
    while True:
        started = page.evaluate(
            "(t0) => window.__scriptLog.some(([t, v]) => t >= t0 && v === 'running')", t0
        )
        if started and done():
            break
        if time.monotonic() > deadline:
            return None
        page.wait_for_timeout(25)
    t_end = wait_stable(page)
    log, tasks = page.evaluate("() => [window.__scriptLog, window.__longTasks]")
    running, since = 0.0, None
    for t, v in log:
        if t < t0 or t > t_end:
            continue
        if v == "running" and since is None:
            since = t
        elif v != "running" and since is not None:
            running, since = running + t - since, None
    return {
        "ms": t_end - t0,
        "script_ms": running,
        "long_tasks_ms": sum(d for s, d in tasks if t0 <= s <= t_end),
        "ws_kB": (wire.received - wire_before) / 1000,
    }


# Browser CPU by who spends it: Chromium's sampling profiler (CDP) during one extra action,
# self time grouped by the script bundle it falls in. «(program)» is the browser's own work
# outside JavaScript (style, layout, paint; here all on the CPU).
BUCKETS = [
    ("vega", ("embed.", "ArrowVegaLiteChart", "vega")),
    ("deck.gl", ("DeckGlJsonChart", "deck", "luma", "mapbox", "maplibre")),
    ("react+styles", ("react", "emotion", "styled", "index.", "StreamlitMarkdown")),
    ("browser (style, layout, paint)", ("(program)",)),
    ("garbage collection", ("(garbage collector)",)),
    ("idle", ("(idle)",)),
]


def profiled(context, page, action) -> tuple[dict | None, dict[str, float]]:
    """Run `action()` under the sampling profiler; its result and ms per bucket."""
    import re
    from collections import Counter

    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    try:
        result = action()
    finally:
        profile = cdp.send("Profiler.stop")["profile"]
        cdp.detach()
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    spent: Counter = Counter()
    for sample, dt in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]
        where = re.sub(r".*/", "", frame["url"]) or f"({frame['functionName'] or 'native'})"
        bucket = next((b for b, keys in BUCKETS if any(k in where for k in keys)), "other")
        spent[bucket] += dt / 1000
    return result, dict(spent)


def nav_link(page, path: str | None):
    """The sidebar link to `path`; None is the default page (its link is the bare «/»)."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    return (
        links.first
        if path is None
        else page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
    )


def switch_to(page, wire: Wire, path: str) -> dict | None:
    return timed(
        page,
        wire,
        lambda: nav_link(page, path).click(),
        lambda: urlsplit(page.url).path.rstrip("/").endswith("/" + path),
        timeout_s=60,  # a first visit loads the page's JavaScript too
    )


def guarded(measure, *args) -> dict | None:
    """A measurement that failed (an element not found, a timeout) is reported, not fatal."""
    try:
        return measure(*args)
    except Exception as err:  # noqa: BLE001 - keep measuring the rest
        print(f"  failed: {type(err).__name__}: {str(err)[:200]}", file=sys.stderr)
        return {"error": f"{type(err).__name__}: {str(err)[:300]}"}


def change_filter(page, wire: Wire, key: str, kind: str, i: int, param: str | None) -> dict | None:
    """Move the filter to another option; done when the URL parameter changed (or, without one,
    when a run has started)."""
    box = page.locator(f".st-key-{key}").first
    box.scroll_into_view_if_needed()
    before = query(page).get(param) if param else None
    if kind == "segmented":
        target = box.locator('button[aria-checked="false"]').first
        act = target.click
    else:
        box.locator('[data-testid="stSelectbox"] input').first.click()
        options = page.locator('[role="option"]')
        options.first.wait_for(state="visible")
        target = options.nth(1 + i % (options.count() - 1))
        if target.get_attribute("aria-selected") == "true":
            target = options.nth(0)
        act = target.click
    return timed(page, wire, act, lambda: not param or query(page).get(param) != before)


def map_box(page, key: str) -> dict:
    chart = page.locator(f".st-key-{key}").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # drawn, and (deck.gl) its picking buffer ready
    area = chart.locator("canvas.marks, svg.marks, canvas").first
    return area.bounding_box()


def _name_at(page, x: float, y: float) -> str | None:
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
    return page.evaluate(TOOLTIP)


def map_targets(page, key: str, avoid: set[str], wanted: int) -> list[tuple[float, float, str]]:
    """Points well inside distinct areas (not in `avoid`): the same tooltip 4 px around them,
    so a click is not lost in a fjord. As fractions of the map's box: text above the map may
    change height between runs and move it."""
    box = map_box(page, key)
    found: dict[str, tuple[float, float]] = {}
    for fy in range(30, 80, 5):
        for fx in range(20, 80, 5):
            x = box["x"] + box["width"] * fx / 100
            y = box["y"] + box["height"] * fy / 100
            page.mouse.move(box["x"] - 5, box["y"] - 5)  # off the map: no tooltip left over
            name = _name_at(page, x, y)
            if not name or name in avoid or name in found:
                continue
            around = [(x + dx, y + dy) for dx, dy in ((-4, 0), (4, 0), (0, -4), (0, 4))]
            if all(_name_at(page, ax, ay) == name for ax, ay in around):
                found[name] = (fx / 100, fy / 100)
                if len(found) >= wanted:
                    page.mouse.move(box["x"] - 5, box["y"] - 5)
                    return [(fx, fy, name) for name, (fx, fy) in found.items()]
    page.mouse.move(box["x"] - 5, box["y"] - 5)
    return [(fx, fy, name) for name, (fx, fy) in found.items()]


def chosen_name(page, param: str) -> str:
    """What the page shows as chosen: the landsdel filter, or the sidebar's kommune picker."""
    where = (
        '.st-key-landsdel [data-testid="stSelectbox"] input'
        if param == "landsdel"
        else '[data-testid="stSidebar"] [data-testid="stSelectbox"] input'
    )
    return page.evaluate(
        "(s) => { const i = document.querySelector(s); return i ? i.value : ''; }", where
    )


def next_target(page, targets: list, param: str) -> tuple[float, float, str] | None:
    """The first target not chosen already (a click on the chosen area changes nothing), moved
    to the end of the list so the next click takes another."""
    current = chosen_name(page, param).rstrip(" *")
    for i, (fx, fy, name) in enumerate(targets):
        bare = name.rstrip(" *")
        if current != bare and not current.startswith(bare + " ("):
            targets.append(targets.pop(i))
            return fx, fy, name
    print(f"  no map target other than the chosen one ({current})", file=sys.stderr)
    return None


def click_map(page, wire: Wire, key: str, fx: float, fy: float, param: str) -> dict | None:
    """Point at the target (its tooltip shows, as for a user) and click it."""
    box = map_box(page, key)  # scrolled into view again after the rerun, where it is now
    x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
    page.mouse.move(box["x"] - 5, box["y"] - 5)
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
    before = query(page).get(param)
    return timed(
        page, wire, lambda: page.mouse.click(x, y), lambda: query(page).get(param) != before
    )


def _median(runs: list[dict | None], field: str = "ms") -> float | None:
    values = [r[field] for r in runs if r and field in r]
    return statistics.median(values) if values else None


def _summary(runs: list[dict | None]) -> dict:
    return {
        "median_ms": _median(runs),
        "script_ms": _median(runs, "script_ms"),
        "long_tasks_ms": _median(runs, "long_tasks_ms"),
        "ws_kB": _median(runs, "ws_kB"),
        "dropped": sum(r is None for r in runs),
        "errors": sum(bool(r and "error" in r) for r in runs),
        "runs": runs,
    }


def new_page(browser, bs):
    ctx = browser.new_context(viewport=bs.VIEWPORT, locale="nb-NO")
    ctx.add_init_script(PROBES)
    page = ctx.new_page()
    return ctx, page, Wire(page)


def bench_page(browser, base: str, spec: MapPage, repeats: int, bs) -> dict:
    ctx, page, wire = new_page(browser, bs)
    try:
        page.goto(f"{base}/{PARAMS}")
        wait_stable(page)
        first = switch_to(page, wire, spec.path)  # fresh context: the page's JS loads now
        switches = []
        for _ in range(repeats):
            timed(page, wire, lambda: nav_link(page, None).click(), lambda: True)
            switches.append(switch_to(page, wire, spec.path))
        filters = [
            guarded(
                change_filter, page, wire, spec.filter_key, spec.filter_kind, i, spec.filter_key
            )
            for i in range(repeats)
        ]
        avoid = {"Bodø"} if spec.click_param == "kommune" else set()
        try:
            targets = map_targets(page, spec.map_key, avoid, 3)
        except Exception as err:  # noqa: BLE001
            print(f"  no map targets: {type(err).__name__}: {err}", file=sys.stderr)
            targets = []
        clicks = []
        for _ in range(repeats):
            if not targets:
                clicks.append(None)
                continue
            target = next_target(page, targets, spec.click_param)
            if target is None:
                clicks.append({"error": "no map target"})
                continue
            fx, fy, _name = target
            clicks.append(guarded(click_map, page, wire, spec.map_key, fx, fy, spec.click_param))
        shown = page.evaluate(
            """() => { const i = document.querySelector(
                 '[data-testid="stSidebar"] [data-testid="stSelectbox"] input');
               return i ? i.value : ''; }"""
        )
        profiles = {}  # one more of each, under the profiler (not in the medians)
        target = next_target(page, targets, spec.click_param) if targets else None
        if target:
            fx, fy, _name = target
            profiles["click"] = profiled(
                ctx, page, lambda: click_map(page, wire, spec.map_key, fx, fy, spec.click_param)
            )
        timed(page, wire, lambda: nav_link(page, None).click(), lambda: True)
        profiles["switch"] = profiled(ctx, page, lambda: switch_to(page, wire, spec.path))
        return {
            "first_switch": first,
            "switch": _summary(switches),
            "filter": _summary(filters),
            "click": _summary(clicks),
            "profiles": {k: {"run": r, "cpu_ms": cpu} for k, (r, cpu) in profiles.items()},
            "targets": [name for _x, _y, name in targets],
            "picker_after": shown,
            "url_after": page.url,
        }
    finally:
        ctx.close()


def bench_reference(browser, base: str, repeats: int, bs) -> dict:
    ctx, page, wire = new_page(browser, bs)
    try:
        page.goto(f"{base}/")
        wait_stable(page)
        first = switch_to(page, wire, "referanse")
        switches = []
        for _ in range(repeats):
            timed(page, wire, lambda: nav_link(page, None).click(), lambda: True)
            switches.append(switch_to(page, wire, "referanse"))
        filters = [
            guarded(change_filter, page, wire, "measure", "segmented", i, None)
            for i in range(repeats)
        ]
        return {"first_switch": first, "switch": _summary(switches), "filter": _summary(filters)}
    finally:
        ctx.close()


# The same three actions on the server alone (AppTest, warm caches): what a map callback or a
# filter leaves in session state, then one run. Values alternate so every run changes the view.
SERVER_ACTIONS = {
    "kjennskap": {
        "click": [{"landsdel": "sor-vestlandet"}, {"landsdel": "ostlandet"}],
        "filter": [{"landsdel": "oslo-akershus"}, {"landsdel": "alle"}],
    },
    "bruk": {
        "click": [{"kommune": "1833"}, {"kommune": "3423"}],
        "filter": [{"aar": "2020"}, {"aar": "2010"}],
    },
    "skolebidrag": {
        "click": [
            {"kommune": "1833", "_sb_pending_k": ["1833"]},
            {"kommune": "1837", "_sb_pending_k": ["1837"]},
        ],
        "filter": [{"farge": "profil"}, {"farge": "verdi"}],
    },
}


def server_times(db: Path, pages, repeats: int) -> dict[str, dict]:
    """Median server time (ms) per page and action: a run of the page's script in AppTest."""
    import queries
    from tests import browser_support as bs

    os.environ["SKOLEMILJO_DB"] = str(db)
    queries.reset()
    out = {}
    for name in pages:
        at = bs.app_test(name, {"kommune": "1804"})
        bs.run(at)
        bs.run(at)
        times: dict[str, list[float]] = {"click": [], "filter": [], "switch": []}
        for i in range(repeats + 1):  # the first round warms the caches of each new view
            for action in ("click", "filter"):
                for key, value in SERVER_ACTIONS[name][action][i % 2].items():
                    at.session_state[key] = value
                t0 = time.perf_counter()
                bs.run(at)
                if i:
                    times[action].append(time.perf_counter() - t0)
            at.switch_page(bs.page_files()["oversikt"])
            bs.run(at)
            at.switch_page(bs.page_files()[name])
            t0 = time.perf_counter()
            bs.run(at)
            if i:
                times["switch"].append(time.perf_counter() - t0)
        out[name] = {k: statistics.median(v) * 1000 for k, v in times.items()}
    return out


def spec_sizes(db: Path, pages) -> dict[str, dict]:
    """The map element each page sends (kB) and its kind, measured on the server (AppTest)."""
    import queries
    from tests import browser_support as bs

    os.environ["SKOLEMILJO_DB"] = str(db)
    queries.reset()
    out = {}
    for name in pages:
        at = bs.app_test(name, {"kommune": "1804"})
        bs.run(at)
        sizes = []
        for el in at.get("deck_gl_json_chart"):
            sizes.append(("deck.gl", len(el.proto.json)))
        for el in at.get("vega_lite_chart"):
            spec = el.proto.spec
            if '"geoshape"' in spec:
                data = len(el.proto.data.data) + sum(len(d.data.data) for d in el.proto.datasets)
                sizes.append(("vega-lite", len(spec) + data))
        out[name] = {
            "kind": ",".join(sorted({k for k, _ in sizes})) or "none",
            "kB": sum(n for _, n in sizes) / 1000,
        }
    return out


def run_all(db: Path, repeats: int, pages: list[str]) -> dict:
    from tests import browser_support as bs

    out: dict = {"pages": {}}
    with bs.chromium() as browser:
        with bs.streamlit_server(db, script=REFERENCE) as base:
            print("reference page …", file=sys.stderr)
            out["reference"] = bench_reference(browser, base, repeats, bs)
        with bs.streamlit_server(db) as base:
            warm_ctx, warm, _ = new_page(browser, bs)  # the server imports and caches once
            for name in pages:
                warm.goto(f"{base}/{name}{PARAMS}")
                wait_stable(warm)
            warm_ctx.close()
            for name in pages:
                print(f"{name} …", file=sys.stderr)
                out["pages"][name] = bench_page(browser, base, PAGES[name], repeats, bs)
    for name, size in spec_sizes(db, pages).items():
        out["pages"][name]["map_spec"] = size
    for name, ms in server_times(db, pages, repeats).items():
        out["pages"][name]["server_ms"] = ms
    return out


def machine() -> dict:
    import platform

    import streamlit

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "streamlit": streamlit.__version__,
        "load_average_at_start": os.getloadavg(),
    }


def _ms(v) -> str:
    return "–" if v is None else f"{v:,.0f}".replace(",", " ")


def _ratio(v, ref) -> str:
    return "–" if v is None or not ref else f"{v / ref:.1f}"


def print_report(r: dict) -> None:
    """The latency table of results `r` ({"machine": …, "latency": …})."""
    m, lat = r["machine"], r["latency"]
    la0, la1 = m["load_average_at_start"], m.get("load_average_at_end", (0, 0, 0))
    print(
        f"\nInteraction latency {m['when']} · {m['cpus']} CPUs · Chromium without GPU · "
        f"load average {la0[0]:.2f} at start, {la1[0]:.2f} at end"
    )
    ref = lat["reference"]
    rs, rf = ref["switch"]["median_ms"], ref["filter"]["median_ms"]
    print(
        f"\n{'page':<13}{'switch ms':>10}{'× ref':>7}{'filter ms':>11}{'× ref':>7}"
        f"{'map click ms':>14}{'dropped':>9}{'spec kB':>9}  {'map':<10}{'1st switch ms':>14}"
    )
    first = ref["first_switch"]["ms"] if ref.get("first_switch") else None
    print(
        f"{'reference':<13}{_ms(rs):>10}{'1.0':>7}{_ms(rf):>11}{'1.0':>7}{'':>14}{'':>9}{'':>9}"
        f"  {'deck.gl':<10}{_ms(first):>14}"
    )
    for name, p in lat["pages"].items():
        s, f, c = p["switch"]["median_ms"], p["filter"]["median_ms"], p["click"]["median_ms"]
        first = p["first_switch"]["ms"] if p.get("first_switch") else None
        print(
            f"{name:<13}{_ms(s):>10}{_ratio(s, rs):>7}{_ms(f):>11}{_ratio(f, rf):>7}{_ms(c):>14}"
            f"{p['click']['dropped']:>9}{p['map_spec']['kB']:>9.0f}  {p['map_spec']['kind']:<10}"
            f"{_ms(first):>14}"
        )
    print(
        f"\nWhere the time goes (medians, ms; server = the script alone, AppTest; script = "
        f"running as the browser saw it; long tasks = browser main thread busy > 50 ms; lost = "
        f"dropped clicks and failures; goals: switch ≤ {GOALS_MS['switch']}, filter and click "
        f"≤ {GOALS_MS['filter']})"
    )
    print(
        f"{'page':<13}{'action':<8}{'total':>8}{'server':>8}{'script':>8}{'long tasks':>12}"
        f"{'ws kB':>8}{'lost':>6}  goal"
    )
    rows = [("reference", k, ref[k]) for k in ("switch", "filter")]
    rows += [(n, k, p[k]) for n, p in lat["pages"].items() for k in ("switch", "filter", "click")]
    server = {n: p.get("server_ms", {}) for n, p in lat["pages"].items()}
    for name, action, v in rows:
        lost = v["dropped"] + v.get("errors", 0)
        ok = v["median_ms"] is not None and v["median_ms"] <= GOALS_MS[action] and not lost
        verdict = "" if name == "reference" else ("met" if ok else "NOT met")
        print(
            f"{name:<13}{action:<8}{_ms(v['median_ms']):>8}"
            f"{_ms(server.get(name, {}).get(action)):>8}{_ms(v['script_ms']):>8}"
            f"{_ms(v['long_tasks_ms']):>12}{(v['ws_kB'] or 0):>8.0f}{lost:>6}  {verdict}"
        )


def print_profiles(lat: dict) -> None:
    names = [b for b, _ in BUCKETS] + ["other"]
    short = ["vega", "deck.gl", "react", "browser", "gc", "idle", "other"]
    print(
        "\nBrowser CPU during one more click and switch (sampling profiler, ms; browser = "
        "style, layout, paint outside JavaScript)"
    )
    print(f"{'page':<13}{'action':<8}{'total':>8}" + "".join(f"{s:>9}" for s in short))
    for name, p in lat["pages"].items():
        for action, prof in p.get("profiles", {}).items():
            run = prof["run"] or {}
            cpu = prof["cpu_ms"]
            print(
                f"{name:<13}{action:<8}{_ms(run.get('ms')):>8}"
                + "".join(f"{_ms(cpu.get(b, 0)):>9}" for b in names)
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated map pages")
    parser.add_argument(
        "--renderer",
        choices=["canvas", "svg"],
        default="canvas",
        help="how Vega draws the app's maps (SKOLEMILJO_MAP_RENDERER for the app server)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"not a map page: {', '.join(sorted(unknown))}")
    os.environ["SKOLEMILJO_MAP_RENDERER"] = args.renderer
    results = {"machine": machine() | {"map_renderer": args.renderer}}
    with tempfile.TemporaryDirectory(prefix="skolemiljo-latency-") as tmp:
        from data.build import build

        db = Path(tmp) / "skolemiljo.duckdb"
        build(db, quiet=True)
        results["latency"] = run_all(db, args.repeats, pages)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latency.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_report(results)
    print_profiles(results["latency"])
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
