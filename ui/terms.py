"""The glossary in the app: cached per index generation; terms in an answer explained."""

from __future__ import annotations

import streamlit as st

from bronwijzer.analysis.glossary import GlossaryEntry, build_glossary, terms_in
from bronwijzer.knowledge import KnowledgeBase
from ui.safe_text import literal

MAX_EXPLAINED = 8  # popovers under one answer


@st.cache_data(show_spinner="Woordenlijst opbouwen…", max_entries=4)
def glossary(_kb: KnowledgeBase, settings_key: str, generation: str) -> list[GlossaryEntry]:
    """The glossary of one index generation (rebuilt after a re-index adds a document)."""
    return build_glossary(_kb.all_chunks())


def current_glossary(kb: KnowledgeBase) -> list[GlossaryEntry]:
    return glossary(kb, kb.settings.model_dump_json(), kb.generation)


def explain(kb: KnowledgeBase, text: str) -> None:
    """A row of buttons, one per glossary term in the text; each opens its entry."""
    entries = terms_in(text, current_glossary(kb))[:MAX_EXPLAINED]
    if not entries:
        return
    columns = st.columns(len(entries) + 1, gap="small")
    columns[0].caption("Begrippen:")
    for column, entry in zip(columns[1:], entries, strict=True):
        with column.popover(literal(entry.term), help=literal(entry.expansion) or None):
            st.markdown(entry_markdown(entry))


def entry_markdown(entry: GlossaryEntry) -> str:
    d = entry.definition
    head = f"**{literal(entry.term)}**"
    if entry.expansion:
        head += f": {literal(entry.expansion)}"
    quote = literal(" ".join(d.sentence.split()))
    where = f"{d.title}, {d.date}, p. {d.page}" if d.date else f"{d.title}, p. {d.page}"
    return f"{head}\n\n> {quote}\n\n:gray[{literal(where)} · {len(entry.uses)}× gebruikt]"
