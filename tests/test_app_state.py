"""One app state, shareable: the URL round-trip, the language switch and bad URL values.

Runs app.py with AppTest (tests/browser_support.app_test), the way a server does.
"""

from __future__ import annotations

import pytest

from tests import browser_support as bs


def run(page: str | None, params: dict | None = None):
    at = bs.app_test(page, params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def url_of(at) -> dict[str, str]:
    return {
        k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
        for k in at.query_params
    }


def test_url_round_trip_reopens_the_same_view(built_db):
    # Set state the way a user does: choose a kommune, switch language, pick a battery.
    at = run("aktorer")
    at.sidebar.selectbox(key="kommune").set_value("1804").run()
    at.button_group(key="lang").set_value("en").run()
    at.button_group(key="tabell").set_value("4.2").run()
    assert not at.exception
    params = url_of(at)
    assert params == {"kommune": "1804", "lang": "en", "tabell": "4.2"}

    # Reopen the copied link in a new session: the same view.
    again = run("aktorer", params)
    assert again.sidebar.selectbox(key="kommune").value == "1804"
    assert again.session_state["lang"] == "en"
    assert again.session_state["tabell"] == "4.2"
    assert bs.rendered_texts(again) == bs.rendered_texts(at)


def test_kommune_is_kept_across_pages(built_db):
    at = run("kjennskap", {"kommune": "1804"})
    at.switch_page(bs.page_files()["skolebidrag"]).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="kommune").value == "1804"
    assert url_of(at).get("kommune") == "1804"


def test_language_switch_changes_the_text(built_db):
    nb = run("kjennskap")
    en = run("kjennskap", {"lang": "en"})
    nb_titles = [t.value for t in nb.title]
    en_titles = [t.value for t in en.title]
    assert nb_titles and en_titles and nb_titles != en_titles
    assert any("Kjennskap" in t for t in nb_titles)
    assert any("amiliarity" in t or "know" in t.lower() for t in en_titles)


@pytest.mark.parametrize("page", bs.PAGES)
@pytest.mark.parametrize(
    "params",
    [
        {"kommune": "9999"},
        {"kommune": "<script>alert(1)</script>"},
        {"lang": "xx"},
        {"kommune": "0" * 10_000},
    ],
    ids=["unknown-code", "html", "bad-lang", "10kB"],
)
def test_bad_url_values_give_a_notice_not_an_error(built_db, page, params):
    at = run(page, params)
    assert not at.error, [e.value for e in at.error]
    notices = [i.value for i in at.info] + [t.value for t in at.toast]
    assert any("lenken" in n or "link" in n for n in notices), notices
    assert at.sidebar.selectbox(key="kommune").value is None if page != "dialogmote" else True
    assert all("<script" not in m.value for m in at.markdown)


def test_no_pages_folder_beside_the_entrypoint():
    """A folder named pages/ next to app.py switches Streamlit to its old multipage mode, which
    runs a deep-linked page without app.py (no database check, no picker, no error boundary)."""
    from tests.conftest import REPO

    assert (REPO / "app.py").exists()
    assert not (REPO / "pages").exists(), "rename pages/ (the app's pages live in views/)"
