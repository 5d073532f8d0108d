"""Run N replicas of the app behind Debian's nginx on this machine.

Usage: python -m deploy.serve --replicas 2 --port 8080 [--listen 0.0.0.0] [--status-port 8079]

Starts `streamlit run app.py` N times on 127.0.0.1 (ports after --port), waits until each
answers /_stcore/health, writes an nginx config from deploy/nginx.conf.template into a
temporary folder (pid, logs and temp files there: no root needed) and runs nginx in the
foreground. All replicas read the same database file (read-only; rebuild it with
`python -m data.build`, which renames a new file over it, and every replica reopens it).
A replica that exits is started again; Ctrl-C or SIGTERM stops nginx, then all replicas.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
COOKIE = "skolemiljo_route"


def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline <script> blocks in Streamlit's index.html (one in 1.67)."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text("utf-8")
    out = []
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        out.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return out


def content_security_policy() -> str:
    """Only this server: no CDN, tiles or web fonts, no 'unsafe-eval', no inline scripts.

    What Streamlit 1.67 needs, found in Chromium (tests/test_replicas.py checks every page):
    inline styles (emotion), data: images, 'wasm-unsafe-eval' (its protobuf decoder and
    deck.gl compile WebAssembly; JavaScript eval stays forbidden), connect-src data: (the map
    fetches its empty base style as a data: URL) and blob: workers. Scripts from blob: URLs:
    a custom component (st.components.v2, Dialogmøte's browser bridge) is imported from a blob
    the frontend makes of the component's inline JavaScript; only script already running on
    the page can make one. Its one inline script in index.html is allowed by its hash,
    computed from the installed Streamlit.
    """
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' blob: 'wasm-unsafe-eval' " + " ".join(inline_script_hashes()),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self' data:",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def render_config(
    replica_ports: list[int],
    listen: str,
    status_port: int,
    run_dir: Path,
    workers: int = 1,
    secure_cookie: bool = False,
) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;" for p in replica_ports
    )
    replica_locations = "\n".join(
        f"        location = /replica/{i}/health {{\n"
        f"            proxy_pass http://127.0.0.1:{p}/_stcore/health;\n"
        "        }"
        for i, p in enumerate(replica_ports)
    )
    fields = {
        "workers": str(workers),
        "run_dir": str(run_dir),
        "cookie": COOKIE,
        "cookie_flags": "; Secure" if secure_cookie else "",
        "servers": servers,
        "replica_locations": replica_locations,
        "listen": listen,
        "status_port": str(status_port),
        "csp": content_security_policy(),
    }
    text = TEMPLATE.read_text("utf-8")
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ValueError(f"unfilled template fields: {left}")
    return text


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def wait_until(check, what: str, timeout: float, alive=lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"{what}: the process exited")
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what}: no answer in {timeout:.0f} s")


def stop_process(proc: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 10) -> None:
    """Signal `proc`, wait, then SIGKILL its whole process group (started with
    start_new_session, so the group is its own: nginx's workers, anything a replica started)."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # A worker outlives a killed nginx master and keeps the port: end the group, not just proc.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@dataclass
class Replica:
    index: int
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """N replicas plus nginx. Use as a context manager (tests, benchmark) or via main()."""

    replicas: int = 2
    port: int = 8080
    listen: str = "127.0.0.1"
    status_port: int | None = None
    replica_ports: list[int] | None = None
    db: Path | None = None
    run_dir: Path | None = None
    nginx: str = "nginx"
    workers: int = 1
    secure_cookie: bool = False
    quiet: bool = False
    members: list[Replica] = field(default_factory=list)
    nginx_proc: subprocess.Popen | None = None
    _own_run_dir: bool = False
    _stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.listen in ("0.0.0.0", "") else self.listen
        return f"http://{host}:{self.port}"

    @property
    def status_url(self) -> str:
        return f"http://127.0.0.1:{self.status_port}"

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ start

    def start(self) -> Cluster:
        nginx = shutil.which(self.nginx) or (
            "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
        )
        if not nginx:
            raise FileNotFoundError("nginx not found (Debian: apt-get install nginx-light)")
        self.nginx = nginx
        if self.replica_ports is None:
            self.replica_ports = [self.port + 1 + i for i in range(self.replicas)]
        self.replicas = len(self.replica_ports)
        if self.status_port is None:
            self.status_port = self.port + 1 + self.replicas
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="skolemiljo-serve-"))
            self._own_run_dir = True
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.db = Path(
            self.db or os.environ.get("SKOLEMILJO_DB") or REPO / "data/skolemiljo.duckdb"
        )
        if not self.db.exists():
            # Built once here, not by N replicas racing to build it at their first request.
            self.say(f"building {self.db} …")
            from data.build import build

            build(self.db, quiet=True)
        # One cookie secret for all replicas: a session that moves to another replica (its own
        # replica died) still passes Streamlit's XSRF check on uploads.
        self._secret = secrets.token_urlsafe(32)
        try:
            for i, port in enumerate(self.replica_ports):
                member = Replica(i, port, self.run_dir / f"replica-{i}.log")
                self.members.append(member)
                self._start_replica(member)
            for member in self.members:
                wait_until(
                    lambda m=member: healthy(f"{m.url}/_stcore/health"),
                    f"replica {member.index} on port {member.port}",
                    timeout=90,
                    alive=lambda m=member: m.proc.poll() is None,
                )
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        self.say(
            f"serving {self.url} → {self.replicas} replicas on ports "
            f"{', '.join(map(str, self.replica_ports))}; status {self.status_url}/nginx_status; "
            f"logs in {self.run_dir}"
        )
        return self

    def _start_replica(self, member: Replica) -> None:
        env = {
            **os.environ,
            "SKOLEMILJO_DB": str(self.db),
            "STREAMLIT_SERVER_COOKIE_SECRET": self._secret,
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.port", str(member.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        with open(member.log, "ab") as log:
            member.proc = subprocess.Popen(
                cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the launcher only; it stops them in order
            )  # fmt: skip

    def config_text(self) -> str:
        return render_config(
            self.replica_ports,
            f"{self.listen}:{self.port}",
            self.status_port,
            self.run_dir,
            self.workers,
            self.secure_cookie,
        )

    def _start_nginx(self) -> None:
        conf = self.run_dir / "nginx.conf"
        conf.write_text(self.config_text(), "utf-8")
        # -e: the error log before the config is read (Debian's default is under /var/log).
        base = [
            self.nginx,
            "-p",
            str(self.run_dir),
            "-c",
            str(conf),
            "-e",
            str(self.run_dir / "error.log"),
        ]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx rejected {conf}:\n{check.stderr.strip()}")
        self.nginx_proc = subprocess.Popen(
            base, stdout=subprocess.DEVNULL, stderr=open(self.run_dir / "nginx.out", "ab"),  # noqa: SIM115
            start_new_session=True,
        )  # fmt: skip
        wait_until(
            lambda: healthy(f"{self.status_url}/nginx_status"),
            f"nginx on {self.listen}:{self.port}",
            timeout=20,
            alive=lambda: self.nginx_proc.poll() is None,
        )

    # ------------------------------------------------------------------ run / stop

    def watch(self, interval: float = 2.0) -> int:
        """Until stopped: restart a replica that exited; end if nginx exits. Returns exit code."""
        while not self._stopping.wait(interval):
            if self.nginx_proc.poll() is not None:
                self.say(f"nginx exited with code {self.nginx_proc.returncode}; stopping")
                return 1
            for member in self.members:
                if member.proc.poll() is not None:
                    member.restarts += 1
                    self.say(
                        f"replica {member.index} (port {member.port}) exited with code "
                        f"{member.proc.returncode}; starting it again (restart {member.restarts})"
                    )
                    self._start_replica(member)
        return 0

    def request_stop(self, *_args) -> None:
        self._stopping.set()

    def stop(self) -> None:
        self._stopping.set()
        # nginx first (QUIT: finish open requests), so no request goes to a stopping replica.
        stop_process(self.nginx_proc, signal.SIGQUIT, timeout=5)
        for member in self.members:
            stop_process(member.proc)
        if self._own_run_dir and self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def running(**kwargs) -> Iterator[Cluster]:
    cluster = Cluster(**kwargs)
    with cluster:
        yield cluster


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--replicas", type=int, default=2, help="how many app processes (default 2)")
    p.add_argument("--port", type=int, default=8080, help="the port nginx listens on")
    p.add_argument(
        "--listen",
        default="127.0.0.1",
        help="the address nginx listens on (default 127.0.0.1; 0.0.0.0 for all interfaces)",
    )
    p.add_argument("--first-replica-port", type=int, help="default: --port + 1")
    p.add_argument(
        "--status-port", type=int, help="loopback status port (default after the replicas)"
    )
    p.add_argument(
        "--db", type=Path, help="database file (default SKOLEMILJO_DB or data/skolemiljo.duckdb)"
    )
    p.add_argument(
        "--run-dir", type=Path, help="folder for nginx.conf, logs and pid (default: a temp dir)"
    )
    p.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    p.add_argument(
        "--secure-cookie", action="store_true", help="mark the sticky cookie Secure (behind TLS)"
    )
    p.add_argument("--print-config", action="store_true", help="print the nginx config and exit")
    args = p.parse_args(argv)
    if args.replicas < 1:
        p.error("--replicas must be at least 1")
    first = args.first_replica_port or args.port + 1
    cluster = Cluster(
        replicas=args.replicas,
        port=args.port,
        listen=args.listen,
        status_port=args.status_port,
        replica_ports=[first + i for i in range(args.replicas)],
        db=args.db,
        run_dir=args.run_dir,
        workers=args.workers,
        secure_cookie=args.secure_cookie,
    )
    if args.print_config:
        cluster.status_port = args.status_port or first + args.replicas
        cluster.run_dir = args.run_dir or Path("/run/skolemiljo")
        print(cluster.config_text())
        return 0
    signal.signal(signal.SIGINT, cluster.request_stop)
    signal.signal(signal.SIGTERM, cluster.request_stop)
    try:
        cluster.start()
        code = cluster.watch()
    finally:
        cluster.say("stopping nginx and the replicas …")
        cluster.stop()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
