"""The front page's four cards: a question, its headline figures, a sentence, the caveat, the
source and a link to the page with the detail. The page computes the numbers; this says them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

from components import fmt
from components.figures import figure_text
from components.i18n import t
from components.provenance import source_line


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


def card(
    question: str,
    metrics: list[Metric],
    text: str,
    caveat: str,
    sources: Iterable[str],
    link: tuple[str, str],
    above: Callable[[], None] | None = None,
) -> None:
    """Draw one card into the current container; `above` draws extra content (a small table)
    between the question and the metrics; `link` is (page file, label)."""
    st.subheader(question)
    if above:
        above()
    for col, m in zip(st.columns(len(metrics)), metrics, strict=True):
        col.metric(m.label, m.value, help=m.help)
    st.markdown(text)
    st.caption(caveat)
    source_line(list(sources))
    st.page_link(link[0], label=link[1], icon=":material/arrow_forward:")


def familiarity(share: float, n: int, lo: float, hi: float) -> None:
    """Card 1: schools' familiarity (Tabell 2, with its Wilson interval) and the owners' two
    printed shares (figures by key in the string file)."""
    card(
        t("oversikt.q1"),
        [
            Metric(t("oversikt.q1_metric"), fmt.pct(share), f"n={n}, {fmt.ci(lo, hi, 0, '%')}"),
            Metric(t("oversikt.q1_metric_owners"), figure_text("oversikt.q1_owners_value")),
        ],
        figure_text("oversikt.q1_text", ci=fmt.interval(lo, hi)),
        figure_text("oversikt.q1_caveat"),
        ["r2010_tabell_2", "r2010_tekst"],
        ("views/kjennskap.py", t("oversikt.q1_link")),
    )


def use(large, small, gradient: dict, n_range: tuple[int, int], sources) -> None:
    """Card 2: owners' use in the largest and smallest kommuner (Tabell 6), with the trend."""
    d = gradient["diff"]
    card(
        t("oversikt.q2"),
        [
            Metric(
                t("oversikt.q2_metric_large"), fmt.pct(large.share_pct), f"n={large.n_respondents}"
            ),
            Metric(
                t("oversikt.q2_metric_small"), fmt.pct(small.share_pct), f"n={small.n_respondents}"
            ),
        ],
        t(
            "oversikt.q2_text",
            large=fmt.pct(large.share_pct),
            n_large=large.n_respondents,
            small=fmt.pct(small.share_pct),
            n_small=small.n_respondents,
            diff=fmt.num(d["diff_pp"]),
            lo=fmt.num(d["ci_low_pp"]),
            hi=fmt.num(d["ci_high_pp"]),
            h=fmt.num(d["cohens_h"], 2),
            p_words=fmt.p_words(gradient["trend"]["p_value"]),
        ),
        t("oversikt.q2_caveat", n_min=n_range[0], n_max=n_range[1]),
        sources,
        ("views/bruk.py", t("oversikt.q2_link")),
    )


def actors(top: dict, sample: dict[str, float]) -> None:
    """Card 3: each group's highest-rated actor and the largest printed d (Tabell 4.1), with
    the response rates of section 1.1 (`sample`: figures by key)."""
    gap, tl, to = top["gap"], top["top_leader"], top["top_owner"]
    n = {k: int(v) for k, v in sample.items()}
    mean = lambda x: fmt.num(x, 2)  # noqa: E731 - the 1–5 scale is printed with two decimals
    table = (
        f"| | {t('oversikt.q3_col_top')} | {t('oversikt.q3_col_mean')} |\n|---|---|---:|\n"
        f"| {t('oversikt.q3_leaders', n=n['r2016_schools_answered'])} | «{tl['item']}» | {mean(tl.mean_leader)} |\n"
        f"| {t('oversikt.q3_owners', n=n['r2016_owners_answered'])} | «{to['item']}» | {mean(to.mean_owner)} |"
    )
    card(
        t("oversikt.q3"),
        [
            Metric(
                t("oversikt.q3_metric_gap", item=gap["item"]),
                f"d = {mean(gap.d_printed)}",
                t("oversikt.q3_metric_gap_help"),
            )
        ],
        t(
            "oversikt.q3_text",
            top_leader=tl["item"],
            mean_leader=mean(tl.mean_leader),
            top_owner=to["item"],
            mean_owner=mean(to.mean_owner),
            item=f"«{gap['item']}»",
            owner=mean(gap.mean_owner),
            leader=mean(gap.mean_leader),
            d=mean(gap.d_printed),
            size=fmt.magnitude(gap.d_printed, short=True),
            p=fmt.p_value(gap.p_value),
        ),
        figure_text(
            "oversikt.q3_caveat",
            pct_schools=fmt.num(sample["r2016_schools_response_pct"]),
            pct_owners=fmt.num(sample["r2016_owners_response_pct"]),
        ),
        ["r2016_tabell_4_1", "r2016_tekst"],
        ("views/aktorer.py", t("oversikt.q3_link")),
        above=lambda: st.markdown(table),
    )


def skolebidrag(kommuner: dict[str, int], former: int) -> None:
    """Card 4: kommuner with skolebidrag in the app, and the expert group's profile counts
    (figures by key in the string file)."""
    n14, n810 = kommuner["1-4"], kommuner["8-10"]
    card(
        t("oversikt.q4"),
        [
            Metric(
                t("oversikt.q4_metric_kommuner"),
                f"{n14} / {n810}",
                t("oversikt.q4_metric_kommuner_help"),
            ),
            Metric(
                figure_text("oversikt.q4_expert_metric"),
                figure_text("oversikt.q4_expert_value"),
                t("oversikt.q4_expert_help"),
            ),
        ],
        figure_text("oversikt.q4_text", n14=n14, n810=n810, former=former),
        t("oversikt.q4_caveat"),
        ["udir_skolebidrag", "r2021_tekst"],
        ("views/skolebidrag.py", t("oversikt.q4_link")),
    )
