"""app/api/routes/custom.py: your own routes: created once, never overwritten.

app/api/router.py lists this router beside the generated ones; app.main
includes it under the API prefix. Add routes here for anything the contract does not describe; use
the services of app/api/deps.py (``BookServiceDep`` and the like) and
app.api.responses.json_response to answer.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
