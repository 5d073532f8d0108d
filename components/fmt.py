"""Every number a reader sees, formatted in one place, in the page's language.

Norwegian (nb): decimal comma, a non-breaking space between thousands, a real minus sign (−),
«84 %». English (en): decimal point, comma between thousands, «84 %» (the space keeps the
two languages' tables the same width). Missing values (None, NaN, pandas NA) print as «–».

One rule each for intervals («81–87 %», or «−1,2 til 0,4» when a bound is negative, because
«−1,2–0,4» reads as a range of negatives), p-values (two significant digits, «p < 0,001») and
the plain words that go with a p-value or an effect size (components/strings/common.toml).

Exports (CSV, Excel) do not use these strings: they carry numbers, typed, with the column's
decimals (components/columns.py).
"""

from __future__ import annotations

import math

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "–"  # shown for a missing value
LANGS = ("nb", "en")


def _lang(lang: str | None) -> str:
    if lang in LANGS:
        return lang
    from components.i18n import lang as page_lang  # the session's language, at call time

    return page_lang()


def missing(x) -> bool:
    """None, NaN, pandas NA/NaT: anything that is not a usable number."""
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isinf(x))
    except TypeError:  # pandas NA raises on bool()
        return True


def num(x, decimals: int = 0, lang: str | None = None) -> str:
    """'5 367 580', '0,61', '−2,9' (nb); '5,367,580', '0.61', '-2.9' (en)."""
    if missing(x):
        return DASH
    s = f"{float(x):,.{decimals}f}"
    if s.startswith("-") and float(s.replace(",", "")) == 0:
        s = s[1:]  # −0,0 says nothing a reader can use
    if _lang(lang) == "nb":
        s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", NBSP)
        s = s.replace("-", MINUS)
    return s


def signed(x, decimals: int = 1, lang: str | None = None) -> str:
    """'+0,5', '−0,5', '0,0': for values around a reference of 0 (skolebidrag)."""
    s = num(x, decimals, lang)
    return "+" + s if s != DASH and not missing(x) and round(float(x), decimals) > 0 else s


def pct(x, decimals: int = 0, lang: str | None = None) -> str:
    """'84 %' (a non-breaking space before the sign, in both languages)."""
    s = num(x, decimals, lang)
    return s if s == DASH else f"{s}{NBSP}%"


def interval(lo, hi, decimals: int = 0, unit: str = "", lang: str | None = None) -> str:
    """'81–87 %', '0,31–0,62'; with a negative bound '−1,2 til 0,4' / '-1.2 to 0.4'."""
    if missing(lo) or missing(hi):
        return DASH
    a, b = num(lo, decimals, lang), num(hi, decimals, lang)
    if float(lo) < 0 or float(hi) < 0:
        joiner = " til " if _lang(lang) == "nb" else " to "
        text = f"{a}{joiner}{b}"
    else:
        text = f"{a}–{b}"
    return f"{text}{NBSP}{unit}" if unit else text


def ci(lo, hi, decimals: int = 0, unit: str = "", lang: str | None = None) -> str:
    """'95 % KI 81–87 %' / '95 % CI 81–87 %'."""
    label = "95\u00a0% KI" if _lang(lang) == "nb" else "95\u00a0% CI"
    return f"{label} {interval(lo, hi, decimals, unit, lang)}"


def p_number(p, lang: str | None = None) -> str:
    """'0,032', '0,0496', '< 0,001': two significant digits, three when two would round the
    value onto a threshold it lies below (0.0496 is not «0,05»)."""
    if missing(p):
        return DASH
    if p < 0.001:
        return "< " + num(0.001, 3, lang)
    text = f"{p:.2g}"
    if float(text) in (0.01, 0.05, 0.1) and p < float(text):
        text = f"{p:.3g}"
    if "e" in text:  # 2 significant digits of e.g. 0.00123 never reach here (< 0.001 above)
        text = f"{p:.3f}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    return num(float(text), decimals, lang)


def p_value(p, lang: str | None = None) -> str:
    """'p = 0,032' / 'p < 0,001' / 'p = –'."""
    s = p_number(p, lang)
    return f"p {s}" if s.startswith("<") else f"p = {s}"


def p_band(p) -> int:
    """0: p < 0.01, 1: < 0.05, 2: < 0.10, 3: otherwise, 4: not computable."""
    if missing(p):
        return 4
    return 0 if p < 0.01 else 1 if p < 0.05 else 2 if p < 0.10 else 3


def p_words(p, lang: str | None = None) -> str:
    """A p-value in plain words: 'p = 0,032: forskjellen er større enn tilfeldig variasjon …'.

    Why these words: a p-value says how easily chance alone produces a difference this large;
    it does not prove a difference, measure its size or say it matters.
    """
    from components.i18n import text

    band = p_band(p)
    words = text(f"common.p_band_{band}", _lang(lang))
    return words if band == 4 else f"{p_value(p, lang)}: {words}"


# Lower bounds of the 2016 report's Tabell 1.1 bands on |d| (0–0,19 ingen/svak, 0,2–0,49 liten,
# 0,5–0,79 moderat, > 0,8 stor), the printed gaps closed at the midpoints: a d that prints as
# 0,20 is «liten». Kept here because the words are the report's, not a statistical rule.
MAGNITUDE_BOUNDS = (0.195, 0.495, 0.795)


def magnitude_band(d) -> int | None:
    if missing(d):
        return None
    return sum(abs(float(d)) >= b for b in MAGNITUDE_BOUNDS)


def magnitude(d, lang: str | None = None, short: bool = False) -> str:
    """«moderat effekt» / «moderat» (short) for Cohen's d; '–' when d is missing."""
    from components.i18n import text

    band = magnitude_band(d)
    if band is None:
        return DASH
    return text(f"common.magnitude{'_short' if short else ''}_{band}", _lang(lang))
