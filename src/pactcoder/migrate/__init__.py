"""Schema changes between builds, as Alembic migrations that never lose data silently.

Every build records a *snapshot* of its tables in the output's state file. When the
contract changes and the service is built again, :func:`schema_changes` compares the
previous snapshot with the new one (renames included: x-pact ``renamed-from``),
:func:`plan` lists the steps with their risk and the data checks they need, and
:func:`render_migration` writes the migration: it counts the rows a step would lose or
that would refuse it before changing anything, fills new required columns from the
contract (``default`` or x-pact ``backfill``), and its downgrade restores the previous
schema exactly.

Example::

    changes = schema_changes(previous_snapshot, snapshot(service))
    if changes:
        text = render_migration(changes, revision="0002_books", down_revision="0001_initial",
                                title="Lending Library API")
"""

from __future__ import annotations

from pactcoder.migrate.diff import LooksRenamed, SchemaChanges, TableChange, schema_changes
from pactcoder.migrate.snapshots import Snapshot, snapshot
from pactcoder.migrate.steps import RISKS, Check, Plan, Refusal, Step, plan
from pactcoder.render import render_template
from pactcoder.render.view import docwrap


def render_migration(
    changes: SchemaChanges,
    *,
    revision: str,
    down_revision: str,
    title: str,
    accept_data_loss: bool = False,
    steps: Plan | None = None,
) -> str:
    """Python source of the migration for ``changes`` (formatted later with the rest)."""
    migration = steps or plan(changes, accept_data_loss=accept_data_loss)
    summary = changes.summary()
    notes = (
        f"Changes the tables of the {title} after its contract changed: {summary}. Written by"
        " pactcoder from the difference between the previous build's tables and this build's;"
        " `alembic upgrade head` applies it to a database of the previous version. It checks the"
        " rows first and stops, changing nothing, when a step would lose data or the data would"
        " refuse it; `alembic downgrade -1` restores the previous tables."
    )
    return render_template(
        "migrations/versions/change.py.jinja",
        {
            "revision": revision,
            "down_revision": down_revision,
            "headline": docwrap(summary, indent=0)[:60],
            "notes": notes,
            "plan": migration,
        },
    )


__all__ = [
    "RISKS",
    "Check",
    "LooksRenamed",
    "Plan",
    "Refusal",
    "SchemaChanges",
    "Snapshot",
    "Step",
    "TableChange",
    "plan",
    "render_migration",
    "schema_changes",
    "snapshot",
]
