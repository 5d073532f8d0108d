"""Every user-facing string exists in bokmål and English; number formatting is Norwegian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.i18n import fmt_num, fmt_pct, strings

REPO = Path(__file__).resolve().parent.parent


def test_every_string_has_both_languages():
    for key, entry in strings().items():
        assert isinstance(entry, dict), key
        assert entry.get("nb") and entry.get("en"), f"{key} must have nb and en"
        assert set(re.findall(r"\{(\w+)\}", entry["nb"])) == set(
            re.findall(r"\{(\w+)\}", entry["en"])
        ), key


def test_every_key_used_in_code_exists():
    known = set(strings())
    files = (
        list((REPO / "views").glob("*.py"))
        + list((REPO / "components").glob("*.py"))
        + [REPO / "app.py"]
    )
    used = set()
    for path in files:
        used |= set(
            re.findall(
                r"""\bt\(\s*["']([a-z_]+\.[a-zA-Z0-9_]+)["']""", path.read_text(encoding="utf-8")
            )
        )
    missing = sorted(used - known)
    assert not missing, f"keys used but not defined: {missing}"


@pytest.mark.parametrize(
    "x, decimals, nb, en",
    [
        (5367580, 0, "5\u00a0367\u00a0580", "5,367,580"),
        (0.61, 2, "0,61", "0.61"),
        (-2.9, 1, "\u22122,9", "-2.9"),
        (None, 0, "–", "–"),
    ],
)
def test_number_formatting(x, decimals, nb, en):
    assert fmt_num(x, decimals, "nb") == nb
    assert fmt_num(x, decimals, "en") == en


def test_percent():
    assert fmt_pct(84, 0, "nb") == "84\u00a0%"
