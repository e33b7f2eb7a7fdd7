"""The operations of a resource's generated service, one dataclass per kind: what the
template of each kind (``app/services/generated/ops/<kind>.py.jinja``) pastes.

:mod:`.service_module` decides them; this module only says what each holds.

Example::

    op = DeleteOp(template="app/services/generated/ops/delete.py.jinja", ...)
    op.find   # "self.repo.find(id)"
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(kw_only=True)
class Op:
    """What every operation method has: its signature, docstring and first lines."""

    #: The template of its body, by kind (None: no body).
    template: str | None
    function: str
    params: str
    returns: str
    doc: str
    #: ``viewer = self._viewer(principal)`` first (fields computed per caller).
    viewer: bool
    #: (variable, parent, parameter) of each parent in the path, each checked first.
    parents: list[tuple[str, str, str]]
    #: ``self.<repository>``.
    repo: str
    #: The schema the record is answered as.
    read: str
    #: The arguments of ``<repository>.find(...)`` naming the record.
    find_args: str
    #: An expired record answers 410 Gone rather than 404 (the operation declares 410).
    gone: bool = False

    @property
    def find(self) -> str:
        return f"{self.repo}.find({self.find_args})"


@dataclass(kw_only=True)
class BulkOp(Op):
    """A bulk create or change: ``one`` (the method making or changing one record) for each
    record of the body."""

    one: str
    #: ``item.id, ``: the key of the record a bulk change changes, before the record.
    key: str
    call_args: str


@dataclass(kw_only=True)
class ListOp(Op):
    args: str
    cursor: bool


@dataclass(kw_only=True)
class CountedReadOp(Op):
    column: str  # a read adds one to it (a redirect's hits)


@dataclass(kw_only=True)
class DistinctOp(Op):
    value_list: str


@dataclass(kw_only=True)
class CreateOp(Op):
    #: ``values = ...``: the assignment's target (annotated when it starts empty) and value.
    values: str
    scope_columns: list[tuple[str, str]]
    owner_id: str | None
    #: (column, initial state) of a state machine: the state is not the client's to set.
    machine: tuple[str, str] | None
    #: (column, source) of a slug made from another field.
    slug: tuple[str, str] | None
    rules: bool
    #: The viewer to reload the new row for (it loads more than its columns), or None.
    reload: str | None


@dataclass(kw_only=True)
class ChangeOp(Op):
    """Replace and update."""

    plain: bool
    guards: bool
    #: ``True``/``False``: If-Match is checked, and whether it is required.
    version: str | None
    dump: str
    machine_column: str | None
    #: (source, its attribute, column) of a slug remade when its source changes.
    slug: tuple[str, str, str] | None
    reload: str | None


@dataclass(kw_only=True)
class DeleteOp(Op):
    file_key: str | None = None  # the column of the stored file's key, deleted with it
    locked: bool
    guards: bool
    version: str | None
    #: (column, the states as a tuple, the states in words) deleting is allowed from.
    delete_from: tuple[str, str, str] | None
    #: Give back reservations: always (True), never (False), or in these states.
    give_back: bool | tuple[str, str, str]
    noun: str
    answer: bool  # the record is read (as answered) first, deleted, then answered


@dataclass(kw_only=True)
class ActionOp(Op):
    scoped: bool
    check_owner: bool
    key: str
    sources: str
    values: str
    column: str
    noun: str
    transition: str
    sources_text: str
    gives_back: bool


@dataclass(kw_only=True)
class CounterOp(Op):
    scoped: bool
    key: str
    column: str
    #: The delta's source: ``body.delta``, ``-body.amount`` or ``1``.
    delta: str
    low: str
    high: str
    #: The Conflict's message, past a bound.
    refused: str


@dataclass(kw_only=True)
class UpsertOp(Op):
    values: str
    column: str
    #: The path parameter naming the record, or None when the body does.
    path_key: str | None
    #: True: a stored record is changed to the body; False: answered as it is.
    update: bool


@dataclass(kw_only=True)
class AggregateOp(Op):
    #: An aggregate's repository rows (one statement) shaped as the answer.
    args: str
    #: "value", "object" or "groups" (see :class:`~pactcoder.ir.behaviour.Aggregate`).
    shape: str
    #: ``{"count": row[0], ...}``: one answer object (of one group) from a row.
    entries: str
    #: The model of the answer's object (of one group).
    item: str
    #: For groups in an object: (its model, the property holding them).
    wrapper: tuple[str, str] | None


@dataclass(kw_only=True)
class JobOp(Op):
    id_attr: str


@dataclass(kw_only=True)
class RelateOp(Op):
    method: str
    link: str
    user_column: str
    target_column: str
    id_attr: str


@dataclass(kw_only=True)
class DownloadOp(Op):
    """The stored file of a record: the columns of its key, name, size and media type."""

    key: str
    name: str
    size: str
    media_type: str
    noun: str
