"""Things the pages share: settings, the knowledge base and the feedback log, loaded once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from bronwijzer.errors import SettingsError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.records.audit import AuditLog
from bronwijzer.records.feedback import FeedbackLog
from bronwijzer.records.throttle import LoginThrottle
from bronwijzer.settings import Settings

# The cache key is the settings' content: two tests (or two configurations) in one process
# each get their own knowledge base, and a rerun never builds a second one.
_BY_VALUE: dict[str | type[Any], Callable[[Any], Any]] = {Settings: lambda s: s.model_dump_json()}


def app_settings() -> Settings:
    """Settings from the environment (BRONWIJZER_*); a bad value stops the page clearly."""
    try:
        return Settings.load()
    except SettingsError as exc:
        st.error(str(exc))
        st.stop()


@st.cache_resource(show_spinner="Model en index laden…", hash_funcs=_BY_VALUE)
def knowledge_base(settings: Settings) -> KnowledgeBase:
    """One knowledge base per process; it reloads by itself after a re-index."""
    kb = KnowledgeBase(settings)
    _ = kb.embedding  # load the model now, under the spinner, not on the first question
    return kb


@st.cache_resource(show_spinner=False, hash_funcs=_BY_VALUE)
def feedback_log(settings: Settings) -> FeedbackLog:
    return FeedbackLog(settings)


@st.cache_resource(show_spinner=False, hash_funcs=_BY_VALUE)
def audit_log(settings: Settings) -> AuditLog:
    return AuditLog(settings)


@st.cache_resource(show_spinner=False, hash_funcs=_BY_VALUE)
def login_throttle(settings: Settings) -> LoginThrottle:
    """Failed admin logins of this process (per configuration), shared by all sessions."""
    return LoginThrottle()


def session_id() -> str:
    """A random id for this browser session, so audit records of one user can be grouped."""
    return str(st.session_state.setdefault("bw-session", uuid.uuid4().hex[:12]))
