"""app/schemas/devices.py: schemas of the devices resource.

Pydantic models of the contract's Device, DeviceInputInput, DeviceUpdate. Routes validate
request bodies with them and services build responses with them; property names, constraints
and formats are the contract's.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from app.schemas.base import (
    ApiModel,
    ClosedApiModel,
    Text,
)


class Device(ApiModel):
    """The Device object of the contract."""

    id: uuid.UUID

    name: Text = Field(strict=True, min_length=1, max_length=60)

    platform: Literal["ios", "android", "web", "desktop"]

    created_at: AwareDatetime = Field(alias="createdAt")


class DeviceInputInput(ApiModel):
    """The DeviceInputInput object of the contract."""

    name: Text = Field(strict=True, min_length=1, max_length=60)

    platform: Literal["ios", "android", "web", "desktop"]

    push_token: Text | None = Field(default=None, alias="pushToken", strict=True, max_length=512)


class DeviceUpdate(ClosedApiModel):
    """The DeviceUpdate object of the contract."""

    name: Text = Field(strict=True, min_length=1, max_length=60)
