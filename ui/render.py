"""How answers, passages and sources look. Rendering only: the core decides what to show."""

from __future__ import annotations

import html
import queue
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import streamlit as st

from bronwijzer.answering.export import answer_markdown
from bronwijzer.answering.synthesis import drafts
from bronwijzer.errors import BronwijzerError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.records.feedback import FeedbackLog
from bronwijzer.retrieval.followup import Rewrite
from bronwijzer.types import Answer, Chunk, Citation, DocumentInfo
from ui import terms
from ui.safe_text import literal, literal_lines

STYLE = """
<style>
.bw-source {border: 1px solid rgba(128,128,128,.35); border-radius: .5rem;
  padding: .6rem .8rem; margin: .4rem 0 .2rem 0;}
.bw-source.bw-target {border-left: .3rem solid #d97706;}
.bw-head {font-weight: 600;}
.bw-num {display: inline-block; min-width: 1.8em; color: #b45309;}
.bw-meta {font-size: .85rem; opacity: .75; margin: .1rem 0 .4rem 0;}
.bw-passage {font-size: .92rem; line-height: 1.45;}
.bw-passage mark {background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: .15em;}
.bw-section {font-size: .85rem; font-weight: 600; opacity: .8; margin-top: .6rem;}
</style>
"""

MAX_COMMENT_CHARS = 2000  # the feedback log keeps no more of a comment
PROGRESS_STAGES = {"lezen": "Documenten lezen", "inbedden": "Passages inbedden"}


@dataclass
class Turn:
    """One question and its answer in the conversation."""

    rewrite: Rewrite
    answer: Answer
    doc_filter: list[str] = field(default_factory=list)


def inject_style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


def _text_html(text: str) -> str:
    """Escaped text on one HTML line: a blank line would end Markdown's HTML block."""
    escaped = html.escape(text, quote=False).replace("$", "&#36;")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", escaped)]
    return "<br><br>".join(p for p in paragraphs if p)


def highlight(passage: str, quote: str) -> str:
    """The passage as HTML with the quoted sentence in <mark>; everything escaped."""
    match = None
    if quote.strip():
        words = [re.escape(w) for w in quote.split()]
        match = re.search(r"\s+".join(words), passage)
    if match is None:
        return _text_html(passage)
    before, hit, after = passage[: match.start()], match.group(0), passage[match.end() :]
    return f"{_text_html(before)} <mark>{_text_html(hit)}</mark> {_text_html(after)}".strip()


def doc_meta_line(doc: DocumentInfo | Citation, page: int | None, section: str) -> str:
    parts = [doc.date, doc.kind, doc.status]
    if page is not None:
        parts.append(f"p. {page}")
    if section:
        parts.append(f"§ {section}")
    return " · ".join(html.escape(p) for p in parts if p)


def source_card(number: str, title: str, meta: str, body_html: str, target: bool = False) -> None:
    css = "bw-source bw-target" if target else "bw-source"
    num = f'<span class="bw-num">{number}</span>' if number else ""
    head = f'<div class="bw-head">{num}{html.escape(title)}</div>' if title else ""
    card = (
        f'<div class="{css}">{head}<div class="bw-meta">{meta}</div>'
        f'<div class="bw-passage">{body_html}</div></div>'
    )
    # One line: a blank line would end the HTML block and let Markdown read what follows.
    st.markdown(" ".join(card.split()), unsafe_allow_html=True)


def answer_body(answer: Answer) -> str:
    """The answer text as Markdown: literal text, '- ' lines as a list, markers in bold."""
    blocks: list[str] = []
    for number, line in enumerate(answer.text.splitlines()):
        item = line.startswith("- ")
        plain = ("- " if item else "") + literal(line[2:] if item else line)
        text = re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", plain)
        if number == 0 and answer.verdict:  # the verdict line stands out, markers and all
            text = f"**{plain}**"
        if line.startswith("- ") and blocks and blocks[-1].startswith("- "):
            blocks[-1] += "\n" + text  # the next item of the same list
        else:
            blocks.append(text)
    return "\n\n".join(blocks)


