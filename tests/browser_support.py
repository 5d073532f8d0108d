"""Run the app in a real Streamlit server and drive it with Debian's Chromium via Playwright.

Shared by tests/test_browser.py and benchmarks/run.py (first-load times), so both wait for a
page in the same way. No pytest import here: callers decide whether a missing browser is a
skip (a developer machine) or a failure (CI=true).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def page_files() -> dict[str, str]:
    """{url_path: page file relative to the repo} read from app.py's PAGES list."""
    import ast

    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return {row[1]: row[0] for row in ast.literal_eval(node.value)}
    raise LookupError("app.py has no PAGES list")


# url paths in navigation order: oversikt, kjennskap, bruk, aktorer, skolebidrag, min_kommune,
# dialogmote, kilder
PAGES = list(page_files())
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 900}

# Streamlit 1.67 DOM hooks (data-testid attributes are the frontend's own test hooks).
APP_VIEW = '[data-testid="stAppViewContainer"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
EXCEPTION = '[data-testid="stException"]'
ALERT_ERROR = '[data-testid="stAlertContentError"]'
# Vega-Lite charts (and maps); deck.gl only on benchmarks/reference_page.py.
CHARTS = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'
SKELETON = '[data-testid="stSkeleton"]'


class BrowserUnavailable(RuntimeError):
    """Chromium or the Playwright package is missing on this machine."""


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise BrowserUnavailable(
            "Chromium not found (install Debian's package: apt-get install chromium)"
        )
    return path


def require_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise BrowserUnavailable(
            "the Playwright Python package is missing (pip install playwright)"
        ) from err
    return sync_playwright


def free_port() -> int:
    """A free TCP port; SKOLEMILJO_TEST_PORTS=8620-8629 restricts the choice to a range."""
    wanted = os.environ.get("SKOLEMILJO_TEST_PORTS")
    candidates = [0]
    if wanted:
        lo, _, hi = wanted.partition("-")
        candidates = list(range(int(lo), int(hi or lo) + 1))
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {wanted}")


