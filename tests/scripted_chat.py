"""A small OpenAI-compatible chat server that replays scripted replies: a real HTTP server
in a thread, so the real client (llama-index's OpenAILike over the openai SDK) talks to it.

Each request takes the next reply of `script`; a reply is text (or a function of the
request body that gives it), or a dict with 'content'
plus 'delay' (seconds before answering), 'status' (an HTTP error) or 'stream' (the content
sent in pieces as server-sent events). Every request body is kept in `requests`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedChat:
    def __init__(self) -> None:
        self.script: list[str | dict[str, Any] | Callable[[dict[str, Any]], str]] = []
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with owner._lock:
                    owner.requests.append(body)
                    reply = owner.script.pop(0) if owner.script else ""
                if callable(reply):  # a reply made from the request itself
                    reply = reply(body)
                step = dict(reply) if isinstance(reply, dict) else {"content": reply}
                if callable(step.get("content")):
                    step["content"] = step["content"](body)
                time.sleep(float(step.get("delay", 0)))
                if "status" in step:
                    self._send(int(step["status"]), {"error": {"message": "scripted failure"}})
                elif body.get("stream"):
                    self._stream(str(step.get("content", "")), int(step.get("pieces", 5)))
                else:
                    self._send(200, _completion(str(step.get("content", ""))))

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, content: str, pieces: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                size = max(1, len(content) // pieces + 1)
                for i in range(0, len(content), size):
                    chunk = {
                        "id": "scripted",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "scripted",
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"role": "assistant", "content": content[i : i + size]},
                                "finish_reason": None,
                            }
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> ScriptedChat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "scripted",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
