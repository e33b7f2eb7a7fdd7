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
from app.api.responses import bytes_response, encode, json_response
from app.core.security import Principal
from app.schemas.devices import Device, DeviceInputInput, DeviceUpdate

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/devices",
    status_code=200,
    response_model=list[Device],
    operation_id="listDevices",
    summary="List my devices",
    tags=["devices"],
)
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
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_devices(limit=limit, offset=offset, principal=principal)
    headers = {"Cache-Control": "private, no-cache"}
    body = encode(items)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/devices",
    status_code=201,
    response_model=Device,
    operation_id="registerDevice",
    summary="Register a device",
    tags=["devices"],
)
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


@router.get(
    "/devices/{deviceId}",
    status_code=200,
    response_model=Device,
    operation_id="getDevice",
    summary="Read one of my devices",
    tags=["devices"],
)
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
        status_code=200,
        cache_control="private, no-cache",
    )


@router.delete(
    "/devices/{deviceId}",
    status_code=204,
    response_model=None,
    operation_id="removeDevice",
    summary="Remove one of my devices",
    tags=["devices"],
)
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


@router.patch(
    "/devices/{deviceId}",
    status_code=200,
    response_model=Device,
    operation_id="renameDevice",
    summary="Rename one of my devices",
    tags=["devices"],
)
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
        status_code=200,
        cache_control="no-store",
    )
