"""app/services/devices.py: your code for device: created once, never overwritten.

DeviceService is what the routes use (app/api/routes/devices.py): every operation
generated in app/services/generated/devices.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.devices import DeviceServiceBase


class DeviceService(DeviceServiceBase):
    """The device operations: the generated ones, and yours."""
