"""The 2010 survey's printed labels in the reader's language, and their stable URL codes.

The tables keep every label as printed («Midt- og Nord-Norge», «10000 og mer»); the pages show
them translated. A label this module does not know is shown as printed.
"""

from __future__ import annotations

import textwrap

from components import state
from components.i18n import t

# URL codes (ASCII, stable) → the landsdel names printed in Tabell 2, used in core.kommune and
# as feature ids in the 'landsdeler' map layer.
LANDSDEL = {
    "oslo-akershus": "Oslo og Akershus",
    "ostlandet": "Østlandet",
    "sor-vestlandet": "Sør- og Vestlandet",
    "midt-nord": "Midt- og Nord-Norge",
}
CODE_OF = {name: code for code, name in LANDSDEL.items()}
_PRINTED_KEY = {
    "Barnetrinn": "trinn_barnetrinn",
    "Barne- og ungdomstrinn": "trinn_barne_ungdom",
    "Ungdomstrinn": "trinn_ungdomstrinn",
    "Videregående": "trinn_videregaende",
    "Alle": "all_schools",
    "Via e-post fra Utdanningsdirektoratet": "src_epost",
    "På nettstedet www.udir.no": "src_udir",
    "Gjennom informasjon fra Fylkesmannen": "src_fylkesmannen",
    "Gjennom informasjon fra skoleeier": "src_skoleeier",
    "På konferanse hvor det ble informert om Bedre læringsmiljø": "src_konferanse",
    "Mottatt løpeseddel med informasjon om Bedre læringsmiljø": "src_loepeseddel",
    "I dagspressen": "src_dagspressen",
    "Gjennom sosiale medier": "src_sosiale",
    "Annet": "src_annet",
    "Ubesvart": "src_ubesvart",
}
# Tabell 6's kommune size classes, small → large (the same labels as core.kommune's classes).
SIZE_ORDER = ["Under 3000", "3000–9999", "10000 og mer"]
_SIZE_KEY = {
    "Under 3000": "size_under_3000",
    "3000–9999": "size_3000_9999",
    "10000 og mer": "size_10000",
    "Fylke": "size_fylke",
    "Alle": "size_alle",
}


def printed_name(label: str) -> str:
    """A landsdel, trinn or information source as printed, in the reader's language."""
    if label in CODE_OF:
        return t(f"kjennskap.ld_{CODE_OF[label].replace('-', '_')}")
    return t("kjennskap." + _PRINTED_KEY[label]) if label in _PRINTED_KEY else label


def size_name(label: str | None) -> str:
    """A size class as printed in Tabell 6, in the reader's language («none» when missing)."""
    if label is None or label != label:
        return t("bruk.size_none")
    return t(f"bruk.{_SIZE_KEY[label]}") if label in _SIZE_KEY else str(label)


def wrap_label(text: str, width: int = 18, sep: str = "|") -> str:
    """Break a label into lines of at most `width` characters, joined by `sep`, for an axis
    whose labelExpr splits on it (the heat map's headers on «|», the forest plot's items on a
    newline)."""
    return sep.join(textwrap.wrap(str(text), width)) or str(text)


def choice(key: str, options: list[str], page: str, default: str, **kwargs) -> str:
    """A filter kept in the URL under `key` (components.state.url_choice), labelled
    «{page}.{key}_label» with options «{page}.{key}_{option}» from the page's string file."""
    label = t(f"{page}.{key}_label")
    return state.url_choice(
        key, options, label, default=default, format_func=lambda v: t(f"{page}.{key}_{v}"), **kwargs
    )
