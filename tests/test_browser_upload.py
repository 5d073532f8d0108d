"""An uploaded Udir file in a real browser: chosen with the file picker, kept after a reload and
after the server restarts (the same upload store, a new process), and gone from the view when
the user removes it.

The file is tests/data/import/udir_nedlasting_utf8_bom_crlf.csv (Udir's download layout, values
invented for the tests, never shown as real). Without Chromium these tests skip with a message;
with CI=true they fail.
"""

from __future__ import annotations

from pathlib import Path

from tests import browser_support as bs
from tests.test_browser import browser, open_page, problems_on, query  # noqa: F401 - fixture

FILE = Path(__file__).resolve().parent / "data" / "import" / "udir_nedlasting_utf8_bom_crlf.csv"
LOADED = "er lest inn"  # skolebidrag.upload_ok, nb


def success_text(page) -> str:
    return " ".join(
        el.inner_text() for el in page.locator('[data-testid="stAlertContentSuccess"]').all()
    )


def test_an_upload_survives_a_reload_and_a_server_restart(built_db, browser, tmp_path):  # noqa: F811
    ctx = browser.new_context(viewport=bs.VIEWPORT, locale="nb-NO")
    page = ctx.new_page()
    try:
        with bs.streamlit_server(built_db, log=tmp_path / "first.log") as base:
            open_page(page, f"{base}/skolebidrag?trinn=8-10")
            assert LOADED not in success_text(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(FILE))
            page.wait_for_function(
                f"() => document.body.innerText.includes({LOADED!r})", timeout=60_000
            )
            bs.wait_for_app(page)
            upload = query(page).get("data")
            assert upload and len(upload) == 32, page.url  # the link names the upload
            assert FILE.name in success_text(page)
            page.reload()
            bs.wait_for_app(page)
            assert FILE.name in success_text(page), "the upload was lost on reload"
            assert query(page).get("data") == upload
            assert not problems_on(page)
        # A new server process (a restart) with the same upload store: the link still works.
        with bs.streamlit_server(built_db, log=tmp_path / "second.log") as base:
            open_page(page, f"{base}/skolebidrag?trinn=8-10&data={upload}")
            assert FILE.name in success_text(page), "the upload was lost on a server restart"
            assert not problems_on(page)
            page.get_by_role("button", name="Fjern opplastet fil").click()
            bs.wait_for_app(page)
            assert LOADED not in success_text(page)
            assert "data" not in query(page)
    finally:
        ctx.close()
