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

from app.core.errors import NotFound
from app.core.security import Principal
from app.models import devices as models
from app.repositories.base import SchemaT
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
        return await self._read(Device, device_id, **self._owner(principal))

    async def remove_device(self, device_id: uuid.UUID, *, principal: Principal) -> None:
        """Remove one of my devices."""
        row = await self._find(device_id, **self._owner(principal))
        await self.devices.delete(row)

    async def rename_device(
        self, device_id: uuid.UUID, body: DeviceUpdate, *, principal: Principal
    ) -> Device:
        """Rename one of my devices."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self._change(Device, values, device_id, **self._owner(principal))

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing device, named by its id or by its ``by`` column."""
        return NotFound(f"No device with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Device:
        """The device whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.devices.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The device ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.devices.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The device ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.devices.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed

    def _owner(self, principal: Principal) -> dict[str, Any]:
        """Only the caller's own rows, unless the caller is an administrator."""
        if principal.has_any_role({"admin"}):
            return {}
        return {"owner_id": uuid.UUID(principal.id)}
