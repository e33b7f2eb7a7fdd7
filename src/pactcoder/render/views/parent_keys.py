"""What the generated tests need to name a record by every key of its path: the read that
shows a record a write answered only part of, and the keys of a parent's own parents.

Example::

    plan = view.test_plan(resource)      # a TestPlan, which is a ParentKeys
    plan.outer_keys                      # ['collection_id'] for .../tickets/{ticket_id}/comments
"""

from __future__ import annotations

from pactcoder.ir.model import Endpoint, Kind, Param
from pactcoder.render.spell import keyword_argument
from pactcoder.render.views.resource import ResourceView


class ParentKeys:
    """Mixed into TestPlan: ``r`` is the resource, ``create`` its implemented create."""

    r: ResourceView
    create: Endpoint | None

    @property
    def _parents(self) -> list[tuple[Param, ResourceView]]:
        if not self.create:
            return []
        return [(p, self.r.parent_for(p)) for p in self.r.scope_params(self.create)]

    @property
    def read(self) -> Endpoint | None:
        """The implemented read of one record, if any."""
        return next((e for e in self.r.endpoints if e.kind is Kind.READ and e.implemented), None)

    def read_back(self, endpoint: Endpoint) -> Endpoint | None:
        """The read that shows the record ``endpoint`` wrote, when its own answer shows only
        part of it (``{"id": ...}``); None when the answer is the record."""
        return self.read if endpoint.answer != "record" else None

    @property
    def outer_keys(self) -> list[str]:
        """Path parameters of the create naming its parent's own parents
        (``{collection_id}`` of ``/collections/{collection_id}/tickets/{ticket_id}/comments``),
        which the parent's keys give."""
        if not self.create:
            return []
        own = {p.alias for p, _ in self._parents}
        return [p.alias for p in self.create.params if p.location == "path" and p.alias not in own]

    @property
    def create_url_args(self) -> str:
        """The arguments filling the create's path with the parents a test made (and, for
        their own parents, the keys the parents' records carry)."""
        if not self.outer_keys or not self._parents:  # no parent made: none to give keys
            return "".join(
                keyword_argument(p.alias, f"{p.name}.body[{parent.key.api_name!r}]") + ", "
                for p, parent in self._parents
            )
        keys = " | ".join(f"{p.name}.keys" for p, _ in self._parents)
        own = ", ".join(
            f"{p.alias!r}: {p.name}.body[{parent.key.api_name!r}]" for p, parent in self._parents
        )
        return f"**({keys} | {{{own}}})"

    def missing_parent_url_args(self, param: Param, missing: str) -> str:
        """The arguments filling the create's path under a parent that does not exist (its
        own parents, if any, as missing too)."""
        if not self.outer_keys:
            return keyword_argument(param.alias, missing)
        values = ", ".join(f"{k!r}: {missing}" for k in [*self.outer_keys, param.alias])
        return f"**{{{values}}}"
