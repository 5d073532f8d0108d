"""The 2010 survey's statistics in words (pages Kjennskap and Bruk).

Every sentence is a template in components/strings/{kjennskap,bruk}.toml, filled here with
numbers from analysis/ formatted by components.fmt. What a test allows one to conclude is
said in the template; which template applies is decided here from the numbers.
"""

from __future__ import annotations

import pandas as pd

from analysis.proportions import base_inconsistencies, implied_count, rounding_explains
from components import fmt
from components.figures import figure_text
from components.i18n import t
from components.survey_labels import printed_name


def ci_text(lo: float, hi: float) -> str:
    """A share's 95 % interval with one decimal: «76,5–90,5 %»."""
    return fmt.interval(lo, hi, 1, "%")


def share_text(row, key: str, **more) -> str:
    """A template filled with a row's share, its interval and n (and `more`)."""
    ci = ci_text(row.ci_low_pct, row.ci_high_pct)
    return t(key, share=fmt.pct(row.share_pct), n=int(row.n_respondents), ci=ci, **more)


def chi_square_words(test: dict, shares: pd.Series, dim: str) -> tuple[str, str]:
    """(answer, caveat) for «are the differences larger than chance would give?» from a
    chi-square dict (analysis.proportions.chi_square_independence) over groups of `dim`."""
    key = "test_differ" if test["p_value"] < 0.05 else "test_same"
    answer = t(
        f"kjennskap.{key}",
        lo=fmt.pct(shares.min()),
        hi=fmt.pct(shares.max()),
        chi2=fmt.num(test["chi2"], 2),
        dof=test["dof"],
        p_words=fmt.p_words(test["p_value"]),
        v=fmt.num(test["cramers_v"], 2),
        dim=t(f"kjennskap.dim_words_{dim}"),
    )
    sens = test["rounding_sensitivity"]
    robust = "rounding_stable" if sens["conclusion_robust"] else "rounding_fragile"
    rounding = t(
        f"kjennskap.{robust}", p_min=fmt.p_number(sens["p_min"]), p_max=fmt.p_number(sens["p_max"])
    )
    return answer, rounding + " " + t("kjennskap.test_method")


def sum_flag_note(row) -> str:
    """The note under a chart for a group whose printed Ja + Nei is not the printed Sum."""
    text = t(
        "kjennskap.flag_sum",
        group=printed_name(row.group_label),
        table=row.table_no,
        yes=fmt.num(row.share_pct),
        no=fmt.num(row.share_no_pct),
        total=fmt.num(row.share_pct + row.share_no_pct),
        printed=fmt.num(row.sum_printed_pct),
    )
    n = int(row.n_respondents)
    explained = rounding_explains(row.share_pct, row.share_no_pct, n)
    if explained:
        k, p_yes, p_no = explained
        text += " " + t(
            "kjennskap.flag_rounding",
            k=k,
            rest=n - k,
            n=n,
            p_yes=fmt.pct(p_yes, 1),
            p_no=fmt.pct(p_no, 1),
        )
    return text


def trend_words(gradient: dict, classes: pd.DataFrame) -> tuple[str, str, str]:
    """(answer, caveat, «twice as many») for the ordered size classes, from
    analysis.proportions.ordered_groups over `classes` (small → large)."""
    trend, diff = gradient["trend"], gradient["diff"]
    sens = trend["rounding_sensitivity"]
    supported = trend["p_value"] < 0.05 and sens["conclusion_robust"]
    lo, hi = classes["share_pct"].iloc[0], classes["share_pct"].iloc[-1]
    answer = t(
        f"bruk.trend_{'yes' if supported else 'no'}",
        lo=fmt.pct(lo),
        hi=fmt.pct(hi),
        slope=fmt.num(trend["slope_pct_per_step"], 1),
        z=fmt.num(trend["z"], 2),
        p_words=fmt.p_words(trend["p_value"]),
    )
    p_min, p_max = fmt.p_number(sens["p_min"]), fmt.p_number(sens["p_max"])
    if p_min == p_max:
        key = "bruk.rounding_exact"  # n so small that only one count fits each printed share
    else:
        key = f"bruk.rounding_{'stable' if sens['conclusion_robust'] else 'fragile'}"
    caveat = t(
        "bruk.trend_caveat",
        n=int(classes["n_respondents"].sum()),
        ns=", ".join(f"n={int(n)}" for n in classes["n_respondents"]),
        rounding=t(key, p_min=p_min, p_max=p_max),
    )
    double = t(
        "bruk.double",
        hi=fmt.pct(hi),
        lo=fmt.pct(lo),
        ratio=fmt.num(gradient["ratio"], 1),
        diff=fmt.num(diff["diff_pp"]),
        ci_lo=fmt.num(diff["ci_low_pp"], 1),
        ci_hi=fmt.num(diff["ci_high_pp"], 1),
        p_words=fmt.p_words(diff["p_value"]),
        h=fmt.num(diff["cohens_h"], 2),
        magnitude=fmt.magnitude(diff["cohens_h"]),  # Cohen's 0.2/0.5/0.8 bands, used for h too
    )
    return answer, caveat, double


