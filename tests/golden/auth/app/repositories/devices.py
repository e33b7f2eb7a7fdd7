"""app/repositories/devices.py: queries on the devices table.

DeviceRepository is the only code that reads and writes devices; app/services/devices.py
uses it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement

from app.models.devices import Device
from app.repositories.base import Repository


class DeviceRepository(Repository[Device]):
    """Reads and writes devices."""

    model = Device
    noun = "device"

    def _conditions(
        self,
        *,
        owner_id: uuid.UUID | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if owner_id is not None:
            conditions.append(Device.owner_id == owner_id)
        return conditions
