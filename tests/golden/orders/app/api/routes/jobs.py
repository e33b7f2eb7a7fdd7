"""app/api/routes/jobs.py: the HTTP routes of jobs.

One route per operation of the contract: getJob. Routes check who calls (app/api/deps.py),
count the request against its rate limit, read the request (FastAPI validates it against the
schemas), call JobService (app/services/jobs.py) and shape the response: status, headers,
body (app/api/responses.py). app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from app.api.deps import JobServiceDep, rate_limit
from app.api.responses import json_response
from app.schemas.orders import Job

router = APIRouter()


@router.get(
    "/jobs/{jobId}",
    status_code=200,
    response_model=Job,
    operation_id="getJob",
    summary="Get a job's status",
    tags=["jobs"],
)
async def get_job(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    jobs: JobServiceDep,
    job_id: Annotated[uuid.UUID, Path(alias="jobId")],
) -> Response:
    """Get a job's status.

    Where the job is: `queued`, `running`, `succeeded` (with its `result`) or `failed` (with
    its `problem`).
    """
    job = await jobs.read(job_id)
    return json_response(request, job, status_code=200, cache_control="no-cache")
