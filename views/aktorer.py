"""Aktører: school leaders' and school owners' ratings in the 2016 survey (report 001).

Reads top to bottom: sample warning → filters → data → statistics → chart → comparison table →
quotes. Every number comes from the printed tables (core.rating_items) and is recomputed only
from printed means, SDs and the respondent counts in section 1.1.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from analysis.ratings import (
    check_printed_d,
    describe_difference,
    magnitude_label,
    mean_ci,
    welch_t_from_stats,
)
from components.charts import draw, recipe
from components.downloads import data_panel
from components.i18n import fmt_pct, lang, t
from components.provenance import source_line
from components.ratings_charts import (
    axis_labels,
    comparison_table,
    download_frame,
    export_version,
    md_escape,
    plain_words,
    rating_forest,
    takeaway,
    text_claim_check,
)
from components.state import show_notices, url_choice

BATTERIES = ["2.1", "3.1", "4.1", "4.2", "5.1", "6.1", "6.2", "6.3"]
SORTS = ["leder", "forskjell", "trykt"]
# The text under Tabell 4.1 says owners rate every actor higher «foruten når det gjelder
# Veilederteamet; Læringssenteret og Fylkesmannen» (Læringssenteret = Læringsmiljøsenteret).
# Typed from the report; the page checks the claim against the printed means.
CLAIMED_LEADERS_HIGHER = {"4.1": ["Veilederteamet", "Læringsmiljøsenteret", "Fylkesmannen"]}
# Tabell 5.1's last statement is worded negatively: a higher mean is worse.
NEGATIVE_ITEMS = {"5.1": ["PPT sin rolle i Læringsmiljøprosjektet har vært uklar"]}


def _sample_figures() -> dict[str, float]:
    cells = queries.run("text_figures", source_id="r2016_tekst")
    return {(r.row_label, r.column_label): r.value for r in cells.itertuples()}


def _statistics(df: pd.DataFrame) -> pd.DataFrame:
    """Add intervals, signed d both ways, the printed-d check and Welch's test per item."""
    df = df.astype({"n_leader": "float64", "n_owner": "float64"})
    out = check_printed_d(df)
    for g in ("leader", "owner"):
        cis = [
            mean_ci(m, s, n)
            for m, s, n in zip(out[f"mean_{g}"], out[f"sd_{g}"], out[f"n_{g}"], strict=True)
        ]
        out[f"ci_{g}_low"] = [c[0] for c in cis]
        out[f"ci_{g}_high"] = [c[1] for c in cis]
    cols = ["mean_leader", "sd_leader", "n_leader", "mean_owner", "sd_owner", "n_owner"]
    welch = [welch_t_from_stats(*row) for row in out[cols].itertuples(index=False)]
    out["diff"] = [w["mean_diff"] for w in welch]
    out["welch_t"] = [w["t"] for w in welch]
    out["welch_df"] = [w["df"] for w in welch]
    out["p_value"] = [w["p_value"] for w in welch]
    out["both"] = out["mean_leader"].notna() & out["mean_owner"].notna()
    out["words"] = [
        describe_difference(*row, lang=lang()) if ok else ""
        for row, ok in zip(out[cols].itertuples(index=False), out["both"], strict=True)
    ]
    out["magnitude"] = [magnitude_label(d, lang(), short=True) for d in out["d_printed"]]
    return out


def _sorted(stats: pd.DataFrame, how: str) -> pd.DataFrame:
    if how == "forskjell":
        return stats.sort_values(["diff", "mean_owner"], ascending=False, na_position="last")
    if how == "leder":
        return stats.sort_values(["mean_leader", "mean_owner"], ascending=False, na_position="last")
    return stats.sort_values("item_order")


def _row_note(row, code: str) -> str:
    parts = []
    if row.owner_read_as:
        parts.append(t("aktorer.note_assumed_owner"))
        if row.item == "Skoleleder" and code in ("4.1", "4.2"):
            parts.append(t(f"aktorer.note_skoleleder_{code.replace('.', '_')}"))
    if row.leader_read_as:
        parts.append(t("aktorer.note_assumed_leader"))
    if row.item in CLAIMED_LEADERS_HIGHER.get(code, []) and row.diff > 0:
        parts.append(t("aktorer.note_text_contradicts"))
    return " ".join(parts)


# ----------------------------------------------------------------------------- page
st.title(t("aktorer.title"))
st.write(t("aktorer.intro"))

fig = _sample_figures()
n_leader, n_owner = int(fig[("Skoler", "Svarte")]), int(fig[("Kommuner", "Svarte")])
st.warning(
    f"**{t('aktorer.sample_title')}.** "
    + t(
        "aktorer.sample_warning",
        schools_answered=n_leader,
        schools_invited=int(fig[("Skoler", "Invitert")]),
        schools_pct=fmt_pct(fig[("Skoler", "Svarprosent")]),
        owners_answered=n_owner,
        owners_invited=int(fig[("Kommuner", "Invitert")]),
        owners_pct=fmt_pct(fig[("Kommuner", "Svarprosent")]),
    )
    + " "
    + t("aktorer.n_warning"),
    icon=":material/warning:",
)
source_line(["r2016_tekst"])

names = {code: t(f"aktorer.b_{code.replace('.', '_')}") for code in BATTERIES}
code = url_choice(
    "tabell",
    BATTERIES,
    t("aktorer.battery_label"),
    default="4.1",
    format_func=lambda c: t("aktorer.battery_option", code=c, name=names[c]),
)
sort = url_choice(
    "sort",
    SORTS,
    t("aktorer.sort_label"),
    default="leder",
    format_func=lambda s: t(f"aktorer.sort_{s}"),
)
show_notices()  # a bad link value is reported beside the filters, not one run later

