"""sources.toml is the one place provenance lives: validate it against a schema."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = tomllib.loads((REPO / "data/sources.toml").read_text(encoding="utf-8"))

REPORT_KEYS = {
    "publisher": str,
    "title": str,
    "year": int,
    "licence": str,
    "citation_nb": str,
    "citation_en": str,
    "url": str,
    "document": str,
}
DATASET_KEYS = {
    "report": str,
    "kind": str,
    "file": str,
    "table_no": str,
    "title": str,
    "place": str,
    "transformations": str,
    "known_issues": list,
    "checks": list,
}
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


@pytest.mark.parametrize("dataset_id", sorted(SOURCES["datasets"]))
def test_dataset_schema(dataset_id):
    ds = SOURCES["datasets"][dataset_id]
    for key, typ in DATASET_KEYS.items():
        assert isinstance(ds.get(key), typ), f"[datasets.{dataset_id}] {key} must be {typ.__name__}"
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
