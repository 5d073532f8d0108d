"""Benchmark: a national Udir download and a national school-level file, by CLI and by upload.

Usage: python -m benchmarks.uploads [--repeats N]

For each file (SYNTHETIC values in Udir's real layout, benchmarks/udir_files.py):

- CLI: `python -m data.import_cli skolebidrag FILE` + `python -m data.build`, wall time of each;
- upload: parsing and storing it (components.skolebidrag_data.handle_upload) in a fresh process,
  wall time and the process's peak memory above what it held before (goal: ≤ 5× the file);
- pages: the server time of a rerun of every page with the upload loaded (AppTest, warm caches,
  median), next to the reference page (benchmarks/reference_page.py) in the same run (goal: every
  page within 1.5× of the reference, as without an upload).

Prints a table and writes benchmarks/results/uploads.json. Numbers depend on the machine and
what else runs on it: the load average is recorded with them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PAGES_PARAMS = {
    "oversikt": {},
    "kjennskap": {},
    "bruk": {},
    "aktorer": {},
    "skolebidrag": {"trinn": "8-10"},
    "min_kommune": {},
    "dialogmote": {"steg": "2"},
    "kilder": {},
}

MEASURE_UPLOAD = """
import gc, json, sys, time
from pathlib import Path
from components import skolebidrag_data as sd
raw = Path(sys.argv[1]).read_bytes()
# warm up: imports, the kommune reference, the Parquet writer (not what a file costs)
sd.handle_upload(Path(sys.argv[2]).read_bytes(), "warm-up.csv")
gc.collect()
def kb(field):
    return int(open('/proc/self/status').read().split(field + ':')[1].split()[0])
open('/proc/self/clear_refs', 'w').write('5')  # reset the peak (VmHWM) to the current RSS
before = kb('VmRSS')
t0 = time.perf_counter()
upload, problems = sd.handle_upload(raw, Path(sys.argv[1]).name)
seconds = time.perf_counter() - t0
print(json.dumps({"id": upload, "problems": len(problems), "seconds": seconds,
                  "peak_mb": (kb('VmHWM') - before) / 1024}))
