"""A scripted model server on loopback, speaking Anthropic's and OpenAI's wire formats.

Tests point the providers' real client libraries at it (``base_url``), so
request building, response parsing, tool calls, usage and error handling run
for real, with no network. Each POST to ``.../messages`` (Anthropic Messages
API) or ``.../chat/completions`` (OpenAI Chat Completions) takes the next
scripted reply, a ``(status, body)`` pair or a callable that makes one from
the request; every request is recorded.

Example::

    with ModelServer([(200, openai_reply("Hello"))]) as server:
        provider = OpenAIProvider("m", base_url=f"{server.url}/v1")
        provider.complete("system", [Message.user("Hi")], [], max_tokens=10)
        server.requests[0]["body"]["messages"][0]    # {"role": "system", ...}
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Reply = tuple[int, dict[str, Any]]
Script = list[Reply | Callable[[dict[str, Any]], Reply]]


def anthropic_reply(
    text: str = "",
    tool_uses: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
    *,
    stop_reason: str | None = None,
    usage: tuple[int, int] = (100, 20),
    model: str = "claude-test",
) -> dict[str, Any]:
    """A Messages API response body with text and ``tool_use`` blocks."""
    content: list[dict[str, Any]] = []
    if text:
        content.append({"type": "text", "text": text})
    for call_id, name, arguments in tool_uses:
        content.append({"type": "tool_use", "id": call_id, "name": name, "input": arguments})
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason or ("tool_use" if tool_uses else "end_turn"),
        "stop_sequence": None,
        "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
    }


def anthropic_error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def openai_reply(
    text: str | None = None,
    tool_calls: list[tuple[str, str, Any]] = (),  # type: ignore[assignment]
    *,
    finish_reason: str | None = None,
    usage: tuple[int, int] | None = (100, 20),
    model: str = "local-model",
) -> dict[str, Any]:
    """A Chat Completions response body; tool arguments given as objects are JSON-encoded."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tool_calls:
        message["tool_calls"] = [
            {
                "id": call_id,
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
                },
            }
            for call_id, name, arguments in tool_calls
        ]
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_reason or ("tool_calls" if tool_calls else "stop"),
            }
        ],
    }
    if usage is not None:
        body["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        }
    return body


def openai_error(message: str, code: str = "model_not_found") -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


class ModelServer:
    """Serves the scripted replies in order on 127.0.0.1, on a port of its own."""

    def __init__(self, script: Script) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = {"path": self.path, "headers": headers, "body": body}
                status, reply = server._answer(request)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _answer(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            path = request["path"].split("?")[0]
            if not path.endswith(("/messages", "/chat/completions")):
                return 404, {"error": {"message": f"no route {path}"}}
            if not self.script:
                return 500, {"error": {"message": "the script has no reply left"}}
            step = self.script.pop(0)
        return step(request["body"]) if callable(step) else step

    def __enter__(self) -> ModelServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)
