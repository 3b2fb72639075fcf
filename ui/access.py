"""Who may change the corpus. One place, so that an admin role can be added here later."""

from __future__ import annotations


def can_manage_documents() -> bool:
    """Upload, replace and delete are open to every user for now.

    An admin role replaces this with a check on ``st.user`` (or a password) without
    touching the pages: the app hides the Documents page and the page itself refuses.
    """
    return True