def wait_healthy(base_url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer {base_url}/_stcore/health in {timeout} s")


@contextlib.contextmanager
def streamlit_server(
    db_path: Path, port: int | None = None, log: Path | None = None, script: str = "app.py"
) -> Iterator[str]:
    """Start `streamlit run <script>` against db_path; yield its base URL; stop it afterwards."""
    port = port or free_port()
    env = {**os.environ, "SKOLEMILJO_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright Browser)."""
    path = chromium_path()
    browser = _playwright().chromium.launch(
        executable_path=path, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


_PLAYWRIGHT: list = []


def _playwright():
    """One Playwright driver per process, started on first use and stopped at exit.

    Playwright's sync API runs an event loop for as long as its context manager is open, and a
    second `sync_playwright()` while one is open fails («Sync API inside the asyncio loop»). A
    session-scoped browser in one test module and a module-scoped one in the next did exactly
    that in CI, so every browser here is launched from this one driver.
    """
    if not _PLAYWRIGHT:
        driver = require_playwright()().start()
        _PLAYWRIGHT.append(driver)
        atexit.register(_stop_playwright)
    return _PLAYWRIGHT[0]


def _stop_playwright() -> None:
    with contextlib.suppress(Exception):
        _PLAYWRIGHT.pop().stop()


def script_state(page) -> tuple[str | None, str | None, float]:
    """(script state, connection state, performance.now() in ms) as Streamlit's e2e tests read."""
    return tuple(
        page.evaluate(
            """() => { const a = document.querySelector('[data-testid="stApp"]');
                       return [a && a.getAttribute('data-test-script-state'),
                               a && a.getAttribute('data-test-connection-state'),
                               performance.now()]; }"""
        )
    )


def wait_for_app(page, timeout_ms: int = 60_000, settle_ms: int = 500) -> float:
    """Wait until Streamlit has finished running the script and the page is drawn.

    Signals: stApp's data-test-script-state leaves «initial»/«running», the connection is
    CONNECTED, no «running» status widget, no stale elements or skeletons. A rerun can start
    right after one ends (URL write, map selection), so all must hold for `settle_ms` in a row.
    Returns the page's clock (ms since navigation start) when it became quiet.
    """
    page.wait_for_selector(APP_VIEW, state="attached", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    quiet_at_ms = 0.0
    while time.monotonic() < deadline:
        script, connection, now_ms = script_state(page)
        busy = (
            script in (None, "initial", "running")
            or connection != "CONNECTED"
            or page.locator(f"{STATUS_WIDGET}, {SKELETON}, [data-stale='true']").count() > 0
        )
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since, quiet_at_ms = now, now_ms
        elif (now - quiet_since) * 1000 >= settle_ms:
            return quiet_at_ms
        page.wait_for_timeout(25)
    raise TimeoutError(f"the app was still running after {timeout_ms} ms ({script_state(page)})")


def wait_for_charts(page, timeout_ms: int = 30_000) -> int:
    """Wait until every Vega-Lite chart and deck.gl map on the page has drawn; return how many."""
    page.wait_for_function(
        """() => {
            const charts = document.querySelectorAll(
                '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]');
            for (const c of charts) {
                const r = c.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;   // in a closed expander / tab
                if (!c.querySelector('canvas, svg')) return false;
            }
            return true;
        }""",
        timeout=timeout_ms,
    )
    return page.locator(CHARTS).count()


# ----------------------------------------------------------------------------- AppTest
#
# The pages live in views/, not pages/: Streamlit treats a folder named pages/ next to the
# entrypoint as an old-style multipage app and runs a deep-linked page file WITHOUT app.py for
# the first request after a start (tests/test_browser.py::test_deep_link_first_request).


def app_test(page: str | None = None, params: dict | None = None, timeout: float = 120):
    """An AppTest of app.py on `page` (url path) with URL parameters, not yet run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page_files()[page])
    return at


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for key in sorted(children):
            yield from _walk(children[key])


def rendered_elements(at) -> list:
    """Every element of the last run, depth first (blocks included)."""
    return list(_walk(at._tree))


def rendered_texts(at) -> list[str]:
    """The text a user reads: titles, markdown, captions, alerts, metrics, code, widget labels."""
    out = []
    for el in rendered_elements(at):
        kind = type(el).__name__
        proto = getattr(el, "proto", None)
        if kind in ("SpecialBlock", "Block", "ElementTree") or proto is None:
            continue
        for attr in ("body", "label", "value", "code_text", "help"):
            value = getattr(proto, attr, None)
            if isinstance(value, str) and value:
                out.append(f"{kind}.{attr}: {value}")
    return out


# Random per session by design (a deferred download's id); everything else must match.
VOLATILE_FIELDS = {"deferred_file_id"}


def element_digests(at) -> list[tuple[str, str]]:
    """(element type, sha256 of its proto) for everything the run drew, in order.

    Volatile fields (a deferred download's random id) are cleared first; everything else, chart
    specs and their datasets included, must be the same for the same view.
    """
    import hashlib

    out = []
    for el in rendered_elements(at):
        proto = getattr(el, "proto", None)
        kind = type(el).__name__
        if proto is None or not hasattr(proto, "SerializeToString"):
            out.append((kind, ""))
            continue
        fields = {f.name for f in proto.DESCRIPTOR.fields}
        if fields & VOLATILE_FIELDS:
            proto = type(proto).FromString(proto.SerializeToString())
            for name in fields & VOLATILE_FIELDS:
                proto.ClearField(name)
        if kind == "UnknownElement":
            kind = f"UnknownElement:{proto.DESCRIPTOR.name}"
        if proto.DESCRIPTOR.name == "BidiComponent" and proto.json:
            proto = _without_session_ids(proto)
        out.append((kind, hashlib.sha256(proto.SerializeToString(deterministic=True)).hexdigest()))
    return out


# Per-session values a custom component may carry (Dialogmøte's bridge asks the browser for its
# stored notes under a random id per session): the same view in two sessions differs only there.
SESSION_ID_KEYS = {"restore_id"}


def _without_session_ids(proto):
    import json

    data = json.loads(proto.json)
    if not isinstance(data, dict) or not SESSION_ID_KEYS & data.keys():
        return proto
    proto = type(proto).FromString(proto.SerializeToString())
    proto.json = json.dumps(
        {k: ("<per session>" if k in SESSION_ID_KEYS and v else v) for k, v in data.items()},
        sort_keys=True,
    )
    return proto


def fingerprint(at) -> str:
    """A hash of everything the run drew (element protos, in order) plus the URL it wrote."""
    import hashlib

    h = hashlib.sha256()
    for kind, digest in element_digests(at):
        h.update(kind.encode() + digest.encode())
    h.update(repr(sorted(at.query_params.items())).encode())
    return h.hexdigest()


def url_filters(at) -> list:
    """The main-area widgets that are URL-bound filters (keys registered by components.state)."""
    registered = set(at.session_state["_url_keys"]) if "_url_keys" in at.session_state else set()
    out = []
    for el in _walk(at.main):
        if getattr(el, "key", None) in registered and getattr(el, "options", None):
            out.append(el)
    return out


def choose_option(widget, index: int) -> None:
    """Pick a select/radio/segmented option by its shown label, as the browser sends it.

    AppTest's own set_value needs the raw option value, which a generic test cannot know; the
    browser sends the formatted label and Streamlit maps it back, which is what happens here.
    """
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1.element_tree import ButtonGroup

    label = widget.options[index % len(widget.options)]
    multi = isinstance(widget, ButtonGroup)
    base = type(widget)

    class Picked(base):
        @property
        def _widget_state(self):
            ws = WidgetState()
            ws.id = self.id
            if multi:
                ws.string_array_value.data[:] = [label]
            else:
                ws.string_value = label
            return ws

    widget.__class__ = Picked


def change_first_filter(at) -> str | None:
    """Move the first URL-bound filter on the page to its next option; return its key."""
    for widget in url_filters(at):
        if len(widget.options) < 2:
            continue
        try:
            current = widget.indices[0] if hasattr(widget, "indices") else widget.index
        except (ValueError, IndexError, KeyError, TypeError):
            current = 0
        choose_option(widget, (current or 0) + 1)
        return widget.key
    return None


@contextlib.contextmanager
def shared_runtime() -> Iterator[None]:
    """Let AppTest instances run in parallel threads, as sessions do in one real server.

    AppTest installs a mock Runtime as the process-wide singleton at the start of each run and
    removes it at the end, so a session that finishes pulls the runtime out from under one still
    running ("Runtime hasn't been created!"). A real server has one Runtime for all sessions;
    here, while a run is between those two moments, the last installed mock stays reachable.
    AppTest also compiles the scripts afresh for every run, and concurrent compiles trip a
    CPython 3.11 parser fault ("AST constructor recursion depth mismatch"); a server compiles
    each script once into one shared cache, so here all sessions share one ScriptCache too.
    Last, AppTest marks each run by patching streamlit.config.get_option for its duration;
    overlapping patches from several threads undo each other, so the mark is set once here.
    """
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.runtime import Runtime
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    last: dict[str, object] = {}
    original_instance = Runtime.__dict__["instance"]
    original_exists = Runtime.__dict__["exists"]

    def instance(cls):
        current = cls._instance
        if current is not None:
            last["runtime"] = current
            return current
        if "runtime" in last:
            return last["runtime"]
        return original_instance.__func__(cls)

    def exists(cls):
        return cls._instance is not None or "runtime" in last

    shared_cache = ScriptCache()
    original_patch = app_test_module.patch_config_options
    Runtime.instance = classmethod(instance)
    Runtime.exists = classmethod(exists)
    app_test_module.ScriptCache = lambda: shared_cache
    app_test_module.patch_config_options = lambda overrides: contextlib.nullcontext()
    try:
        with original_patch({"global.appTest": True}):
            yield
    finally:
        Runtime.instance = original_instance
        Runtime.exists = original_exists
        app_test_module.ScriptCache = ScriptCache
        app_test_module.patch_config_options = original_patch


# Between runs AppTest serialises widget values by calling each widget's format_func in the
# test's own thread, where st.session_state is not the session's: components.i18n.lang() then
# falls back to «nb» and an English label is «not in list». run() tells lang() which language
# the AppTest being serialised uses; inside a real script run lang() is untouched.
_serialising = threading.local()


def _teach_i18n_about_apptest() -> None:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    import components.i18n as i18n

    if getattr(i18n.lang, "_apptest_aware", False):
        return
    original = i18n.lang

    def lang() -> str:
        if get_script_run_ctx(suppress_warning=True) is None:
            chosen = getattr(_serialising, "lang", None)
            if chosen in i18n.LANGS:
                return chosen
        return original()

    lang._apptest_aware = True
    i18n.lang = lang


def run(at):
    """at.run(), with the session's language known while AppTest serialises widget values."""
    _teach_i18n_about_apptest()
    try:
        _serialising.lang = at.session_state["lang"] if "lang" in at.session_state else None
    except Exception:  # noqa: BLE001 - before the first run there is no session state yet
        _serialising.lang = None
    try:
        return at.run()
    finally:
        _serialising.lang = None
