"""app/services/generated/devices.py: the generated use cases on devices.

DeviceServiceBase implements the device operations of the contract: listDevices,
registerDevice, getDevice, removeDevice, renameDevice. Rewritten on every build: change
behaviour in DeviceService (app/services/devices.py, yours), which the routes use. It uses
app/repositories/devices.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a device does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.security import Principal
from app.repositories.devices import DeviceRepository
from app.schemas.devices import Device, DeviceInputInput, DeviceUpdate


class DeviceServiceBase:
    """The device operations of the contract, on top of their repositories."""

    def __init__(self, devices: DeviceRepository) -> None:
        self.devices = devices

    async def list_devices(
        self, *, limit: int, offset: int, principal: Principal
    ) -> tuple[list[Device], int]:
        """List my devices."""
        return await self.devices.search_as(
            Device, **self._owner(principal), limit=limit, offset=offset
        )

    async def register_device(self, body: DeviceInputInput, *, principal: Principal) -> Device:
        """Register a device."""
        values = body.model_dump(by_alias=False)
        values["owner_id"] = uuid.UUID(principal.id)
        return await self.devices.add_as(Device, values)

    async def get_device(self, device_id: uuid.UUID, *, principal: Principal) -> Device:
        """Read one of my devices."""
        return await self.devices.find_as(Device, device_id, **self._owner(principal))

    async def remove_device(self, device_id: uuid.UUID, *, principal: Principal) -> None:
        """Remove one of my devices."""
        row = await self.devices.find(device_id, **self._owner(principal))
        await self.devices.delete(row)

    async def rename_device(
        self, device_id: uuid.UUID, body: DeviceUpdate, *, principal: Principal
    ) -> Device:
        """Rename one of my devices."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self.devices.update_as(Device, values, device_id, **self._owner(principal))

    def _owner(self, principal: Principal) -> dict[str, Any]:
        """Only the caller's own rows, unless the caller is an administrator."""
        if principal.has_any_role({"admin"}):
            return {}
        return {"owner_id": uuid.UUID(principal.id)}
