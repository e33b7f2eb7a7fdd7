"""app/api/routes/health.py: liveness and readiness, for load balancers and orchestrators.

``/health/live`` answers 200 while the process serves requests.
``/health/ready`` answers 200 when the database (and Redis, when configured)
answer too, and 503 otherwise, so traffic goes only to instances that can
serve it. They are outside the API prefix and not part of the contract;
app.main mounts this router.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(prefix="/health", tags=["health"], include_in_schema=False)


@router.get("/live")
async def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """The process and what it depends on can serve requests."""
    checks: dict[str, Any] = {}
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    if request.app.state.settings.redis_url:
        try:
            checks["redis"] = "ok" if await request.app.state.rate_limiter.ping() else "unavailable"
        except Exception:  # noqa: BLE001
            checks["redis"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503
    )
