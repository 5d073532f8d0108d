"""One card of the front page: a question, its headline figures, a sentence, the caveat, the
source and a link to the page with the detail. The page decides what goes in; this draws it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

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
    """Draw the card into the current container; `above` draws extra content (a small table)
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
