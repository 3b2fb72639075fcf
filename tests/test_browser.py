"""End to end in a real browser: Debian's chromium, driven by Playwright, against
`streamlit run app.py` on a free localhost port and a small real index."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bronwijzer.settings import Settings
from tests.apphelpers import HOSTILE_TITLE, QUESTION, add_link_document
from tests.appserver import CHROMIUM, CHROMIUM_ARGS, running_app

# The committed screenshot is refreshed only on request, so a test run leaves the tree clean.
# BRONWIJZER_SCREENSHOT_DIR=docs python -m pytest tests/test_browser.py refreshes it.
SCREENSHOT_DIR = os.environ.get("BRONWIJZER_SCREENSHOT_DIR", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium is not on PATH (Debian: apt-get install chromium); .ci/run installs it",
    ),
]


@pytest.fixture()
def app_server(app_site: Settings, tmp_path: Path) -> Iterator[str]:
    """The app on a free port, pointed at a private copy of the app index."""
    with running_app(app_site, tmp_path / "streamlit.log") as url:
        yield url


def test_ask_in_the_browser_shows_a_cited_highlighted_answer(
    app_server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(app_server)
            chat = page.get_by_placeholder("Stel een vraag over de documenten…")
            expect(chat).to_be_visible(timeout=90_000)  # first load reads the model
            chat.fill(QUESTION)
            chat.press("Enter")

            answer = page.locator('[data-testid="stChatMessage"]').nth(1)
            verdict = "Nee — volgens de beleidsregel, 2024-10-01; definitief [1]."
            expect(answer).to_contain_text(verdict, timeout=60_000)
            expect(answer.locator("strong").first).to_have_text(verdict)  # in bold, first
            quote = "Voor de prestatie patiëntengroepsgebonden afstemming geldt geen eigen risico."
            expect(answer.get_by_text(f"“{quote}”")).to_be_visible()
            expect(answer.get_by_text("[1]").first).to_be_visible()
            mark = answer.locator(".bw-source mark").first
            expect(mark).to_be_visible()
            expect(mark).to_contain_text("geen eigen risico")
            expect(answer.get_by_role("button", name="Bron in context").first).to_be_visible()
            # Streamlit scrolls a new answer into view; the picture starts at the question.
            page.mouse.move(800, 400)
            page.mouse.wheel(0, -10_000)
            question = page.locator('[data-testid="stChatMessage"]').first
            expect(question).to_be_in_viewport(ratio=1)
            shot = Path(SCREENSHOT_DIR or tmp_path) / "screenshot-ask.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000


def test_markdown_in_a_title_loads_nothing_from_another_host(
    app_site: Settings, tmp_path: Path
) -> None:
    """A title with a Markdown image and link, and glossary headings with bare URLs: shown
    as text, and the browser asks no host but the app's own for anything."""
    from urllib.parse import urlsplit

    from playwright.sync_api import expect, sync_playwright

    add_link_document(app_site)
    requested: list[str] = []
    with (
        running_app(app_site, tmp_path / "streamlit.log") as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.on("request", lambda request: requested.append(request.url))

            def visible_text() -> str:
                return page.inner_text("body").replace("\u2060", "")

            def has_no_outside_links() -> None:
                assert page.locator('img[src*="example.invalid"]').count() == 0
                assert page.locator('a[href*="example.invalid"]').count() == 0

            page.goto(url)  # the sidebar lists every document by title
            sidebar = page.locator('[data-testid="stSidebar"]')
            expect(sidebar.get_by_text("Linkbrief", exact=False)).to_be_visible(timeout=90_000)
            assert HOSTILE_TITLE in visible_text()
            has_no_outside_links()

            page.goto(f"{url}/clausule")
            term = page.get_by_label("Term of clausule")
            expect(term).to_be_visible(timeout=60_000)
            term.fill("Zorginstituut")
            term.press("Enter")
            heading = page.locator("h3", has_text="Linkbrief")
            expect(heading).to_be_visible(timeout=60_000)
            assert heading.inner_text().replace("\u2060", "").strip() == HOSTILE_TITLE
            has_no_outside_links()

            page.goto(f"{url}/woorden")
            entry = page.locator('[data-testid="stExpander"]', has_text="ZIN")
            expect(entry.first).to_be_visible(timeout=60_000)
            entry.first.locator("summary").click()
            expect(entry.first.get_by_text("Gebruikt in")).to_be_visible()
            text = visible_text()
            assert "ZIN — Zorginstituut *Nederland* http://example.invalid/zin" in text
            assert HOSTILE_TITLE in text  # 'Gebruikt in:' lists the title
            has_no_outside_links()
        finally:
            browser.close()

    hosts = {urlsplit(u).hostname for u in requested if not u.startswith(("data:", "blob:"))}
    assert requested and hosts == {"127.0.0.1"}, sorted(set(requested))
