"""Dialogue-meeting mode: the steps, their quotations and the meeting summary.

The quotations are the expert group's own words (report 004, sections 7.1.3, 7.2.3, 7.3.3, 7.5
and 2.7), transcribed verbatim into data/raw/r2021_dialog.csv and read through the query
quotes_by_source. The summary builders are pure functions of a MeetingSummary, so they can be
tested without Streamlit; the language is passed in, not read from the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from components.i18n import strings
from components.provenance import place_text

SOURCE_ID = "r2021_dialog"
N_STEPS = 8
STEPS = [str(i + 1) for i in range(N_STEPS)]  # URL codes ?steg=1 … 8, as the indicator counts
# Which printed places feed which step (table_no in the CSV = the section as printed).
STEP_PLACES: dict[int, tuple[str, ...]] = {
    2: ("Avsnitt 7.1.3",),
    3: ("Avsnitt 7.2.3",),
    4: ("Avsnitt 7.3.3",),
    5: ("Avsnitt 7.5",),
    6: (
        "Avsnitt 2.7 – Kjennetegn ved skoleeiere som lykkes",
        "Avsnitt 2.7 – Kjennetegn ved skoleledere som lykkes",
    ),
}
THEME_STEPS = (2, 3, 4, 5)
CHARACTERISTICS_STEP = 6


def text(key: str, lang_code: str, **fmt) -> str:
    """A string from components/strings/dialogmote.toml in the given language (no session)."""
    entry = strings().get(f"dialogmote.{key}", {})
    value = entry.get(lang_code) or entry.get("nb") or key
    return value.format(**fmt) if fmt else value


@dataclass
class MeetingSummary:
    kommune: str | None
    date: str
    lang: str = "nb"
    figures: list[str] = field(default_factory=list)
    figures_source: str = ""
    quotes: pd.DataFrame = field(default_factory=pd.DataFrame)  # step, table_no, quote
    notes: dict[int, str] = field(default_factory=dict)


def quotes_for_steps(quotes: pd.DataFrame) -> pd.DataFrame:
    """Attach the step number to each quotation; quotations of no step are dropped."""
    step_of = {place: step for step, places in STEP_PLACES.items() for place in places}
    out = quotes.assign(step=quotes.table_no.map(step_of)).dropna(subset=["step"])
    return out.assign(step=out.step.astype(int)).reset_index(drop=True)


def step_name(step: int, lang_code: str) -> str:
    return text(f"step_{step}", lang_code)


def _place(table_no: str, lang_code: str) -> str:
    """'Avsnitt 2.7 – Kjennetegn …' → 'Avsnitt 2.7' (nb) / 'Section 2.7' (en) for a citation."""
    return place_text(table_no.split(" – ")[0], lang_code)


def summary_markdown(s: MeetingSummary, lang_code: str | None = None) -> str:
    """The meeting summary as Markdown: kommune, date, figures, quotations, notes per step."""
    lc = lang_code or s.lang
    none = text("md_none", lc)
    lines = [
        f"# {text('md_title', lc)}",
        "",
        f"- **{text('md_kommune', lc)}:** {s.kommune or none}",
        f"- **{text('md_date', lc)}:** {s.date}",
        "",
        f"## {text('md_figures', lc)}",
        "",
    ]
    lines += [f"- {f}" for f in s.figures] or [none]
    if s.figures_source:
        lines += ["", f"_{s.figures_source}_"]
    lines += ["", f"## {text('md_quotes', lc)}", ""]
    for step, group in s.quotes.groupby("step", sort=True) if not s.quotes.empty else []:
        lines += [f"### {step_name(int(step), lc)}", ""]
        for r in group.itertuples():
            lines.append(f"> «{r.quote}» ({_place(r.table_no, lc)})")
            lines.append("")
    lines += [f"## {text('md_notes', lc)}", ""]
    written = {k: v.strip() for k, v in sorted(s.notes.items()) if v and v.strip()}
    if not written:
        lines.append(none)
    for step, note in written.items():
        lines += [f"### {step_name(step, lc)}", "", note, ""]
    return "\n".join(lines).rstrip() + "\n"


def summary_table(s: MeetingSummary, lang_code: str | None = None) -> pd.DataFrame:
    """The same summary as one row per item: steg, type, tekst, kilde (for Excel)."""
    lc = lang_code or s.lang
    quote_source = text("md_quotes", lc)
    rows = [
        (text("step_0", lc), text("kind_meta", lc), f"{text('md_kommune', lc)}: {s.kommune}", ""),
        (text("step_0", lc), text("kind_meta", lc), f"{text('md_date', lc)}: {s.date}", ""),
    ]
    rows += [(step_name(1, lc), text("kind_figure", lc), f, s.figures_source) for f in s.figures]
    for r in s.quotes.itertuples():
        rows.append(
            (
                step_name(int(r.step), lc),
                text("kind_quote", lc),
                f"«{r.quote}»",
                f"{quote_source}, {_place(r.table_no, lc)}",
            )
        )
    for step, note in sorted(s.notes.items()):
        if note and note.strip():
            rows.append((step_name(step, lc), text("kind_note", lc), note.strip(), ""))
    cols = [text(c, lc) for c in ("col_step", "col_kind", "col_text", "col_source")]
    return pd.DataFrame(rows, columns=cols)
