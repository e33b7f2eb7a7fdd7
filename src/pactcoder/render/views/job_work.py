"""The default work of a job (``run_<job>`` in app/services/generated/<resource>.py), decided.

``job_work(resource, endpoint)`` says what the generated default of a JOB operation's work
does: fill the job schema's result from the stored record, or raise because the contract
gives no source for some of it.

Example::

    work = job_work(resource, endpoint)
    work.function, work.result   # 'run_invoice', [('orderId', "record['id']"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.model import Endpoint
from pactcoder.ir.names import snake
from pactcoder.render.spell import docwrap
from pactcoder.render.views.resource import ResourceView


@dataclass
class JobWork:
    """``run_<job>``: the default work of a job on a record."""

    function: str
    name: str
    doc: str
    #: The message of NotImplementedError when the contract gives no source; else None.
    unfilled: str | None
    #: (JSON name, source) of each field of the result.
    result: list[tuple[str, str]] = field(default_factory=list)
    result_model: str | None = None


def job_work(resource: ResourceView, endpoint: Endpoint) -> JobWork:
    spec = endpoint.job
    assert spec is not None
    function = f"run_{snake(spec.name)}"
    if spec.unfilled:
        how = "cannot make the result: the contract gives no source for " + ", ".join(spec.unfilled)
    else:
        how = (
            "makes the result from the stored record: fields of the same name, its id,"
            " and the time it ran"
        )
    doc = (
        f"The default {how}. Override this method in app/services/{resource.module}.py for"
        " other work; app/services/jobs.py runs it, retries it when it raises and stores what"
        " it returns."
    )
    unfilled = None
    if spec.unfilled:
        unfilled = (
            f"The {spec.name} job has no default work, on purpose: the contract gives no source"
            f" for {', '.join(spec.unfilled)}. Write {function} in"
            f" app/services/{resource.module}.py."
        )
    return JobWork(
        function=function,
        name=spec.name,
        doc=docwrap(doc, 8),
        unfilled=unfilled,
        result=[] if spec.unfilled else resource.job_result(endpoint),
        result_model=spec.result_model,
    )