table_no, source_id = f"Tabell {code}", f"r2016_tabell_{code.replace('.', '_')}"
items = queries.run("rating_items", table_no=table_no)
if items.empty:
    st.info(t("aktorer.no_data"))
else:
    stats = _statistics(items)
    stats["note_text"] = [_row_note(r, code) for r in stats.itertuples()]
    two_groups = stats["mean_owner"].notna().any()
    if sort == "forskjell" and not stats["both"].any():
        st.caption(t("aktorer.sort_no_difference"))
    stats = _sorted(stats, sort)
    stats["item_wrapped"] = axis_labels(stats, NEGATIVE_ITEMS.get(code, []))

    st.header(t("aktorer.heading", code=code, name=names[code]))
    title = queries.run("sources").set_index("source_id").loc[source_id, "title"]
    st.caption(t("aktorer.printed_title", title=title))
    st.caption(t("aktorer.scale_effort" if code == "4.1" else "aktorer.scale_degree"))
    if code in NEGATIVE_ITEMS:
        st.info(t("aktorer.negative_item"), icon=":material/swap_vert:")

    # The headline: what the reader should take away, computed from the printed means.
    st.markdown(md_escape(takeaway(stats)))
    claim = text_claim_check(stats, CLAIMED_LEADERS_HIGHER.get(code, []))
    if claim:
        st.warning(
            f"**{t('aktorer.text_claim_title')}.** " + md_escape(claim), icon=":material/report:"
        )

    group_labels = {
        "leader": t("aktorer.group_leader", n=n_leader),
        "owner": t("aktorer.group_owner", n=n_owner),
    }
    chart = recipe(
        rating_forest,
        stats,
        list(stats["item_wrapped"]),
        group_labels=group_labels,
        x_title=t("aktorer.x_title"),
        legend_title=t("aktorer.legend_title"),
    )
    draw(chart)
    st.caption(
        t("aktorer.chart_caption", n_owner=n_owner, n_leader=n_leader)
        if two_groups
        else t("aktorer.chart_caption_leaders_only", n_leader=n_leader)
    )
    sources = [source_id, "r2016_tekst", "r2016_tabell_1_1"]
    numbers = download_frame(stats, table_no)
    data_panel(
        numbers,
        t("aktorer.download_name", code=code),
        sources,
        lambda: export_version(
            chart.build(), t("aktorer.heading", code=code, name=names[code]), sources
        ),
        key=f"aktorer_{code}",
        # The browser's own number format (decimal comma in a Norwegian browser); the
        # columns stay numbers, so they sort as numbers.
        column_config={
            c: st.column_config.NumberColumn(format="localized")
            for c in numbers.select_dtypes("number").columns
        },
    )

    # Comparison, question by question, and which d the report computed.
    if two_groups:
        st.subheader(t("aktorer.compare_heading"))
        st.caption(t("aktorer.compare_intro"))
        table, config = comparison_table(stats)
        st.dataframe(table, hide_index=True, width="stretch", column_config=config)
        st.markdown(f"**{t('aktorer.words_heading')}**")
        st.markdown("\n".join(plain_words(stats)))
        printed = stats.dropna(subset=["convention"])
        if len(printed):
            k_unw = int(printed["matches_unweighted"].sum())
            k_pool = int(printed["matches_pooled"].sum())
            key = "convention_summary" if k_unw == len(printed) else "convention_partial"
            st.markdown(
                f"**{t('aktorer.convention_heading')}** "
                + t(
                    f"aktorer.{key}", k_unweighted=k_unw, k_pooled=k_pool, m=len(printed), code=code
                )
            )
            odd = printed[printed["convention"] == "neither"]
            if len(odd):
                st.markdown(
                    md_escape(t("aktorer.convention_mismatch", names=", ".join(odd["item"])))
                )
            st.caption(t("aktorer.convention_explain"))
        cells = queries.run("text_figures", source_id="r2016_tabell_1_1")
        bands = dict(zip(cells["column_label"], cells["value_printed"], strict=True))
        st.caption(
            f"**{t('aktorer.thresholds_title')}.** "
            + t(
                "aktorer.thresholds_text",
                **{
                    f"t{i}": f"«{bands[c]}»"
                    for i, c in enumerate(
                        ["Ingen/svak effekt", "Liten effekt", "Moderat effekt", "Stor effekt"]
                    )
                },
            )
        )
        source_line(sources)
    else:
        st.caption(t("aktorer.no_d"))

    notes = stats.dropna(subset=["note"])
    if len(notes):
        with st.expander(t("aktorer.cell_notes_title")):
            st.caption(t("aktorer.cell_notes_caption"))
            for r in notes.itertuples():
                st.markdown(f"- **{md_escape(r.item)}**: {md_escape(r.note)}")

    # The report's own words next to the table: context, never data.
    st.subheader(t("aktorer.quotes_heading", code=code))
    quotes = queries.run("quotes", table_no=table_no)
    if quotes.empty:
        st.caption(t("aktorer.no_quotes"))
    for q in quotes.itertuples():
        speaker = t(f"aktorer.speaker_{str(q.speaker).lower()}")
        st.markdown(
            f"> «{md_escape(q.quote)}»\n>\n> "
            + md_escape(t("aktorer.quote_attribution", speaker=speaker, code=code))
        )
    if len(quotes):
        st.caption(t("aktorer.quotes_caption"))
        source_line(["r2016_sitater"])
