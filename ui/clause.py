"""Clause page: every passage on a term across all documents, highlighted, exportable."""

from __future__ import annotations

import re

import streamlit as st

from bronwijzer.analysis.clause import find_clause, to_markdown
from bronwijzer.errors import QuestionError
from ui.page import doc_line, example_input, marked, open_page, where
from ui.render import source_card
from ui.safe_text import literal

EXAMPLES = ["contractvereiste", "eigen risico", "lump sum", "artikel 58 Wmg", "Wmo"]

settings, kb, documents = open_page(
    "Clausule in alle documenten",
    "Elke passage met een term, ook in andere spelling, OCR-varianten en verbuigingen; "
    "per document in leesvolgorde.",
)
term = example_input(
    "Term of clausule", EXAMPLES, "clause-example", placeholder="bijv. contractvereiste"
)
try:
    groups = find_clause(term, kb.all_chunks(), documents)
except QuestionError as exc:
    st.error(str(exc))
    st.stop()
if not groups:
    st.info(f"‘{literal(term)}’ komt in geen enkel document voor.")
    st.stop()

total = sum(len(g.hits) for g in groups)
st.markdown(f"**{total} passages** in {len(groups)} documenten")
slug = re.sub(r"\W+", "-", term.lower()).strip("-") or "clausule"
st.download_button(
    "Exporteer als Markdown",
    to_markdown(term, groups),
    file_name=f"clausule-{slug}.md",
    mime="text/markdown",
    icon=":material/download:",
)
for group in groups:
    st.subheader(literal(group.doc.title))
    count = f"{len(group.hits)} passage" + ("s" if len(group.hits) != 1 else "")
    st.caption(f"{literal(doc_line(group.doc))} · {count}")
    for hit in group.hits:
        source_card("", "", where(hit.page, hit.chunk.section), marked(hit.chunk.text, hit.spans))
