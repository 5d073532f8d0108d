"""Two replicas of the app behind Debian's nginx, as deploy/serve.py runs them.

The shipped configuration end to end on localhost: two `streamlit run app.py` processes on
loopback ports sharing one read-only database file, nginx in front (sticky cookie, websocket
upgrade, security headers, loopback status port). Four Chromium sessions (more if chance put
all four on one replica) walk through the pages while the database is rebuilt underneath them
with `python -m data.build --db …`, as README «Running several replicas» tells an operator to.
Then: no session saw an error, every request of a session went to one replica, both replicas
served someone, and the headers, status page and health checks are there.

Nothing here is timed: every wait is generous, for a loaded 2-core machine. Without nginx,
Chromium or Playwright this skips with a message; with CI=true it fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import streamlit

from deploy.serve import COOKIE, Cluster
from tests import browser_support as bs

REPO = Path(__file__).resolve().parent.parent
STRINGS = REPO / "components" / "strings" / "common.toml"
SESSIONS = 4
MAX_SESSIONS = 12  # opened one by one until both replicas have a session
APP_TIMEOUT_MS = 180_000
# What a broken session shows (components/strings/common.toml, Streamlit's connection dialog).
BROKEN_TEXTS = (
    "Databasen kunne ikke",
    "Databasefilen kan ikke brukes",
    "Databasen mangler",
    "Connection error",
    "Is Streamlit still running",
)
SESSION_PATHS = ("/_stcore/stream", "/media/", "/_stcore/upload_file")
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \d+ '
    r"route=(?P<route>\S+) upstream=(?P<upstream>.+?) rt=\S+ urt=.*? ustatus=(?P<ustatus>.*)$"
)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the replica test must run in CI: {reason}")
    pytest.skip(f"replica test skipped: {reason}")


def _nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not path:
        _unavailable("nginx not found (Debian: apt-get install nginx-light)")
    return path


def nav_title(url_path: str) -> str:
    with open(STRINGS, "rb") as f:
        return tomllib.load(f)[f"nav_{url_path}"]["nb"]


def get(url: str, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"User-Agent": "test_replicas"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on `port` (from /proc/net/tcp)."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
            out.add(".".join(str(int(addr[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return out


def access_log(run_dir: Path) -> list[dict]:
    path = run_dir / "access.log"
    if not path.exists():
        return []
    return [m.groupdict() for m in map(LOG_LINE.search, path.read_text().splitlines()) if m]


# ----------------------------------------------------------------------------- a session


class Session:
    """One browser context: its page, what went wrong on it, and its sticky cookie."""

    def __init__(self, ctx, index: int):
        self.ctx, self.index = ctx, index
        self.page = ctx.new_page()
        self.problems: list[str] = []
        self.csp: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))

    def _console(self, msg) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.csp.append(text[:300])

    def route(self) -> str | None:
        return next((c["value"] for c in self.ctx.cookies() if c["name"] == COOKIE), None)

    def settle(self, step: str, charts: bool) -> None:
        """Wait until the script has finished (and, with `charts`, every chart and map drew:
        under the CSP, deck.gl and Vega must still be allowed to run)."""
        bs.wait_for_app(self.page, timeout_ms=APP_TIMEOUT_MS)
        if charts:
            bs.wait_for_charts(self.page, timeout_ms=APP_TIMEOUT_MS)
        self.check(step)

    def goto(self, url: str, step: str, charts: bool = False) -> None:
        self.page.goto(url, timeout=APP_TIMEOUT_MS)
        self.settle(step, charts)

    def click(self, url_path: str, charts: bool = False) -> None:
        """A click on the page's link in the sidebar, as a user switches pages."""
        link = self.page.locator('[data-testid="stSidebarNavLink"]', has_text=nav_title(url_path))
        link.first.click(timeout=APP_TIMEOUT_MS)
        self.page.wait_for_function(
            """title => { const a = document.querySelector(
                   '[data-testid="stSidebarNavLink"][aria-current="page"]');
                   return a && a.innerText.includes(title); }""",
            arg=nav_title(url_path),
            timeout=APP_TIMEOUT_MS,
        )
        self.settle(url_path, charts)

    def check(self, step: str) -> None:
        page = self.page
        for selector, what in ((bs.EXCEPTION, "exception"), (bs.ALERT_ERROR, "error box")):
            for el in page.locator(selector).all():
                self.problems.append(f"{step}: {what}: {el.inner_text()[:300]}")
        text = page.locator("body").inner_text()
        for broken in BROKEN_TEXTS:
            if broken in text:
                self.problems.append(f"{step}: the page says «{broken}»")


