"""The Aktører page's numbers in words: what a battery shows, one sentence per item, where the
report's text and its table disagree, and which d the report computed.

Every sentence is a template in components/strings/aktorer.toml, filled with numbers from
analysis.ratings formatted by components.fmt. Printed item names pass through md_escape, since
they are shown with st.markdown.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.ratings import battery_summary, claim_check, printed_d_conventions
from components import fmt
from components.figures import figure_text
from components.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$])")


def md_escape(text: str) -> str:
    """Printed text shown through st.markdown: markdown and HTML characters made literal."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def who(r) -> str:
    """Who gives the higher mean, with the difference (owners − leaders)."""
    if pd.isna(r.mean_leader):
        return t("aktorer.only_owners")
    if pd.isna(r.mean_owner):
        return t("aktorer.only_leaders")
    if round(r.diff, 2) == 0:
        return t("aktorer.who_equal")
    if r.diff > 0:
        return t("aktorer.who_owner", diff=fmt.num(r.diff, 2))
    return t("aktorer.who_leader", diff=fmt.num(r.diff, 2))


def difference_sentence(r) -> str:
    """One plain sentence about an item both groups answered (a row of item_statistics), e.g.
    «Skoleeierne vurderer i snitt 0,52 høyere enn skolelederne (beregnet d = 0,71, moderat);
    Welch t-test p = 0,059 — med så få svar (n = 36 og 10) kan forskjellen godt skyldes
    tilfeldigheter.» d is the unweighted convention (the report's), without sign since the
    sentence names the higher group."""
    if any(pd.isna(x) for x in (r.diff, r.d_unweighted, r.p_value, r.n_leader, r.n_owner)):
        return t("aktorer.diff_missing")
    n_leader, n_owner = int(r.n_leader), int(r.n_owner)
    tail = (
        t("aktorer.diff_tail_clear")
        if r.p_value < 0.05
        else t("aktorer.diff_tail_chance", n_leader=n_leader, n_owner=n_owner)
    )
    key = (
        "equal"
        if round(abs(r.diff), 2) == 0
        else "owners_higher"
        if r.diff > 0
        else "leaders_higher"
    )
    return t(
        f"aktorer.diff_{key}",
        amount=fmt.num(abs(r.diff), 2),
        d=fmt.num(abs(r.d_unweighted), 2),
        size=fmt.magnitude(r.d_unweighted, short=True),
        p=fmt.p_value(r.p_value),
        tail=tail,
    )


def takeaway(stats: pd.DataFrame, n_owner: int) -> str:
    """Two to four plain sentences: highest and lowest item, who rates higher, what is clear."""
    s = battery_summary(stats)
    lines = []
    if s["top"] is not None:
        top, bottom = s["top"], s["bottom"]
        lines.append(
            t(
                "aktorer.takeaway_highest",
                top=top["item"],
                top_mean=fmt.num(top["mean_leader"], 2),
                bottom=bottom["item"],
                bottom_mean=fmt.num(bottom["mean_leader"], 2),
            )
        )
    if s["m"]:
        lines.append(t("aktorer.takeaway_owner_higher", k=s["k_owner_higher"], m=s["m"]))
        names = ", ".join(f"«{i}»" for i in s["clear"])
        lines.append(
            t("aktorer.takeaway_significant", names=names)
            if s["clear"]
            else t("aktorer.takeaway_none_significant", n_owner=n_owner)
        )
        lines.append(t("aktorer.multiple_tests", m=s["m"]))
    return " ".join(lines)


def claim_text(stats: pd.DataFrame, claimed: list[str]) -> str | None:
    """Where the report's text says leaders rate these items higher and the printed means say
    the opposite, a sentence naming both kinds; else None."""
    check = claim_check(stats, claimed)
    if check["contradicted"].empty:
        return None

    def named(sub: pd.DataFrame) -> str:
        parts = [
            f"{r.item} ({t('aktorer.vs', a=fmt.num(r.mean_leader, 2), b=fmt.num(r.mean_owner, 2))})"
            for r in sub.itertuples()
        ]
        return f" {t('aktorer.and_word')} ".join(parts) or fmt.DASH

    return t(
        "aktorer.text_claim",
        contradicted=named(check["contradicted"]),
        confirmed=named(check["confirmed"]),
    )


def row_note(r, claimed: list[str], read_as_note: dict[str, str]) -> str:
    """Our notes on an item: a placement we assumed (and why, for the items `read_as_note`
    names) and a claim of the report's text that the printed means contradict."""
    parts = []
    if r.owner_read_as:
        parts.append(t("aktorer.note_assumed_owner"))
        if r.item in read_as_note:
            parts.append(t(f"aktorer.{read_as_note[r.item]}"))
    if r.leader_read_as:
        parts.append(t("aktorer.note_assumed_leader"))
    if r.item in claimed and r.diff > 0:
        parts.append(t("aktorer.note_text_contradicts"))
    return " ".join(parts)


def plain_words(stats: pd.DataFrame) -> str:
    """One markdown bullet per item: the sentence about the difference and our notes."""
    out = []
    for r in stats.itertuples():
        parts = [difference_sentence(r)] if r.both else [who(r).capitalize() + "."]
        if r.note_text:
            parts.append(r.note_text)
        out.append(f"- **«{md_escape(r.item)}»**: " + md_escape(" ".join(parts)))
    return "\n".join(out)


def convention_lines(stats: pd.DataFrame, code: str) -> list[str]:
    """Markdown: how many printed d match each convention, and the items that match neither."""
    c = printed_d_conventions(stats)
    if not c["m"]:
        return []
    key = "convention_summary" if c["k_unweighted"] == c["m"] else "convention_partial"
    counts = {"k_unweighted": c["k_unweighted"], "k_pooled": c["k_pooled"], "m": c["m"]}
    lines = [f"**{t('aktorer.convention_heading')}** " + t(f"aktorer.{key}", **counts, code=code)]
    if c["neither"]:
        lines.append(md_escape(t("aktorer.convention_mismatch", names=", ".join(c["neither"]))))
    return lines


def thresholds_text() -> str:
    """Tabell 1.1's bands for d as printed (stray point and all; figures by key)."""
    return f"**{t('aktorer.thresholds_title')}.** " + figure_text("aktorer.thresholds_text")


def notes_list(items: pd.DataFrame) -> list[str]:
    """The transcriber's notes on a table's items, one markdown bullet each."""
    return [f"- **{md_escape(r.item)}**: {md_escape(r.note)}" for r in items.itertuples()]


def quote(q, code: str) -> str:
    """A quotation the report prints next to Tabell `code`, as a markdown block quote with
    who said it: the report's own words, context and never data."""
    speaker = t(f"aktorer.speaker_{str(q.speaker).lower()}")
    said = md_escape(t("aktorer.quote_attribution", speaker=speaker, code=code))
    return f"> «{md_escape(q.quote)}»\n>\n> {said}"
