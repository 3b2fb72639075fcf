"""The optional chat endpoint: any OpenAI-compatible server, through llama-index's
``OpenAILike``. Imported only when an endpoint is configured, so the offline default pays
nothing for it.

Every call has one deadline for the whole reply (`LLMSettings.timeout_s`): the HTTP client's
own timeout bounds each read, not a reply that trickles in, so the call runs in a worker
thread and the caller stops waiting when the deadline passes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from typing import Any

from bronwijzer.errors import BronwijzerError
from bronwijzer.settings_sections import LLMSettings

log = logging.getLogger(__name__)

# Replies that outlive their deadline finish in the background; a few threads are enough.
_CALLS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bronwijzer-llm")


class LLMError(BronwijzerError):
    """The endpoint failed, timed out or answered with something unusable."""


@lru_cache(maxsize=4)
def _client(settings: LLMSettings) -> Any:
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=settings.model or "default",
        api_base=settings.base_url,
        api_key=settings.api_key.get_secret_value() if settings.api_key else "none",
        timeout=settings.timeout_s,
        max_retries=0,  # a retry would overrun the deadline; the extractive answer is there
        temperature=0.0,
        max_tokens=settings.max_tokens,
        is_chat_model=True,
        context_window=32768,
    )


def _messages(system: str, user: str) -> list[Any]:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def chat(
    settings: LLMSettings,
    system: str,
    user: str,
    on_delta: Callable[[str], None] | None = None,
) -> str:
    """The endpoint's reply to one system and one user message, within the deadline. With
    `on_delta`, the reply is streamed and each piece handed to it as it arrives (from a
    worker thread: hand it to something thread-safe, such as a queue)."""
    if not settings.enabled:
        raise LLMError("Er is geen taalmodel ingesteld (BRONWIJZER_LLM__BASE_URL).")

    def call() -> str:
        if on_delta is None:
            response = _client(settings).chat(_messages(system, user))
            return str(response.message.content or "")
        pieces: list[str] = []
        for part in _client(settings).stream_chat(_messages(system, user)):
            if part.delta:
                pieces.append(str(part.delta))
                on_delta(pieces[-1])
        return "".join(pieces)

    future = _CALLS.submit(call)
    try:
        return future.result(timeout=settings.timeout_s)
    except FutureTimeout as exc:
        future.cancel()
        raise LLMError(f"Het taalmodel antwoordde niet binnen {settings.timeout_s:g} s.") from exc
    except Exception as exc:  # any client or server error: the extractive answer stands
        raise LLMError(f"Het taalmodel gaf een fout: {_short(exc)}") from exc


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
