"""Shared by the pages: opening a page on the index, example inputs, marking text."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import streamlit as st

from bronwijzer.analysis.clause import highlight, merge_spans
from bronwijzer.errors import BronwijzerError, IndexMissingError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.types import DocumentInfo
from ui.index_setup import offer_first_index
from ui.render import inject_style
from ui.resources import app_settings, knowledge_base


def open_page(title: str, caption: str) -> tuple[Settings, KnowledgeBase, list[DocumentInfo]]:
    """Settings, knowledge base and documents; stops the page when there is no index."""
    settings = app_settings()
    kb = knowledge_base(settings)
    inject_style()
    st.title(title)
    st.caption(caption)
    try:
        documents = kb.documents()
    except IndexMissingError:
        offer_first_index(settings)
        st.stop()
    except BronwijzerError as exc:
        st.error(str(exc))
        st.stop()
    if kb.notice:  # the index is damaged or lost: an older copy answers meanwhile
        st.warning(kb.notice)
    return settings, kb, documents


def example_input(label: str, examples: Sequence[str], key: str, placeholder: str) -> str:
    """A text input that an example pill fills in; stops the page while it is empty."""
    st.pills("Voorbeelden", list(examples), key=key)
    limit = app_settings().answer.max_question_chars  # the core refuses longer input too
    text = st.text_input(
        label, value=st.session_state.get(key) or "", placeholder=placeholder, max_chars=limit
    )
    if not text.strip():
        st.stop()
    return text


def _escaped(text: str) -> str:
    """Escaped, whitespace runs (newlines too) made one space: it must stay one HTML line."""
    return re.sub(r"\s+", " ", html.escape(text, quote=False).replace("$", "&#36;"))


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text as one HTML line with each (start, end) span in <mark>; all escaped."""
    return highlight(text, spans, "<mark>", "</mark>", _escaped).strip()


def spans_of(text: str, phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Where the phrases occur in the text (case-insensitive, any whitespace), merged."""
    found = []
    for phrase in phrases:
        words = [re.escape(w) for w in phrase.split()]
        if words:
            found += [m.span() for m in re.finditer(r"\s+".join(words), text, re.IGNORECASE)]
    return merge_spans(found)


def where(page: int, section: str) -> str:
    return html.escape(f"p. {page}" + (f" · § {section}" if section else ""))


def doc_line(doc: DocumentInfo) -> str:
    return " · ".join(x for x in (doc.date, doc.kind, doc.status) if x)
