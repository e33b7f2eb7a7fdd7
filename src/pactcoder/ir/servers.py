"""The path prefix a service serves its operations under, read from the contract's servers.

The first server whose URL resolves is used: its variables take their defaults
(``https://{host}/api/{version}`` with ``version: {default: v1}`` is ``/api/v1``), and
its path is the prefix. A server with a variable the contract gives no default is
passed over with a warning. The prefix must be a clean path: no ``.`` or ``..``
segment, no empty segment (``/api//v1``), only characters a URL path may carry;
anything else is an error located at the server's URL.

Example::

    api_prefix(servers, problems)   # "/api/v1"
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pactcoder.oas.model import Server
from pactcoder.problems import Problems

_VARIABLE = re.compile(r"\{([^{}]*)\}")
#: What a path segment may hold (RFC 3986 pchar, percent-escapes included).
_SEGMENT = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+")


def api_prefix(servers: list[Server], problems: Problems) -> str:
    """The prefix of the first server that resolves, validated; ``""`` when there is none."""
    for server in servers:
        url = _resolve(server, problems)
        if url is None:
            continue
        path = urlsplit(url).path if "://" in url else url.partition("?")[0].partition("#")[0]
        return _checked(path, server, problems)
    return ""


def _resolve(server: Server, problems: Problems) -> str | None:
    """The server's URL with each variable replaced by its default; None when one has none."""
    missing = [name for name in _VARIABLE.findall(server.url) if server.variables.get(name) is None]
    if missing:
        problems.warning(
            f"server {server.url!r} uses {', '.join(sorted(set(missing)))} without a default,"
            " so its path is not used as the service's prefix",
            hint="give each server variable a default",
            at=server.location,
        )
        return None
    # A default's own outer slashes are dropped, and an empty one takes a slash with it:
    # `/{basePath}/v1` with basePath "/" or "" is /v1, not //v1.
    marked = _VARIABLE.sub(
        lambda m: "\0" + (server.variables[m.group(1)] or "").strip("/") + "\0", server.url
    )
    return marked.replace("/\0\0/", "/").replace("\0", "")


def _checked(path: str, server: Server, problems: Problems) -> str:
    trimmed = path.strip()
    if trimmed in ("", "/"):
        return ""
    segments = trimmed.lstrip("/").rstrip("/").split("/")
    bad = [s for s in segments if s in ("", ".", "..") or not _SEGMENT.fullmatch(s)]
    if bad:
        what = "an empty segment" if "" in bad else f"the segment {bad[0]!r}"
        problems.error(
            f"server {server.url!r} gives the path prefix {trimmed!r}, which has {what}",
            hint="a server path is segments of letters, digits and -._~ joined by single"
            " slashes, with no '.' or '..' (for example /api/v1)",
            at=server.location,
        )
        return ""
    return "/" + "/".join(segments)
