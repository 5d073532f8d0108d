"""The words every skolebidrag view shares: trinn, units, profiles, funnel positions, where a
value came from, and how a former kommune relates to its 2020 kommune. Texts live in
components/strings/skolebidrag.toml; this module only picks and fills them."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.skolebidrag import period_sort_key
from components.i18n import t

# Profiles of analysis.skolebidrag.classify_profiles, in the order the expert group lists them.
PROFILE_KEYS = ("stabilt_hoy", "jevn_progresjon", "stabilt_lav")


def _key(trinn: str) -> str:
    return trinn.replace("-", "_")


def trinn_label(trinn: str) -> str:
    return t(f"skolebidrag.trinn_{_key(trinn)}")


def unit_label(trinn: str) -> str:
    """The axis title: «Skolebidrag (karakterpoeng)»."""
    return t(f"skolebidrag.unit_{_key(trinn)}")


def profile_label(key: str) -> str:
    return t(f"skolebidrag.profile_{key}")


def flag_label(flag: str) -> str:
    return t(f"skolebidrag.flag_{flag}")


def source_label(provenance: str, source_file: str | None, imported_at: str | None) -> str:
    if provenance == "upload":  # the import time to the minute: «2026-12-03 22:03»
        when = str(imported_at).replace("T", " ")[:16]
        return t("skolebidrag.source_upload", file=source_file, time=when)
    if provenance == "import":
        return t("skolebidrag.source_import", file=source_file)
    return t("skolebidrag.source_embedded")


def join(names: Iterable[str]) -> str:
    """'Eid og Selje', 'Ballangen, Narvik og Tysfjord'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('skolebidrag.and')} " + names[-1]


def period_order(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), key=period_sort_key)
