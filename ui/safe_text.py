"""Text from documents and users as Markdown that Streamlit shows literally.

Streamlit renders st.markdown, st.caption, st.subheader, widget labels and help texts as
GitHub-flavoured Markdown. A document title like ``![x](http://host/x.png)`` would make the
reader's browser fetch from that host, and a URL in a glossary heading would become a link.
Every page passes such text through ``literal`` first.
"""

from __future__ import annotations

import re

from bronwijzer.answering.export import escape_markdown

_LIST_NUMBER = re.compile(r"^(\d+)([.)])")  # '1. ' or '1) ' opens a numbered list
_LINE_MARK = re.compile(r"^([-+=])")  # a list item, or a setext heading's underline
# What remark-gfm links without any Markdown syntax: 'http://', 'https://', 'www.', 'a@b.c'.
_AUTOLINK = re.compile(r"(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.I)
WORD_JOINER = "\u2060"  # invisible; it splits what would otherwise become a link


def literal(text: str) -> str:
    """Text from a document (or a user) as Markdown that shows exactly that text, on one
    line: no emphasis, headings, lists, links, images, HTML, maths or colour directives,
    and no bare URL or e-mail address turned into a link. For every st.markdown, st.caption,
    st.subheader, widget label or help text that holds such text."""
    one_line = " ".join(text.split())
    escaped = escape_markdown(one_line).replace("&", "\\&")
    escaped = _LINE_MARK.sub(r"\\\1", _LIST_NUMBER.sub(r"\1\\\2", escaped))
    return _AUTOLINK.sub(WORD_JOINER, escaped)


def literal_lines(text: str) -> str:
    """Like literal(), keeping the text's lines as lines."""
    return "  \n".join(literal(line) for line in text.splitlines() if line.strip())
