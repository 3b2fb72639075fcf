"""Glossary page: abbreviations and defined terms from the documents, with their sources."""

from __future__ import annotations

import html
from collections import defaultdict

import streamlit as st

from bronwijzer.text.normalize import folded
from ui.page import marked, open_page, spans_of, where
from ui.render import source_card
from ui.safe_text import literal
from ui.terms import current_glossary

settings, kb, documents = open_page(
    "Woordenlijst",
    "Afkortingen en begrippen zoals de documenten ze zelf definiëren of voor het eerst "
    "uitleggen, met waar ze gebruikt worden.",
)
MAX_QUERY_CHARS = 100
titles = {d.doc_id: d.title for d in documents}
entries = current_glossary(kb)
query = st.text_input(
    "Zoek een term", placeholder="bijv. Wlz of betaaltitel", max_chars=MAX_QUERY_CHARS
)
if query.strip():
    key = folded(query.strip().lower())
    entries = [
        e for e in entries if key in folded(e.term.lower()) or key in folded(e.expansion.lower())
    ]
st.caption(f"{len(entries)} termen")

for entry in entries:
    label = f"**{literal(entry.term)}**" + (
        f" — {literal(entry.expansion)}" if entry.expansion else ""
    )
    with st.expander(f"{label} · {len(entry.uses)}× gebruikt"):
        for number, d in enumerate(entry.definitions):
            body_spans = spans_of(d.sentence, [entry.term, entry.expansion])
            source_card(
                "",
                titles.get(d.doc_id, d.title) if number == 0 else f"Ook: {d.title}",
                f"{html.escape(d.date)} · {where(d.page, d.section)} · {html.escape(d.pattern)}",
                marked(d.sentence, body_spans),
            )
        pages: dict[str, list[int]] = defaultdict(list)
        for use in entry.uses:
            if use.page not in pages[use.doc_id]:
                pages[use.doc_id].append(use.page)
        st.markdown(
            "**Gebruikt in:**  \n"
            + "  \n".join(
                f"{literal(titles.get(doc_id, doc_id))}: p. {', '.join(map(str, sorted(p)))}"
                for doc_id, p in pages.items()
            )
        )
