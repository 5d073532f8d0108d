"""Min kommune: everything the app knows about the chosen kommune, on one printable page.

Reads top to bottom: kommune (the page's own picker, in step with the sidebar and the URL) →
summary → landsdel (Tabell 2) → size class (Tabell 6) → skolebidrag per trinn (each chart with
its downloads beside it) → every figure in one file. The figures and the summary sentences come
from components/kommune_summary.py (shared with the dialogue-meeting mode); the sections are
drawn by components/kommune_sections.py.
"""

from __future__ import annotations

from components import kommune_sections as sections
from components import kommune_summary as ks
from components import print_css, state

code = state.current_kommune()
facts = ks.compute(code) if code else None
if facts is None:
    sections.no_kommune()
else:
    print_css.inject()  # components/print_css.py: what a printout keeps
    sections.header(facts)
    sections.section_landsdel(facts)
    sections.section_size(facts)
    sections.section_skolebidrag(facts)
    sections.download_all(facts)
