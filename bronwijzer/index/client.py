"""Connections to Chroma: embedded in the data folder, or a server's HttpClient.

Also where a damaged embedded folder is set aside: clients opened on it before then
notice (``epoch``) and reopen.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings

from bronwijzer.errors import StoreUnavailableError
from bronwijzer.settings import Settings

log = logging.getLogger(__name__)

# chromadb registers the shared System of a data folder before starting it, without a lock:
# a second thread opening the same folder meanwhile gets one that is not started ("Could not
# connect to tenant default_tenant"), as ten app sessions opening at once did. One opener
# at a time per process; once started, the System is shared and this costs nothing.
_OPEN_LOCK = threading.Lock()
# Bumped when a damaged Chroma folder is set aside: clients opened on it before then reopen.
_EPOCH: dict[str, int] = {}


def make_client(settings: Settings) -> ClientAPI:
    """Embedded PersistentClient in the data folder, or an HttpClient in server mode.

    Telemetry is off either way; collections are always opened with
    ``embedding_function=None``, so Chroma's default embedding model is never used.
    """
    if settings.chroma_host:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    with _OPEN_LOCK:
        try:
            return chromadb.PersistentClient(
                path=str(settings.chroma_dir),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
        except Exception:
            # A failed start leaves the System registered for this folder, unstarted;
            # every later open would get it. Forget it so that a repaired folder opens.
            _forget_system(settings.chroma_dir)
            raise


def _forget_system(chroma_dir: Path) -> None:
    system = SharedSystemClient._identifier_to_system.pop(str(chroma_dir), None)
    SharedSystemClient._identifier_to_refcount.pop(str(chroma_dir), None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a System that never started cannot stop cleanly; it is dropped
            log.debug("Chroma System for %s did not stop cleanly", chroma_dir, exc_info=True)


def set_aside(settings: Settings) -> Path:
    """Move a damaged Chroma folder to '<chroma>.beschadigd-<time>' (kept, not deleted)."""
    with _OPEN_LOCK:
        _forget_system(settings.chroma_dir)
        _EPOCH[str(settings.chroma_dir)] = _EPOCH.get(str(settings.chroma_dir), 0) + 1
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = settings.chroma_dir.with_name(f"{settings.chroma_dir.name}.beschadigd-{stamp}")
    shutil.move(settings.chroma_dir, kept)
    log.info("Beschadigde index apart gezet in %s", kept)
    return kept


def _http_client(settings: Settings) -> ClientAPI:
    token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if token:
        # Chroma's own client-side token provider: 'Authorization: Bearer <token>'.
        chroma_settings = ChromaSettings(
            anonymized_telemetry=False,
            allow_reset=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=token,
        )
    try:
        return chromadb.HttpClient(
            host=str(settings.chroma_host), port=settings.chroma_port, settings=chroma_settings
        )
    except (ValueError, ConnectionError) as exc:
        raise unreachable(settings, exc) from exc


def unreachable(settings: Settings, exc: Exception) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"De Chroma-server op {settings.chroma_server} antwoordt niet of weigert de "
        f"toegang ({exc}). Start hem (chroma run --path MAP --host HOST --port POORT) of "
        "controleer BRONWIJZER_CHROMA_HOST, BRONWIJZER_CHROMA_PORT en BRONWIJZER_CHROMA_TOKEN."
    )


def epoch(chroma_dir: Path) -> int:
    """How often ``chroma_dir`` was set aside in this process (see set_aside)."""
    return _EPOCH.get(str(chroma_dir), 0)