@st.dialog("Bron in context", width="large")
def show_context(kb: KnowledgeBase, doc_id: str, chunk_id: str, quote: str, passage: str) -> None:
    """The cited passage among its neighbours, with the document's metadata."""
    try:
        chunks = kb.chunks_of(doc_id)
    except BronwijzerError as exc:
        st.error(str(exc))
        return
    index = next((i for i, c in enumerate(chunks) if c.chunk_id == chunk_id), None)
    if index is None:
        st.warning(
            "Dit document is na het antwoord gewijzigd of verwijderd. "
            "Hieronder staat de passage zoals die geciteerd is."
        )
        source_card("", doc_id, "", highlight(passage, quote), target=True)
        return
    doc = chunks[index].doc
    st.subheader(literal(doc.title))
    facts = [
        ("Datum", doc.date),
        ("Soort", doc.kind),
        ("Status", doc.status),
        ("Uitgever", doc.publisher),
        ("Kenmerk", doc.reference),
        ("Bestand", doc.doc_id),
    ]
    st.markdown("  \n".join(f"**{k}:** {literal(v)}" for k, v in facts if v))
    if doc.source_url.startswith(("http://", "https://")):
        # A button, not Markdown: a URL with ')' or '![…](…)' in it cannot add an image.
        st.link_button("Origineel document", doc.source_url, icon=":material/open_in_new:")
    whole = st.toggle("Hele document tonen", key=f"whole-{chunk_id}")
    shown = chunks if whole else chunks[max(0, index - 2) : index + 3]
    section = None
    for chunk in shown:
        # A section label, unless the passage itself opens with that heading.
        if chunk.section not in {section, ""} and not chunk.text.startswith(chunk.section):
            st.markdown(
                f'<div class="bw-section">§ {" ".join(html.escape(chunk.section).split())}</div>',
                unsafe_allow_html=True,
            )
        section = chunk.section
        _context_chunk(chunk, chunk.chunk_id == chunk_id, quote)


def _context_chunk(chunk: Chunk, target: bool, quote: str) -> None:
    pages = chunk.pages
    where = f"p. {pages[0]}" if len(pages) == 1 else f"p. {pages[0]}–{pages[-1]}"
    if chunk.section:
        where += f" · § {chunk.section}"
    # A passage can run on into the next chunk: the quote is marked where it stands.
    marked = target or bool(quote and quote in chunk.text)
    body = highlight(chunk.text, quote) if marked else _text_html(chunk.text)
    title = "Geciteerde passage" if target else ""
    source_card("", title, html.escape(where), body, target=target)


def citations(kb: KnowledgeBase, turn_key: str, answer: Answer) -> None:
    st.markdown("**Bronnen**")
    for c in answer.citations:
        meta = doc_meta_line(c, c.page, c.section)
        source_card(f"[{c.number}]", c.title, meta, highlight(c.passage, c.quote))
        if st.button(
            "Bron in context",
            key=f"ctx-{turn_key}-{c.number}",
            icon=":material/menu_book:",
            type="tertiary",
        ):
            show_context(kb, c.doc_id, c.chunk_id, c.quote, c.passage)


def nearest_passages(kb: KnowledgeBase, turn_key: str, answer: Answer) -> None:
    st.markdown("**Dichtstbijzijnde passages**")
    for number, passage in enumerate(answer.passages[:3], start=1):
        chunk = passage.chunk
        meta = doc_meta_line(chunk.doc, chunk.pages[0], chunk.section)
        source_card(f"({number})", chunk.doc.title, meta, _text_html(chunk.text))
        if st.button(
            "Bron in context",
            key=f"ctx-{turn_key}-p{number}",
            icon=":material/menu_book:",
            type="tertiary",
        ):
            show_context(kb, chunk.doc.doc_id, chunk.chunk_id, "", chunk.text)


