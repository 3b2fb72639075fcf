"""Ten browser sessions ask while an admin replaces the document they ask about.

Issue #5, against the real app: `streamlit run app.py` with an admin password, ten Chromium
contexts (ten Streamlit sessions) that keep asking about the Kamerbrief, and an eleventh
that logs in on the documents page and uploads a new version of it. No page may show an
error, and no answer may mix the two versions: each answer names the index it came from
(its caption), and every passage shown with it must be a passage of that index.
tests/test_concurrency.py checks the same in one process at the core, without a browser.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bronwijzer.index.rows import read_rows
from bronwijzer.index.store import IndexStore
from bronwijzer.settings import Settings
from tests.apphelpers import ADMIN_PASSWORD, DOC, NEW_VERSION, QUESTIONS
from tests.appserver import CHROMIUM, CHROMIUM_ARGS, running_app

SESSIONS = 10
CHAT = "Stel een vraag over de documenten…"
CAPTION = re.compile(r"^Antwoord uit index (\S+) · ")
FAILURES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
WAIT_MS = 240_000  # two shared cores, eleven browser pages and the model: be patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium is not on PATH (Debian: apt-get install chromium); .ci/run installs it",
    ),
]


@dataclass
class Reply:
    """One answer as a session saw it in the browser."""

    session: int
    question: str
    generation: str  # from the answer's caption
    passages: list[str]  # the passages shown with the answer (cited, or the nearest ones)
    after_replace: bool  # asked after the admin saw the replace succeed


@dataclass
class Run:
    """What the sessions and the admin share while the test runs."""

    answered_once: set[int] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)  # every session answered once
    replaced: asyncio.Event = field(default_factory=asyncio.Event)


def squeeze(text: str) -> str:
    """Text without whitespace: the page adds spaces around <mark> and breaks paragraphs."""
    return "".join(text.split())


def passages_of(settings: Settings, generation: str) -> set[str]:
    rows = read_rows(IndexStore(settings).collection(generation), ["documents"])
    return {squeeze(text or "") for text in rows["documents"]}


def within(texts: set[str], chunks: set[str]) -> bool:
    """Every shown passage is a chunk of this version, or a chunk and the next one."""
    return all(
        t in chunks or any(t.startswith(c) and t[len(c) :] in chunks for c in chunks) for t in texts
    )


async def shown(page: Any, ready: Any, who: str) -> None:
    """Wait until ``ready`` is visible; an exception or error box on the page fails at once."""
    from playwright.async_api import expect

    failures = page.locator(FAILURES)
    await expect(ready.or_(failures).first).to_be_visible(timeout=WAIT_MS)
    problems = await failures.all_inner_texts()
    assert not problems, f"{who}: {problems}"


async def ask(page: Any, number: int, question: str, who: str) -> tuple[str, list[str]]:
    """Ask the session's question number ``number``; the index and passages of its answer."""
    chat = page.get_by_placeholder(CHAT)
    await chat.fill(question)
    await chat.press("Enter")
    # The turn is drawn once the answer is stored; its feedback form comes last.
    reply = page.locator('[data-testid="stChatMessage"]').nth(2 * number + 1)
    await shown(page, reply.get_by_role("button", name="Versturen"), who)
    match = CAPTION.match(await reply.get_by_text(CAPTION).inner_text())
    assert match is not None
    return match.group(1), await reply.locator(".bw-source .bw-passage").all_inner_texts()


async def session(browser: Any, url: str, number: int, run: Run) -> list[Reply]:
    """Ask until one question has been asked after the replace was done."""
    who = f"sessie {number}"
    context = await browser.new_context()
    context.set_default_timeout(WAIT_MS)
    replies: list[Reply] = []
    try:
        page = await context.new_page()
        await page.goto(url)
        await shown(page, page.get_by_placeholder(CHAT), who)
        while not replies or not replies[-1].after_replace:
            after = run.replaced.is_set()
            # After the replace: the question whose answer changed (2028 became 2031).
            question = QUESTIONS[0] if after else QUESTIONS[(number + len(replies)) % 2]
            generation, passages = await ask(page, len(replies), question, who)
            replies.append(Reply(number, question, generation, passages, after))
            run.answered_once.add(number)
            if len(run.answered_once) == SESSIONS:
                run.ready.set()
    finally:
        run.ready.set()  # a session that failed must not keep the admin waiting
        await context.close()
    return replies