# ----------------------------------------------------------------------------- the chain


def chain_frame(chain: pd.DataFrame, respondent: str, place: str) -> pd.DataFrame:
    """One chart row per (step, base) with its label naming its own base («36 % av 532 …»);
    `place` names where a share printed without n stands in the report."""
    who = t(f"bruk.who_{respondent}")
    bad = set(base_inconsistencies(chain)["step_key"])
    data = chain.copy()
    data["base_kind"] = ["all" if b == "alle" else "sub" for b in data["base_key"]]
    data = data.sort_values(["step_order", "base_kind"], ascending=[True, False], kind="stable")
    two_rows = data["step_key"].duplicated(keep=False)
    rows, texts = [], []
    for r, both in zip(data.itertuples(), two_rows, strict=True):
        step = t(f"bruk.step_{r.step_key}")
        rows.append(step + (" " + t(f"bruk.base_of_{r.base_kind}") if both else ""))
        share = fmt.pct(r.share_pct)
        if pd.isna(r.n_base):  # no n printed (owners' familiarity)
            text = t("bruk.bar_no_n", share=share, place=place)
        else:
            text = t(f"bruk.bar_{r.base_key}", share=share, n=int(r.n_base), who=who)
        if r.doubtful:
            text += t("bruk.bar_doubtful", printed=r.n_printed)
        if r.step_key in bad and r.base_key == "alle":
            text += t("bruk.bar_inconsistent")
        texts.append(text)
    data["row"], data["text"] = rows, texts
    # Doubtful prints and shares that contradict their neighbours get a dashed, pale bar.
    data["questioned"] = data["doubtful"] | (
        data["step_key"].isin(bad) & (data["base_key"] == "alle")
    )
    return data


def chain_captions(respondent: str) -> list[str]:
    """What the report itself says about the chain, in its own figures (no n printed; the
    templates name them by key)."""
    if respondent == "skoler":
        return [t("bruk.chain_caption"), figure_text("bruk.report_says_schools")]
    return [figure_text("bruk.chain_caption_owners"), figure_text("bruk.report_says_owners")]


def chain_warnings(chain: pd.DataFrame, steps: pd.DataFrame, respondent: str) -> list[tuple]:
    """(text, icon) for every inconsistent or doubtful print in the chain."""
    who = t(f"bruk.who_{respondent}")
    out = [
        (
            t(
                "bruk.inconsistent_note",
                who=who,
                table=r.table_no,
                share_sub=fmt.pct(r.share_sub),
                n_sub=r.n_sub,
                count=fmt.num(r.count),
                implied=fmt.pct(r.implied_pct, 1),
                n_all=r.n_all,
                share_all=fmt.pct(r.share_all),
            ),
            ":material/rule:",
        )
        for r in base_inconsistencies(chain).itertuples()
    ]
    for r in steps[steps["doubtful"]].itertuples():
        everyone = chain[(chain["step_key"] == r.step_key) & (chain["base_key"] == "alle")]
        n_all = int(everyone["n_base"].iloc[0]) if len(everyone) else None
        count, implied = implied_count(r.share_pct, r.n_base, n_all)
        text = t(
            "bruk.doubtful_note",
            table=r.table_no,
            printed=r.n_printed,
            n=int(r.n_base),
            share=fmt.pct(r.share_pct),
            count=fmt.num(count),
            implied=fmt.pct(implied, 1),
            n_all=n_all or fmt.DASH,
        )
        out.append((text, ":material/help:"))
    return out