def feedback_form(log: FeedbackLog, turn_key: str, turn: Turn) -> None:
    saved_key = f"feedback-saved-{turn_key}"
    with st.form(key=f"feedback-{turn_key}", border=False):
        left, middle, right = st.columns([2, 3, 1.2], vertical_alignment="bottom")
        verdict = left.segmented_control(
            "Was dit antwoord nuttig?", ["Nuttig", "Niet nuttig"], key=f"verdict-{turn_key}"
        )
        comment = middle.text_input(
            "Opmerking (optioneel)",
            key=f"comment-{turn_key}",
            placeholder="Wat mist of klopt er niet?",
            max_chars=MAX_COMMENT_CHARS,
        )
        sent = right.form_submit_button("Versturen")
    if sent:
        if verdict is None:
            st.warning("Kies eerst ‘Nuttig’ of ‘Niet nuttig’.")
        else:
            log.record(turn.answer, verdict == "Nuttig", comment, asked=turn.rewrite.asked)
            st.session_state[saved_key] = verdict
    if saved_key in st.session_state:
        st.caption(f"Feedback opgeslagen ({st.session_state[saved_key].lower()}). Dank u wel.")


def turn(
    kb: KnowledgeBase, log: FeedbackLog, turn_key: str, item: Turn, titles: Callable[[str], str]
) -> None:
    """One question and answer in the chat."""
    answer = item.answer
    with st.chat_message("user"):
        st.markdown(literal_lines(item.rewrite.asked))
    with st.chat_message("assistant"):
        if item.rewrite.rewritten:
            st.caption(f"Vervolgvraag gelezen als: “{literal(item.rewrite.standalone)}”")
        if item.doc_filter:
            names = ", ".join(titles(d) for d in item.doc_filter)
            st.caption(f"Gezocht in: {literal(names)}")
        if answer.abstained:
            st.warning(f"**Niet gevonden in de documenten.** {literal_lines(answer.text)}")
            nearest_passages(kb, turn_key, answer)
        else:
            st.markdown(answer_body(answer))
            terms.explain(kb, answer.text)
            citations(kb, turn_key, answer)
        # Which version of the documents the answer rests on, as in the audit log and the
        # Markdown export: after a document is replaced, older answers in the chat say so.
        written = (
            "geschreven door het taalmodel, elke bewering nagelezen in haar passage"
            if answer.path == "model"
            else "samengesteld uit de passages"
        )
        st.caption(f"Antwoord uit index {answer.generation or '-'} · {written}")
        st.download_button(
            "Antwoord downloaden (Markdown)",
            answer_markdown(answer, item.rewrite.asked),
            file_name=f"bronwijzer-antwoord-{turn_key}.md",
            mime="text/markdown",
            key=f"download-{turn_key}",
            icon=":material/download:",
            on_click="ignore",
        )
        feedback_form(log, turn_key, item)


def progress_callback(bar: st.delta_generator.DeltaGenerator) -> Callable[[str, int, int], None]:
    """A sync progress callback that drives one st.progress bar."""

    def update(stage: str, done: int, total: int) -> None:
        label = PROGRESS_STAGES.get(stage, stage)
        bar.progress(done / total if total else 1.0, text=f"{label}: {done} van {total}")

    return update


def streamed_answer(kb: KnowledgeBase, question: str, doc_ids: list[str] | None) -> Answer:
    """Answer in a worker thread while the model's claims appear as a draft
    (st.write_stream); the caller shows the verified answer in its place."""
    pieces: queue.Queue[str] = queue.Queue()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(kb.answer, question, doc_ids, pieces.put)

        def arriving() -> Iterator[str]:
            while not (future.done() and pieces.empty()):
                try:
                    yield pieces.get(timeout=0.05)
                except queue.Empty:
                    continue

        st.write_stream(literal(line) for line in drafts(arriving()))
        return future.result()
