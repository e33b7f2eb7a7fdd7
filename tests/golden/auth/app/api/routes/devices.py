"""app/api/routes/devices.py: the HTTP routes of devices.

One route per operation of the contract: listDevices, registerDevice, getDevice,
removeDevice, renameDevice. Routes check who calls (app/api/deps.py), count the request
against its rate limit, read the request (FastAPI validates it against the schemas), call
DeviceService and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import DeviceServiceDep, authenticated, body_media, rate_limit
from app.api.lists import clamp_offset, list_response
from app.api.responses import encode, json_response
from app.core.security import Principal
from app.schemas.devices import DeviceInputInput, DeviceUpdate

router = APIRouter(prefix="/devices", tags=["devices"])


@router.get("", operation_id="listDevices")
async def list_devices(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: DeviceServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List my devices."""
    offset = clamp_offset(offset)
    items, total = await service.list_devices(limit=limit, offset=offset, principal=principal)
    headers = {"Cache-Control": "private, no-cache"}
    body = encode(items)
    return await list_response(request, body, headers)


@router.post("", status_code=201, operation_id="registerDevice")
async def register_device(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: DeviceServiceDep,
    body: DeviceInputInput,
) -> Response:
    """Register a device."""
    created = await service.register_device(body, principal=principal)
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.get("/{deviceId}", operation_id="getDevice")
async def get_device(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: DeviceServiceDep,
    device_id: Annotated[uuid.UUID, Path(alias="deviceId")],
) -> Response:
    """Read one of my devices."""
    result = await service.get_device(device_id, principal=principal)
    return json_response(
        request,
        result,
        cache_control="private, no-cache",
    )


@router.delete("/{deviceId}", status_code=204, operation_id="removeDevice")
async def remove_device(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: DeviceServiceDep,
    device_id: Annotated[uuid.UUID, Path(alias="deviceId")],
) -> Response:
    """Remove one of my devices."""
    await service.remove_device(device_id, principal=principal)
    return Response(status_code=204)


@router.patch("/{deviceId}", operation_id="renameDevice")
async def rename_device(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: DeviceServiceDep,
    device_id: Annotated[uuid.UUID, Path(alias="deviceId")],
    body: DeviceUpdate,
) -> Response:
    """Rename one of my devices."""
    result = await service.rename_device(device_id, body, principal=principal)
    return json_response(
        request,
        result,
        cache_control="no-store",
    )
