"""Open one page of the app in AppTest the way a link does (shared by the survey page tests)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def run_page(page: str, **params) -> AppTest:
    """Run app.py, then `page` (e.g. "views/bruk.py") with the link's parameters; no errors.

    The first run registers the pages (st.navigation); a page's own keys are dropped from the
    URL on a page that does not use them, so the link is given again as a browser would.
    """
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at
