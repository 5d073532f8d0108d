"""The eight steps of the dialogue meeting, drawn one at a time (views/dialogmote.py picks one).

Each step is a function of data the page has already fetched (the kommune's facts, the expert
group's quotations, the meeting summary); nothing here runs a query.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import dialog, dialog_browser
from components import kommune_summary as ks
from components.dialog_controls import delete_meeting_button
from components.downloads import excel_csv, safe_name
from components.i18n import lang, t
from components.provenance import source_text

FIGURE_SOURCES = ks.SRC_LANDSDEL + ks.SRC_SIZE + ks.SRC_SB


def quote_block(rows) -> None:
    for r in rows.itertuples():
        st.markdown(f"> «{r.quote}»")


def quote_caption(step: int) -> None:
    st.caption(
        t("dialogmote.quote_source", place=t(f"dialogmote.place_{step}"))
        + (" " + t("dialogmote.quotes_nb_only") if lang() != "nb" else "")
    )


def step_title(facts: ks.Facts | None, head) -> None:
    """`head` is a slot above the kommune field, so the title comes first on the page."""
    head.title(t("dialogmote.title"))
    head.markdown(f"### {t('dialogmote.subtitle')}")
    if facts is None:
        st.info(t("dialogmote.no_kommune"), icon=":material/location_city:")
    else:
        st.markdown(
            t(
                "dialogmote.kommune_line",
                kommune=facts.info.kommune_name,
                fylke=facts.info.fylke_name_2020,
            )
        )
    st.markdown(t("dialogmote.date_line", date=dt.date.today().isoformat()))
    st.markdown(f"**{t('dialogmote.agenda_header')}**")
    # numbered as the step indicator counts (this page is step 1)
    st.markdown(
        "\n".join(f"{i + 1}. {t(f'dialogmote.step_{i}')}" for i in range(1, dialog.N_STEPS))
    )


def step_figures(facts: ks.Facts | None) -> None:
    st.header(t("dialogmote.step_1"))
    if facts is None:
        st.info(t("dialogmote.no_kommune"), icon=":material/location_city:")
        return
    ks.render_compact(facts)
    st.caption(source_text(FIGURE_SOURCES))
    st.markdown(f"**{t('dialogmote.question_figures')}**")


def step_theme(step: int, quotes) -> None:
    st.header(t(f"dialogmote.heading_{step}"))
    st.markdown(t("dialogmote.theme_intro"))
    quote_block(quotes[quotes.step == step])
    quote_caption(step)
    st.markdown(f"**{t('dialogmote.question')}**")


def step_characteristics(quotes) -> None:
    step = dialog.CHARACTERISTICS_STEP
    st.header(t(f"dialogmote.heading_{step}"))
    st.markdown(t("dialogmote.characteristics_intro"))
    rows = quotes[quotes.step == step]
    owners, leaders = dialog.STEP_PLACES[step]
    c1, c2 = st.columns(2, gap="large")
    for col, place, header in ((c1, owners, "owners_header"), (c2, leaders, "leaders_header")):
        with col:
            st.subheader(t(f"dialogmote.{header}"))
            st.markdown("\n".join(f"- «{q}»" for q in rows[rows.table_no == place].quote))
    quote_caption(step)


def meeting_summary(facts: ks.Facts | None, quotes, notes: dict[int, str]) -> dialog.MeetingSummary:
    return dialog.MeetingSummary(
        kommune=facts.info.kommune_name if facts else None,
        date=dt.date.today().isoformat(),
        lang=lang(),
        figures=ks.sentences(facts) if facts else [],
        figures_source=source_text(FIGURE_SOURCES) if facts else "",
        quotes=quotes,
        notes=dict(notes),
    )


def step_summary(summary: dialog.MeetingSummary) -> None:
    st.header(t("dialogmote.step_7"))
    st.markdown(t("dialogmote.summary_intro"))
    with st.container(key="noprint_summary_share"):  # an instruction, not part of the record
        st.caption(t("dialogmote.summary_share"))
    if st.session_state.pop(dialog_browser.DELETED, False):
        st.success(t("dialogmote.deleted"), icon=":material/delete_forever:")
    if summary.figures:
        st.markdown("\n".join(f"- {f}" for f in summary.figures))
        st.caption(summary.figures_source)
    st.markdown(f"**{t('dialogmote.summary_notes_header')}**")
    written = {k: v for k, v in sorted(summary.notes.items()) if v and v.strip()}
    if not written:
        st.caption(t("dialogmote.summary_no_notes"))
    for step, note in written.items():
        st.markdown(f"*{dialog.step_name(step, lang())}*")
        st.text(note)  # typed by the user: shown as plain text, never as Markdown or HTML
    name = safe_name(f"dialogmote_{summary.kommune or 'uten_kommune'}_{summary.date}")
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("dialogmote.download_md"),
        data=dialog.summary_markdown(summary).encode("utf-8"),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="dlg_download_md",
        on_click="ignore",
        icon=":material/description:",
        width="stretch",
    )
    c2.download_button(
        t("dialogmote.download_csv"),
        data=excel_csv(dialog.summary_table(summary)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="dlg_download_csv",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    with c3:
        delete_meeting_button()
    st.caption(t("dialogmote.print_hint"))