async def replace_as_admin(browser: Any, url: str, run: Run) -> None:
    """Log in on the documents page and upload the new version of DOC, as an admin does."""
    from playwright.async_api import expect

    context = await browser.new_context()
    context.set_default_timeout(WAIT_MS)
    try:
        page = await context.new_page()
        await page.goto(f"{url}/documenten")
        await page.get_by_label("Beheerderswachtwoord").fill(ADMIN_PASSWORD)
        await page.get_by_role("button", name="Inloggen als beheerder").click()
        await shown(page, page.get_by_role("tab", name="Vervangen"), "beheerder")
        await page.get_by_role("tab", name="Vervangen").click()
        panel = page.get_by_role("tabpanel", name="Vervangen")
        document = panel.get_by_role("combobox", name="Document")
        await document.click()
        await page.get_by_role("option", name=re.compile(re.escape(DOC))).click()
        await expect(document).to_have_value(re.compile(re.escape(DOC)), timeout=WAIT_MS)
        await panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": DOC, "mimeType": "text/plain", "buffer": NEW_VERSION}]
        )
        chip = panel.locator('[data-testid="stFileChipName"]')  # it shortens long names
        await expect(chip).to_have_attribute("title", DOC, timeout=WAIT_MS)
        uploading = panel.locator('[data-testid="stFileChipIconSpinner"]')
        await expect(uploading).to_have_count(0, timeout=WAIT_MS)
        await run.ready.wait()  # every session has an answer from the old version
        await panel.get_by_role("button", name="Nieuwe versie indexeren").click()
        await shown(page, page.get_by_text("Vervangen gelukt"), "beheerder")
    finally:
        run.replaced.set()  # the sessions stop after one more question either way
        await context.close()


async def ask_and_replace(url: str) -> list[list[Reply]]:
    from playwright.async_api import async_playwright

    run = Run()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = await asyncio.gather(
                replace_as_admin(browser, url, run),
                *(session(browser, url, n, run) for n in range(SESSIONS)),
                return_exceptions=True,
            )
        finally:
            await browser.close()
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise BaseExceptionGroup("a browser session failed", failed)
    return [r for r in results[1:] if isinstance(r, list)]


def assert_one_version(reply: Reply, versions: dict[str, set[str]]) -> None:
    """A reply quotes one index version only, and the one its caption names."""
    assert reply.passages, reply
    texts = {squeeze(p) for p in reply.passages}
    assert any(within(texts, chunks) for chunks in versions.values()), f"mixed versions: {reply}"
    assert reply.generation in versions, reply
    assert within(texts, versions[reply.generation]), f"not from its own index: {reply}"


def test_ten_browser_sessions_ask_while_an_admin_replaces_a_document(
    app_site: Settings, tmp_path: Path
) -> None:
    store = IndexStore(app_site)
    old = store.require_active().name
    log = tmp_path / "streamlit.log"
    with running_app(app_site, log, BRONWIJZER_ADMIN_PASSWORD=ADMIN_PASSWORD) as url:
        sessions = asyncio.run(ask_and_replace(url))
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    new = store.require_active().name
    assert new != old, "the replace made a new index generation"

    versions = {old: passages_of(app_site, old), new: passages_of(app_site, new)}
    assert len(sessions) == SESSIONS
    for replies in sessions:
        assert len(replies) >= 2, "every session got answers before and after the replace"
        assert replies[0].generation == old  # asked before the admin pressed the button
        for reply in replies:
            assert_one_version(reply, versions)
        last = replies[-1]
        assert last.after_replace and last.generation == new, last
        assert any("2031" in p for p in last.passages), last
        assert not any("2028" in p for p in last.passages), last
