"""Benchmark: page switches per second through nginx, 1 and 2 app replicas, 20 and 40 sessions.

Usage: python -m benchmarks.replicas [--seconds 60] [--replicas 1 2] [--sessions 20 40]
       (or python -m benchmarks.run --with-replicas, as one section of the full benchmark)

deploy/serve.py's Cluster runs the replicas and nginx on free localhost ports, all reading one
database built for the run. The sessions are not browsers: 40 Chromium tabs would take the two
cores from the servers. Each is benchmarks/st_session.py, Streamlit's websocket protocol
spoken as Chromium speaks it (the first GET gives nginx's sticky cookie; a switch sends what a
sidebar click sends). A page switch = send the rerun, wait until the script has finished.

Per configuration: the replicas are warmed first (one session straight to each replica's port
opens every page for every kommune used); then all sessions connect through nginx and open
their first page; then, for `--seconds`, every session switches to its next page as soon as the
last one finished (no think time: the server's capacity, not a user's pace). Switches that end
inside the window count; waits are per switch. Prints a table and writes
benchmarks/results/replicas.json.

On a 2-core machine two replicas share the cores the one replica had: the ratio shows what a
second process gives (one Python process runs its sessions' scripts under one GIL), not what a
second machine gives.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
# The default page is "" in Streamlit's navigation (served at «/»): that is Oversikt.
PAGES = ["", "kjennskap", "bruk", "aktorer", "skolebidrag", "min_kommune", "dialogmote", "kilder"]
KOMMUNER = ["1804", "0301", "4601", "5401"]  # Bodø, Oslo, Bergen, Tromsø
DRIVER = "websocket protocol (benchmarks/st_session.py), not browsers"
SWITCH_TIMEOUT = 300  # seconds; a switch that takes longer counts as an error


def page_label(url_path: str) -> str:
    return url_path or "oversikt"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ----------------------------------------------------------------------------- sessions


async def warm(replica_url: str) -> int:
    """Every page once for every kommune, straight to one replica; returns the switches made."""
    from benchmarks.st_session import Session

    async def one(kommune: str) -> int:
        async with Session(replica_url, f"kommune={kommune}", SWITCH_TIMEOUT) as s:
            await s.open(PAGES[0])
            for page in PAGES[1:] + PAGES[:1]:
                await s.switch(page)
        return len(PAGES)

    return sum(await asyncio.gather(*(one(k) for k in KOMMUNER)))


async def measure(base_url: str, sessions: int, seconds: float, pids: list[int]) -> dict:
    """`sessions` sessions through nginx switching pages for `seconds`; the numbers."""
    from benchmarks.st_session import Session, SessionError

    records: list[tuple[float, float, str]] = []  # (start, end, page)
    errors: list[str] = []
    opened = asyncio.Event()
    ready = 0
    window: dict[str, float] = {}

    async def user(i: int, s: Session) -> None:
        nonlocal ready
        try:
            first = await s.open(PAGES[i % len(PAGES)])
            errors.extend(first.problems)
        except SessionError as err:
            errors.append(f"open: {err}")
            return
        finally:
            ready += 1
            if ready == sessions:
                window["start"] = time.perf_counter()
                window["end"] = window["start"] + seconds
                opened.set()
        await opened.wait()
        k = i
        while time.perf_counter() < window["end"]:
            k += 1
            page = PAGES[k % len(PAGES)]
            t0 = time.perf_counter()
            try:
                result = await s.switch(page)
            except SessionError as err:
                errors.append(f"{page_label(page)}: {err}")
                return
            records.append((t0, time.perf_counter(), page))
            errors.extend(f"{page_label(page)}: {p}" for p in result.problems)

    connected = await asyncio.gather(
        *(
            Session(base_url, f"kommune={KOMMUNER[i % len(KOMMUNER)]}", SWITCH_TIMEOUT).__aenter__()
            for i in range(sessions)
        ),
        return_exceptions=True,
    )
    clients = [c for c in connected if not isinstance(c, BaseException)]
    try:
        failed = [c for c in connected if isinstance(c, BaseException)]
        if failed:
            raise RuntimeError(
                f"{len(failed)} of {sessions} sessions could not connect: {failed[0]!r}"
            )
        cpu0 = {pid: cpu_seconds(pid) for pid in pids}
        own0 = time.process_time()
        await asyncio.gather(*(user(i, s) for i, s in enumerate(clients)))
        # every session has drained its last switch: the window is over, nothing is running
        cpu1 = {pid: cpu_seconds(pid) for pid in pids}
        own1 = time.process_time()
        drained = time.perf_counter()
    finally:
        await asyncio.gather(*(s.__aexit__(None, None, None) for s in clients))
    start, end = window.get("start", 0.0), window.get("end", 0.0)
    # Throughput: switches finished inside the window. Waits: every switch started in it (the
    # last ones finish after it; leaving them out would drop the longest waits).
    inside = [(t0, t1, p) for t0, t1, p in records if t1 <= end]
    waits = [t1 - t0 for t0, t1, _ in records]
    busy = drained - start  # the replicas' CPU is read over the window plus the drain
    return {
        "sessions": sessions,
        "seconds": seconds,
        "switches": len(inside),
        "switches_per_s": len(inside) / seconds,
        "median_wait_s": statistics.median(waits) if waits else float("nan"),
        "p90_wait_s": percentile(waits, 0.9),
        "errors": len(errors),
        "error_samples": errors[:5],
        "replica_cpu_pct": [100 * (cpu1[p] - cpu0[p]) / busy for p in pids],
        "driver_cpu_pct": 100 * (own1 - own0) / busy,
        "cookies": [s.cookie for s in clients],
    }


def sessions_per_replica(run_dir: Path, cookies: list[str], replica_ports: list[int]) -> list[int]:
    """How many sessions nginx sent to each replica (its access log: route → upstream)."""
    routes = {c.split("=", 1)[1] for c in cookies if "=" in c}
    where: dict[str, str] = {}
    pattern = re.compile(r"route=(\S+) upstream=(\S+)")
    for line in (run_dir / "access.log").read_text().splitlines():
        m = pattern.search(line)
        if m and m.group(1) in routes:
            where[m.group(1)] = m.group(2)
    return [sum(1 for u in where.values() if u == f"127.0.0.1:{p}") for p in replica_ports]


# ----------------------------------------------------------------------------- the run


def run(replica_counts=(1, 2), session_counts=(20, 40), seconds: float = 60) -> dict:
    from deploy.serve import Cluster
    from tests.browser_support import free_port

    out: dict = {
        "machine": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
        },
        "driver": DRIVER,
        "rows": [],
    }
    with tempfile.TemporaryDirectory(prefix="skolemiljo-replicas-") as tmp:
        tmp = Path(tmp)
        db = tmp / "skolemiljo.duckdb"
        from data.build import build

        build(db, quiet=True)
        for n in replica_counts:
            ports = [free_port() for _ in range(n + 2)]
            run_dir = tmp / f"nginx-{n}"
            cluster = Cluster(
                port=ports[0],
                replica_ports=ports[1 : n + 1],
                status_port=ports[n + 1],
                db=db,
                run_dir=run_dir,
                quiet=True,
            )
            try:
                say(f"{n} replica(s): starting …")
                cluster.start()
                say(f"{n} replica(s): warming every page for {len(KOMMUNER)} kommuner …")
                for member in cluster.members:
                    asyncio.run(warm(member.url))
                pids = [m.proc.pid for m in cluster.members]
                for sessions in session_counts:
                    say(f"{n} replica(s), {sessions} sessions: {seconds:.0f} s of page switches …")
                    load = os.getloadavg()[0]
                    row = asyncio.run(measure(cluster.url, sessions, seconds, pids))
                    row["replicas"] = n
                    row["load_1min_at_start"] = load
                    row["sessions_per_replica"] = sessions_per_replica(
                        run_dir, row.pop("cookies"), cluster.replica_ports
                    )
                    out["rows"].append(row)
                    say(format_row(row))
                    time.sleep(3)  # let the servers finish what closed sessions left running
            finally:
                cluster.stop()
    out["machine"]["load_average_at_end"] = os.getloadavg()
    return out


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


HEADER = (
    "| replicas | sessions | switches/s | median wait per switch | p90 | errors "
    "| sessions per replica | replica CPU (% of a core) |\n"
    "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
)


def format_row(r: dict) -> str:
    return (
        f"| {r['replicas']} | {r['sessions']} | {r['switches_per_s']:.2f} "
        f"| {r['median_wait_s']:.1f} s | {r['p90_wait_s']:.1f} s | {r['errors']} "
        f"| {' / '.join(map(str, r['sessions_per_replica']))} "
        f"| {' / '.join(f'{c:.0f}' for c in r['replica_cpu_pct'])} |"
    )


def print_report(r: dict) -> None:
    m = r["machine"]
    start, end = m["load_average_at_start"], m["load_average_at_end"]
    print(
        f"\nReplica throughput {m['when']} · {m['cpus']} CPUs · load average "
        f"{start[0]:.2f} / {start[1]:.2f} / {start[2]:.2f} at the start, "
        f"{end[0]:.2f} / {end[1]:.2f} / {end[2]:.2f} at the end"
    )
    print(f"Sessions: {r['driver']}; through nginx; {r['rows'][0]['seconds']:.0f} s per row\n")
    print(HEADER)
    for row in r["rows"]:
        print(format_row(row))
    base = {row["sessions"]: row for row in r["rows"] if row["replicas"] == 1}
    ratios = [
        f"{row['sessions']} sessions: {row['switches_per_s'] / base[row['sessions']]['switches_per_s']:.2f}×"
        for row in r["rows"]
        if row["replicas"] == 2 and base.get(row["sessions"], {}).get("switches_per_s")
    ]
    if ratios:
        print("\n2 replicas / 1 replica: " + ", ".join(ratios))
    driver = ", ".join(f"{row['driver_cpu_pct']:.0f}" for row in r["rows"])
    print(f"The session driver itself used {driver} % of a core (same rows), on the same cores.")
    for row in r["rows"]:
        if row["error_samples"]:
            print(f"errors ({row['replicas']} × {row['sessions']}): {row['error_samples']}")
    if (os.cpu_count() or 0) <= 2:
        print(
            "On this machine two replicas compete for the same cores: the ratio shows what a "
            "second process gives (one process runs its sessions' scripts under one GIL), not "
            "what a second machine gives."
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60, help="measuring window per row")
    p.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    p.add_argument("--sessions", type=int, nargs="+", default=[20, 40])
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    results = run(args.replicas, args.sessions, args.seconds)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "replicas.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_report(results)
    print(f"\nJSON: {RESULTS / 'replicas.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
