"""All user-facing text: Norwegian bokmål by default, English on request.

Strings live in components/strings/*.toml, one file per page plus common.toml, each key with
`nb` and `en` (tests/test_i18n.py fails on a missing language). Numbers are formatted the
Norwegian way: decimal comma and a non-breaking space between thousands.
"""

from __future__ import annotations

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


def text(key: str, lang_code: str, **fmt) -> str:
    """The text for key in the given language (no session needed: exports, worker threads)."""
    entry = strings().get(key)
    if entry is None:
        return key
    value = entry.get(lang_code) or entry.get("nb") or key
    return value.format(**fmt) if fmt else value


def t(key: str, **fmt) -> str:
    """The text for key in the current language; a missing key shows itself, never crashes."""
    return text(key, lang(), **fmt)


# Kept while the pages move to components.fmt (the one number formatter).
def fmt_num(x, decimals: int = 0, lang_code: str | None = None) -> str:
    from components import fmt

    return fmt.num(x, decimals, lang_code)


def fmt_pct(x, decimals: int = 0, lang_code: str | None = None) -> str:
    from components import fmt

    return fmt.pct(x, decimals, lang_code)


def fmt_p(p: float, lang_code: str | None = None) -> str:
    from components import fmt

    return fmt.p_number(p, lang_code)
