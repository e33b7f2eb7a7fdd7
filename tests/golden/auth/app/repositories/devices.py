"""app/repositories/devices.py: queries on the devices table.

DeviceRepository is the only code that reads and writes
devices; app/services/devices.py uses it.
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

    async def search(
        self,
        *,
        owner_id: uuid.UUID | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Device], int]:
        """One page of devices matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if owner_id is not None:
            conditions.append(Device.owner_id == owner_id)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
