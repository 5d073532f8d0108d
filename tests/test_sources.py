"""sources.toml is the one place provenance lives: validate it against a schema."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = tomllib.loads((REPO / "data/sources.toml").read_text(encoding="utf-8"))

REPORT_KEYS = {
    "year": int,
    "role": str,
    "pages": list,
    "url": str,
    "document": str,
}
# Every text a reader sees, in bokmål and English.
REPORT_TEXTS = ("data_from", "contributes", "licence", "citation")
DATASET_KEYS = {
    "report": str,
    "kind": str,
    "file": str,
    "checks": list,
}
DATASET_TEXTS = {"place": str, "transformations": str, "known_issues": list}
ROLES = {"figures", "context", "named", "reference"}
PAGES = {"oversikt", "kjennskap", "bruk", "aktorer", "skolebidrag", "min_kommune", "dialogmote"}
KINDS = {"cells", "reference", "quotes", "assumption"}
RULES = {
    "share_range",
    "n_positive",
    "rating_range",
    "sum_to_total",
    "base_consistency",
    "parts_to_whole_n",
}


@pytest.mark.parametrize("report_id", sorted(SOURCES["reports"]))
def test_report_schema(report_id):
    rep = SOURCES["reports"][report_id]
    for key, typ in REPORT_KEYS.items():
        assert isinstance(rep.get(key), typ), f"[reports.{report_id}] {key} must be {typ.__name__}"
    assert 2000 <= rep["year"] <= 2030
    assert rep["role"] in ROLES
    assert set(rep["pages"]) <= PAGES
    for key in REPORT_TEXTS:
        for lang in ("nb", "en"):
            assert isinstance(rep.get(f"{key}_{lang}"), str), f"[reports.{report_id}] {key}_{lang}"
    # a publisher's name and a publication's own title may be cited as they are printed
    assert isinstance(rep.get("publisher") or rep.get("publisher_nb"), str)
    if "title" not in rep:
        assert isinstance(rep.get("title_nb"), str) and isinstance(rep.get("title_en"), str)


@pytest.mark.parametrize("dataset_id", sorted(SOURCES["datasets"]))
def test_dataset_schema(dataset_id):
    ds = SOURCES["datasets"][dataset_id]
    for key, typ in DATASET_KEYS.items():
        assert isinstance(ds.get(key), typ), f"[datasets.{dataset_id}] {key} must be {typ.__name__}"
    for key, typ in DATASET_TEXTS.items():
        nb, en = ds.get(f"{key}_nb"), ds.get(f"{key}_en")
        assert isinstance(nb, typ) and isinstance(en, typ), f"[datasets.{dataset_id}] {key}_nb/_en"
        if typ is list:
            assert len(nb) == len(en), f"[datasets.{dataset_id}] {key}: one English per bokmål"
    # a table's caption and label may be cited as printed; otherwise both languages
    for key in ("table_no", "title"):
        if key not in ds:
            assert isinstance(ds.get(f"{key}_nb"), str) and isinstance(ds.get(f"{key}_en"), str)
    assert ds["report"] in SOURCES["reports"]
    assert ds["kind"] in KINDS
    if ds["file"]:
        assert (REPO / "data" / ds["file"]).exists(), ds["file"]
    for check in ds["checks"]:
        assert check["rule"] in RULES


def test_every_raw_file_is_declared():
    declared = {ds["file"] for ds in SOURCES["datasets"].values()}
    for path in sorted((REPO / "data/raw").glob("*.csv")):
        assert f"raw/{path.name}" in declared, f"{path.name} has no entry in sources.toml"


def test_survey_reports_use_publication_year():
    years = {rid: SOURCES["reports"][rid]["year"] for rid in ("r2010", "r2016", "r2020", "r2021")}
    assert years == {"r2010": 2010, "r2016": 2016, "r2020": 2020, "r2021": 2021}


def test_the_five_reports_and_what_they_give():
    """Seeds 000–004: the 2010 and 2016 surveys and the 2021 expert group give figures; the Fafo
    evaluation (2020) is read for context and the guidance material (2009) only named."""
    roles = {
        rid: SOURCES["reports"][rid]["role"]
        for rid in ("r2009", "r2010", "r2016", "r2020", "r2021")
    }
    assert roles == {
        "r2009": "named",
        "r2010": "figures",
        "r2016": "figures",
        "r2020": "context",
        "r2021": "figures",
    }
    documents = sorted(
        rep["document"] for rep in SOURCES["reports"].values() if "seeds" in rep["document"]
    )
    assert [d.split("/")[-1][:3] for d in documents] == ["000", "001", "002", "003", "004"]


def test_no_page_asks_for_a_report_it_does_not_show():
    """A report read only for context or only named has no figure key and is not read by any
    page's code (the Fafo table is in the database only for the cell browser on Kilder)."""
    quiet = [rid for rid, rep in SOURCES["reports"].items() if rep["role"] in ("context", "named")]
    ids = quiet + [sid for sid, ds in SOURCES["datasets"].items() if ds["report"] in quiet]
    keys = (REPO / "data/raw/figure_keys.csv").read_text(encoding="utf-8")
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("views", "components", "queries", "data/models")
        for p in (REPO / folder).glob("*.*")
        if p.suffix in (".py", ".sql") and p.name != "sources_page.py"
    )
    for rid in ids:
        assert rid not in keys, f"{rid} has a figure key"
        assert rid not in code, f"{rid} is read by a page"
