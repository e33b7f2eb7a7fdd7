"""Docstrings of generated modules that depend on the contract, written in Python.

Templates reach these as ``docs.<name>(...)``; each returns the text ready to
paste (wrapped by :func:`pactcoder.render.spell.docwrap`), so no template
builds a sentence out of pieces.

Example::

    docs.schema_module(module)   # 'Pydantic models of the contract\\'s Author, ...'
"""

from __future__ import annotations

from pactcoder.english import article
from pactcoder.ir.model import JobsSpec
from pactcoder.render.spell import docwrap
from pactcoder.render.views.common import SchemaModule
from pactcoder.render.views.resource import ResourceView
from pactcoder.render.views.rules import RuleTests


def jobs_module(jobs: JobsSpec) -> str:
    """The docstring of app/services/jobs.py."""
    names = ", ".join(spec.name for spec in jobs.specs)
    return docwrap(
        f"Operations answering 202 ({names}) call JobService.start(): it stores the job as"
        " queued in the jobs table (app/repositories/jobs.py), commits, and hands its id to the"
        " queue. With REDIS_URL set the queue is Redis, worked by `dramatiq app.worker`"
        " (app/worker.py) in as many processes as you like; without it, jobs run in this"
        " process, in the background. Either way execute() runs one attempt: it claims the job,"
        " calls its work (WORKS below: the `run_<job>` methods of the resource services, which"
        " you can override in app/services/<resource>.py), and records the result, or the"
        " problem and whether to try again; a failed attempt is retried with exponential"
        f" backoff until its retries are used up. GET {jobs.status_path} answers the row"
        " through JobService.read().",
        0,
    )


def schema_module(module: SchemaModule) -> str:
    """The docstring of one app/schemas module."""
    names = ", ".join(m.class_name for m in module.models)
    return docwrap(
        f"Pydantic models of the contract's {names}. Routes validate request bodies with them"
        " and services build responses with them; property names, constraints and formats are"
        " the contract's.",
        0,
    )


def model_module(resource: ResourceView, readers: str) -> str:
    """The docstring of app/models/<resource>.py (``readers``: other repositories reading it)."""
    text = docwrap(
        f"SQLAlchemy models of {resource.noun.plural_title} as stored. Only"
        f" app/repositories/{resource.module}.py queries them{readers}; migrations/ creates"
        " them.",
        0,
    )
    computed = [d.api_name for d in resource.resource.derived if d.kind != "token"]
    if computed:
        text += "\n" + docwrap(
            f"Fields computed per query ({', '.join(computed)}) are query expressions: the"
            " repository fills them in when it reads, so a page costs the same number of"
            " queries whatever its size.",
            0,
        )
    return text


def rule_tests_module(plan: RuleTests, noun: str, validation: int) -> str:
    """The docstring of tests/test_<resource>_rules.py."""
    checks = ""
    if plan.where:
        checks += ", qualify"
    if plan.unique:
        checks += ", appear once"
    if plan.same:
        checks += ", agree on " + ", ".join(s[1] for s in plan.same)
    text = (
        f"Creating {article(noun)} through {plan.create_op} checks the {plan.target} records"
        f" its {plan.child} refer to (they must exist{checks}; else {validation})"
    )
    if plan.element_copies or plan.sums:
        text += ", copies and sums fields from them"
    if plan.reserve:
        released = ""
        if plan.releases:
            released = " or by " + ", ".join(r[0] for r in plan.releases)
        text += (
            f", and reserves their {plan.reserve[1]} (409 when short, nothing reserved; given"
            f" back when the {noun} is deleted{released})"
        )
    return docwrap(text + ".", 0)


def rule_tests_records(plan: RuleTests) -> str:
    """The docstring of the helper making referenced records in tests of rules."""
    shared = ""
    if plan.same:
        shared = " sharing the " + ", ".join(s[1] for s in plan.same) + " of the first"
    return docwrap(
        f"``count`` new {plan.target} records{shared}; the last one with ``changes``.", 4
    )


def actions_module(machines: bool, jobs: bool) -> str:
    """The docstring of tests/test_actions.py."""
    text = ""
    if machines:
        text += (
            "Each transition succeeds from the states it allows, sets its fields, and is refused"
            " with 409 from the others, naming the current state and the allowed ones; of two"
            " concurrent requests making the same transition, one wins and the other gets 409. "
        )
    if jobs:
        text += (
            "Each job answers 202 with its status and a Location to poll, and goes queued →"
            " running → succeeded with its result; a job whose work keeps failing ends failed"
            " with a problem after its retries. With TEST_REDIS_URL set, one job runs on a real"
            " worker (`dramatiq app.worker`) against that Redis."
        )
    return docwrap(text, 0)
