"""The IR grouped the way the output files are: per module, per resource, per router.

Everything here is grouping and naming over the IR (which model lives in which
schemas module, which names a module imports, the arguments of a column), so
that templates stay free of logic. The service's view is built in layers, each
a module that adds what one part of the output needs and may use the layers
below it: ``base`` (resources, models, tables) < ``accounts`` < ``errors`` <
``routes`` < ``cases`` (the generated tests). A resource's view is
``resource``; the plans of the generated tests are ``plans``.

Example::

    view = ServiceView(service)
    [m.name for m in view.schema_modules]        # ["authors", "books", "common", ...]
    view.resources[0].column_args(column)        # 'BigIntId, primary_key=True'
"""

from __future__ import annotations

from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.common import CaseView, SchemaModule, names_in
from pactcoder.render.views.plans import DomainPlan, TestPlan
from pactcoder.render.views.resource import ResourceView
from pactcoder.render.views.routes import RouteModule

__all__ = [
    "CaseView",
    "DomainPlan",
    "ResourceView",
    "RouteModule",
    "SchemaModule",
    "ServiceView",
    "TestPlan",
    "names_in",
]
