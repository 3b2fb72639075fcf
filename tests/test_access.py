"""Roles: everyone may read and ask; only an admin (password) may change the corpus."""

from __future__ import annotations

import hmac

import pytest
from streamlit.testing.v1 import AppTest

from bronwijzer.settings import Settings
from tests.test_app import ADMIN_PASSWORD, APP, open_documents, start, texts
from ui.access import password_matches

ADD = "FormSubmitter:add-Toevoegen en indexeren"


def corpus_names(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.corpus_dir.iterdir())


def assert_read_only(at: AppTest, settings: Settings) -> None:
    assert not at.file_uploader, "no upload without admin rights"
    assert len(at.get("form")) <= 1 and not at.selectbox  # at most the login form
    assert not [b for b in at.button if "Index bijwerken" in b.label]
    assert len(at.dataframe[0].value) == 3  # the documents are still listed
    assert corpus_names(settings)


def test_without_an_admin_password_the_documents_page_is_read_only(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRONWIJZER_ADMIN_PASSWORD", raising=False)
    at = open_documents(start())
    assert "BRONWIJZER_ADMIN_PASSWORD" in texts(at.info)
    assert "secrets.toml" in texts(at.info)
    assert not at.text_input, "no login form when no admin is configured"
    assert_read_only(at, app_env)


def test_wrong_password_is_refused_and_the_right_one_opens_management(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    before = corpus_names(app_env)
    at = open_documents(start(), ADMIN_PASSWORD + "x")
    assert "Onjuist wachtwoord." in texts(at.error)
    assert_read_only(at, app_env)
    assert corpus_names(app_env) == before

    at.text_input(key="admin-password").set_value(ADMIN_PASSWORD)
    at.button(key="FormSubmitter:admin-login-Inloggen als beheerder").click().run()
    assert not at.error
    assert at.file_uploader(key="add-file") is not None
    state = at.session_state
    assert "admin-password" not in state or state["admin-password"] == ""  # not kept

    at.button(key="admin-logout").click().run()
    assert_read_only(at, app_env)


def test_password_from_streamlit_secrets(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRONWIJZER_ADMIN_PASSWORD", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["admin_password"] = "uit-de-secrets"
    at.run()
    at = open_documents(at, "uit-de-secrets")
    assert not at.error
    assert at.file_uploader(key="add-file") is not None


def test_password_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert password_matches("geheim", "geheim") and not password_matches("geheim", "Geheim")
    assert len(calls) == 2
