"""app/repositories/devices.py: queries on the devices table.

DeviceRepository is the only code that reads and writes devices; app/services/devices.py
uses it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.devices import Device
from app.repositories.base import Repository, SchemaT


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

    async def search(
        self,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Device], int]:
        """One page of devices matching every filter given (see _conditions), and the count of
        all matches."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[SchemaT], int]:
        """search(), answered as ``schema`` (what the list routes use; search() gives the rows,
        for your own code): on PostgreSQL the database writes the JSON of the page
        (see Repository.page_as)."""
        return await self.page_as(
            schema,
            self._conditions(**filters),
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    def _ordering(self, order: Sequence[tuple[str, bool]]) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter, then ``order`` (column name,
        descending)."""
        order_by: list[ColumnElement[Any]] = []
        for name, descending in order:
            column = getattr(Device, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by
