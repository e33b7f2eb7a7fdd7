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

router = APIRouter(prefix="/jobs", tags=["jobs"], dependencies=[Depends(rate_limit("default"))])


@router.get("/{jobId}", operation_id="getJob")
async def get_job(
    *,
    request: Request,
    jobs: JobServiceDep,
    job_id: Annotated[uuid.UUID, Path(alias="jobId")],
) -> Response:
    """Get a job's status.

    Where the job is: `queued`, `running`, `succeeded` (with its `result`) or `failed` (with
    its `problem`).
    """
    job = await jobs.read(job_id)
    return json_response(request, job, cache_control="no-cache")