"""


def files(tmp: Path) -> dict[str, Path]:
    from benchmarks.udir_files import national_download, schools_download
    from data.kommuner import reference

    ref = reference()
    out = {
        # kommune level: 356 kommuner × 3 trinn × 10 periods, actual/expected on 8.–10., both
        # sexes and girls/boys, two owner forms, as a national download gives them
        "national": national_download(
            ref,
            sexes=("Begge kjønn", "Jenter", "Gutter"),
            eierformer=("Alle eierformer", "Offentlig"),
        ),
        # school level: 2 800 schools × 3 trinn × 10 periods, each school with its kommune
        "schools": schools_download(ref),
    }
    paths = {}
    for name, raw in out.items():
        paths[name] = tmp / f"nedlasting_{name}.csv"
        paths[name].write_bytes(raw)
    return paths


def cli(path: Path, tmp: Path) -> dict:
    data_dir = tmp / f"data-{path.stem}"
    if not data_dir.exists():
        shutil.copytree(
            REPO / "data",
            data_dir,
            ignore=shutil.ignore_patterns("*.duckdb*", "imported", "uploads"),
        )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    imp = subprocess.run(
        [
            sys.executable,
            "-m",
            "data.import_cli",
            "skolebidrag",
            str(path),
            "--imported-dir",
            str(data_dir / "imported"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    t1 = time.perf_counter()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "data.build",
            "--db",
            str(tmp / f"{path.stem}.duckdb"),
            "--data-dir",
            str(data_dir),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    t2 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "build_s": t2 - t1,
        "ok": imp.returncode == 0 and build.returncode == 0,
        "stderr": (imp.stderr + build.stderr)[-400:],
    }


def upload(path: Path, store: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SKOLEMILJO_UPLOADS": str(store)}
    warm = REPO / "tests" / "data" / "import" / "udir_nedlasting_kommune_skoler.csv"
    res = subprocess.run(
        [sys.executable, "-c", MEASURE_UPLOAD, str(path), str(warm)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        return {"error": res.stderr[-400:]}
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["file_mb"] = path.stat().st_size / 2**20
    out["peak_ratio"] = out["peak_mb"] / out["file_mb"]
    return out


def pages(db: Path, store: Path, uploads: dict[str, str], repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    import queries
    from benchmarks.run import REFERENCE, _time_runs, median_ms
    from tests import browser_support as bs

    os.environ["SKOLEMILJO_DB"] = str(db)
    os.environ["SKOLEMILJO_UPLOADS"] = str(store)
    queries.reset()
    ref = AppTest.from_file(str(REPO / REFERENCE), default_timeout=120)
    out = {"reference_ms": median_ms(_time_runs(ref, lambda a: a.run(), repeats))}
    for label, upload_id in {"none": None, **uploads}.items():
        kommune = "1804"
        row = {}
        for page, params in PAGES_PARAMS.items():
            params = {"kommune": kommune, **params, **({"data": upload_id} if upload_id else {})}
            at = bs.app_test(page, params)
            try:
                ms = median_ms(_time_runs(at, bs.run, repeats))
            except Exception as err:  # noqa: BLE001 - report and go on
                row[page] = {"error": str(err)[:200]}
                continue
            row[page] = {
                "median_ms": ms,
                "ratio": ms / out["reference_ms"],
                "errors": len(at.error),
            }
        out[label] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    from benchmarks.run import machine

    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="skolemiljo-uploads-") as tmp:
        tmp = Path(tmp)
        store = tmp / "uploads"
        paths = files(tmp)
        results["files"] = {
            k: {"mb": p.stat().st_size / 2**20, "lines": p.read_bytes().count(b"\n")}
            for k, p in paths.items()
        }
        print("CLI import + build …", file=sys.stderr)
        results["cli"] = {k: cli(p, tmp) for k, p in paths.items()}
        print("uploads …", file=sys.stderr)
        results["upload"] = {k: upload(p, store) for k, p in paths.items()}
        from data.build import build

        db = tmp / "plain.duckdb"
        build(db, quiet=True)
        ids = {k: v["id"] for k, v in results["upload"].items() if v.get("id")}
        print("pages with each upload …", file=sys.stderr)
        results["pages"] = pages(db, store, ids, args.repeats)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "uploads.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report(results)
    return 0


def report(r: dict) -> None:
    m = r["machine"]
    print(
        f"\nUploads benchmark {m['when']} · {m['cpus']} CPUs · load {m['load_average_at_start'][0]:.1f}"
    )
    print(
        f"\n{'file':<10}{'MB':>7}{'lines':>9}{'CLI import s':>14}{'build s':>9}{'upload s':>10}{'peak MB':>9}{'× file':>8}"
    )
    for k, f in r["files"].items():
        c, u = r["cli"][k], r["upload"][k]
        print(
            f"{k:<10}{f['mb']:>7.1f}{f['lines']:>9,}{c['import_s']:>14.1f}{c['build_s']:>9.1f}"
            f"{u.get('seconds', float('nan')):>10.1f}{u.get('peak_mb', float('nan')):>9.0f}{u.get('peak_ratio', float('nan')):>8.1f}"
        )
    p = r["pages"]
    print(f"\nserver ms per page rerun (× reference {p['reference_ms']:.0f} ms), kommune 1804")
    labels = [k for k in p if k != "reference_ms"]
    print(f"{'page':<14}" + "".join(f"{lab:>18}" for lab in labels))
    for page in PAGES_PARAMS:
        cells = []
        for lab in labels:
            v = p[lab].get(page, {})
            cells.append(
                f"{v['median_ms']:>9.0f} ({v['ratio']:.2f}×)"
                if "median_ms" in v
                else f"{'error':>18}"
            )
        print(f"{page:<14}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    raise SystemExit(main())
