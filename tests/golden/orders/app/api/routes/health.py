"""app/api/routes/health.py: liveness and readiness, for load balancers and orchestrators.

``/health/live`` answers 200 while the process serves requests.
``/health/ready`` answers 200 when the database answers, and 503 otherwise,
so traffic goes only to instances that can serve it. Redis (when configured)
is reported but does not decide: without it the status is "degraded" and the
rate limits are counted per process (app/core/rate_limit.py). Both routes are
outside the API prefix and not part of the contract; app.main mounts them.
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
    details: dict[str, str] = {}
    if request.app.state.settings.redis_url:
        if await request.app.state.rate_limiter.ping():
            checks["redis"] = "ok"
        else:
            checks["redis"] = "unavailable"
            details["redis"] = (
                "rate limits are counted per process until Redis answers again"
                "; jobs cannot be queued"
            )
    ready = checks["database"] == "ok"
    status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    body: dict[str, Any] = {"status": status if ready else "unavailable", "checks": checks}
    if details:
        body["details"] = details
    return JSONResponse(body, 200 if ready else 503)