# ----------------------------------------------------------------------------- the test


def test_two_replicas_behind_nginx(tmp_path):
    nginx = _nginx()
    try:
        bs.require_playwright()
        bs.chromium_path()
    except bs.BrowserUnavailable as err:
        _unavailable(str(err))

    db = tmp_path / "shared" / "skolemiljo.duckdb"
    db.parent.mkdir()
    rebuild = [sys.executable, "-m", "data.build", "--db", str(db)]  # README's operator command
    subprocess.run(rebuild, cwd=REPO, check=True, capture_output=True, timeout=300)

    run_dir = tmp_path / "nginx"
    ports = [bs.free_port() for _ in range(4)]
    cluster = Cluster(
        port=ports[0],
        replica_ports=ports[1:3],
        status_port=ports[3],
        db=db,
        run_dir=run_dir,
        nginx=nginx,
        quiet=True,
    )
    base = cluster.url
    try:
        cluster.start()
        upstreams = {f"127.0.0.1:{p}" for p in ports[1:3]}

        # ---- bind addresses: replicas and the status port on loopback only
        for port in ports[1:]:
            assert listening_addresses(port) == {"127.0.0.1"}, (
                f"port {port} listens on {listening_addresses(port)}, not only loopback"
            )

        # ---- headers on every response through nginx
        status, headers, _ = get(base + "/")
        assert status == 200
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
        assert "'unsafe-eval'" not in csp
        assert headers.get("x-frame-options") == "DENY"
        assert headers.get("referrer-policy") == "same-origin"
        assert headers.get("x-content-type-options") == "nosniff"
        assert f"{COOKIE}=" in headers.get("set-cookie", "")
        status, headers, _ = get(base + "/_stcore/health")
        assert status == 200 and headers.get("x-frame-options") == "DENY"

        # ---- status port: nginx counters and each replica's health
        status, _, body = get(cluster.status_url + "/nginx_status")
        assert status == 200 and b"Active connections" in body, body[:200]
        for path in ("/health", "/replica/0/health", "/replica/1/health"):
            status, _, body = get(cluster.status_url + path)
            assert (status, body.strip()) == (200, b"ok"), (path, status, body[:200])

        # ---- a large file through nginx, read slowly so nginx cannot pass it on at once (it
        # once spilled such a response to a folder its workers could not write, and cut it off)
        static_js = Path(streamlit.__file__).parent / "static" / "static" / "js"
        big = max(static_js.glob("*.js"), key=lambda p: p.stat().st_size)
        with urllib.request.urlopen(f"{base}/static/js/{big.name}", timeout=120) as r:
            got = bytearray()
            while chunk := r.read(256 * 1024):
                got += chunk
                time.sleep(0.02)
        assert len(got) == big.stat().st_size, (
            f"{big.name} arrived cut off: {len(got)} of {big.stat().st_size} bytes"
        )

        sessions: list[Session] = []
        with bs.chromium() as browser, contextlib.ExitStack() as contexts:

            def new_session() -> Session:
                ctx = contexts.enter_context(
                    browser.new_context(viewport=bs.VIEWPORT, locale="nb-NO")
                )
                session = Session(ctx, len(sessions))
                sessions.append(session)
                session.goto(base + "/", "oversikt")
                return session

            def served(session: Session) -> set[str]:
                route = session.route()
                log = access_log(run_dir)
                return {e["upstream"].split(",")[0] for e in log if e["route"] == route}

            # ---- open sessions until there are four and both replicas have one
            for _ in range(SESSIONS):
                new_session()
            while len({u for s in sessions for u in served(s)}) < 2:
                assert len(sessions) < MAX_SESSIONS, (
                    f"{len(sessions)} sessions, all on {served(sessions[0])}: is the hash sticky "
                    "on a constant?"
                )
                new_session()

            for s in sessions:
                s.goto(base + "/min_kommune?kommune=1804", "min_kommune")
            for s in sessions:
                s.click("skolebidrag")

            # ---- rebuild the shared database while every session is open and working
            inode = db.stat().st_ino
            build = subprocess.Popen(
                rebuild, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            try:
                for s in sessions:
                    s.click("kjennskap")
                out, _ = build.communicate(timeout=300)
            finally:
                if build.poll() is None:
                    build.kill()
                    build.wait()
            assert build.returncode == 0, out.decode(errors="replace")[-2000:]
            assert db.stat().st_ino != inode, "the rebuild did not replace the file"
            assert not list(db.parent.glob("*.tmp-*")), list(db.parent.iterdir())

            # ---- after the rebuild: every page, in the same sessions (the replicas reopen), with
            # its charts and maps drawn (the heavy part for Chromium on two cores, so only here)
            order = [p for p in bs.PAGES if p != "dialogmote"] + ["dialogmote"]  # no nav after
            for n, s in enumerate(sessions):
                for url_path in order[2 * (n % SESSIONS) : 2 * (n % SESSIONS) + 2]:
                    s.click(url_path, charts=True)
                    if url_path == "min_kommune":
                        assert "Bodø" in s.page.locator('[data-testid="stMain"]').inner_text()

            routes = {s.index: s.route() for s in sessions}
            csp_violations = {s.index: s.csp for s in sessions if s.csp}
            problems = {s.index: s.problems for s in sessions if s.problems}
        # contexts closed here: the websockets end, and nginx writes their log lines

        assert problems == {}, problems
        assert csp_violations == {}, csp_violations
        assert all(routes.values()), f"a session without the sticky cookie: {routes}"
        assert len(set(routes.values())) == len(routes), routes

        # ---- stickiness, from nginx's access log (a websocket is logged when it closes)
        deadline = time.monotonic() + 60
        while True:
            entries = access_log(run_dir)
            streams = {
                i: [e for e in entries if e["route"] == r and e["path"] == "/_stcore/stream"]
                for i, r in routes.items()
            }
            if all(len(v) >= 2 for v in streams.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        errors = (run_dir / "error.log").read_text()
        retried_paths: set[str] = set()
        for i, route in routes.items():
            mine = [e for e in entries if e["route"] == route]
            assert len(streams[i]) >= 2, f"session {i}: websockets in the log: {streams[i]}"
            assert {e["status"] for e in streams[i]} == {"101"}, streams[i]
            # The replica nginx chose for each request (the first address; a second one means
            # the chosen replica failed and nginx retried the request on the next one).
            chosen = {e["upstream"].split(",")[0] for e in mine}
            assert len(chosen) == 1, (
                f"session {i} was routed to more than one replica ({chosen}): "
                f"{[(e['path'], e['upstream']) for e in mine][:12]}"
            )
            # Retried on another replica: harmless for a static file, not for what lives in
            # the session's replica (its websocket, its /media downloads, its uploads).
            retried = [e for e in mine if "," in e["upstream"]]
            bound = [e for e in retried if e["path"].startswith(SESSION_PATHS)]
            assert bound == [], f"session {i}: {bound}\nerror.log: {errors[-2000:]}"
            if retried:
                print(f"\nsession {i}: retried on the next replica: {retried}")
                retried_paths |= {e["path"] for e in retried}
        used = {e["upstream"].split(",")[0] for e in entries if e["route"] in routes.values()}
        assert used == upstreams, f"replicas that served a session: {used}, all: {upstreams}"
        per_replica = {
            u: sum(
                {e["upstream"].split(",")[0] for e in entries if e["route"] == r} == {u}
                for r in routes.values()
            )
            for u in sorted(upstreams)
        }
        print(f"\n{len(routes)} sessions through nginx, per replica: {per_replica}")

        # ---- nothing went wrong on the server side
        # Errors, except the failed first try of a request nginx then served from the other
        # replica (listed above).
        serious = [
            line
            for line in errors.splitlines()
            if re.search(r"\[(crit|alert|emerg|error)\]", line)
            and not any(f'request: "GET {path} ' in line for path in retried_paths)
        ]
        assert serious == [], "\n".join(serious[-20:])
        for member in cluster.members:
            log = member.log.read_text(errors="replace")
            assert "Traceback" not in log, f"replica {member.index}:\n{log[-3000:]}"
            assert member.proc.poll() is None, f"replica {member.index} exited"
    finally:
        cluster.stop()  # nginx, then both replicas; each process group is killed if it lingers
