"""Bronwijzer in the browser: streamlit run app.py

UI only. The pages in ui/ read the settings, call the core package and render.
"""

from __future__ import annotations

import streamlit as st

# An emoji, not ':material/…:': Streamlit fetches a Material favicon from fonts.gstatic.com,
# and no page may load anything from another host.
st.set_page_config(page_title="Bronwijzer", page_icon="📘", layout="wide")

pages = [
    st.Page("ui/ask.py", title="Vragen", icon=":material/chat:", url_path="vragen", default=True)
]
pages += [
    st.Page("ui/clause.py", title="Clausule", icon=":material/format_quote:", url_path="clausule"),
    st.Page(
        "ui/glossary.py", title="Woordenlijst", icon=":material/dictionary:", url_path="woorden"
    ),
    st.Page(
        "ui/compare.py",
        title="Verschillen",
        icon=":material/compare_arrows:",
        url_path="verschillen",
    ),
]
# Everyone sees the documents; the page itself asks for the admin password to change them.
pages.append(
    st.Page(
        "ui/documents.py",
        title="Documenten",
        icon=":material/folder_open:",
        url_path="documenten",
    )
)
st.navigation(pages).run()
