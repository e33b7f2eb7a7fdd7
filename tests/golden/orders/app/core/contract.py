"""app/core/contract.py: the API contract this service implements, as served.

The OpenAPI document pactcoder built this service from (docs/ with overlays
applied, in one document) is the data file app/openapi.json; this module reads
it once. app.main serves it at /api/v1/openapi.json so that clients
see exactly the contract, app.core.errors looks up an operation's documented
answers in it, and tests/contract.py checks every response against it. Edit
the contract in docs/ and rebuild rather than app/openapi.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: app/openapi.json, beside the app package's modules.
CONTRACT_FILE = Path(__file__).resolve().parent.parent / "openapi.json"
CONTRACT: dict[str, Any] = json.loads(CONTRACT_FILE.read_bytes())
