"""All user-facing text: Norwegian bokmål by default, English on request.

Strings live in components/strings/*.toml, one file per page plus common.toml, each key with
`nb` and `en` (tests/test_i18n.py fails on a missing language). Numbers are formatted the
Norwegian way: decimal comma and a non-breaking space between thousands.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import streamlit as st

import queries

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
LANGS = ("nb", "en")
NBSP = "\u00a0"


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """Flatten every strings/*.toml into {'file.key': {'nb': ..., 'en': ...}}."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS_DIR.glob("*.toml")):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        for key, value in data.items():
            out[f"{path.stem}.{key}"] = value
    return out


# Work done outside a script run (a deferred download runs in a worker thread with no session)
# names its language explicitly; see use_language.
_forced_lang: ContextVar[str | None] = ContextVar("forced_lang", default=None)


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """Make t() and lang() use `code` in this thread/context, whatever the session says."""
    token = _forced_lang.set(code if code in LANGS else "nb")
    try:
        yield
    finally:
        _forced_lang.reset(token)


def lang() -> str:
    forced = _forced_lang.get()
    if forced:
        return forced
    value = st.session_state.get("lang", "nb")
    return value if value in LANGS else "nb"


def _note_language() -> str:
    return lang()  # looked up at call time, so a patched lang() (tests) is honoured


queries.note_language = _note_language


def t(key: str, **fmt) -> str:
    """The text for key in the current language; a missing key shows itself, never crashes."""
    entry = strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang()) or entry.get("nb") or key
    return text.format(**fmt) if fmt else text


def fmt_num(x, decimals: int = 0, lang_code: str | None = None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    try:
        if x != x:  # pandas NA / NaN
            return "–"
    except TypeError:
        return "–"
    s = f"{float(x):,.{decimals}f}"
    if (lang_code or lang()) == "nb":
        s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", NBSP)
        s = s.replace("-", "\u2212")
    return s


def fmt_pct(x, decimals: int = 0, lang_code: str | None = None) -> str:
    return (
        "–"
        if fmt_num(x, decimals, lang_code) == "–"
        else f"{fmt_num(x, decimals, lang_code)}{NBSP}%"
    )


def fmt_p(p: float, lang_code: str | None = None) -> str:
    """p-values: three decimals, or '< 0,001'."""
    if p is None or p != p:
        return "–"
    if p < 0.001:
        return "< " + fmt_num(0.001, 3, lang_code)
    return fmt_num(p, 3, lang_code)
