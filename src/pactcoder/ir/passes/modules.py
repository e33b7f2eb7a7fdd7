"""Pass 16: which module each Pydantic model goes in, and the order models are written in.

A model used by one resource's endpoints goes in that resource's module; one used
by several (or by a model in another module) goes in ``common``.

Example::

    ordered = modules(env, resources)
    [(m.class_name, m.module) for m in ordered]
"""

from __future__ import annotations

import re

from pactcoder.ir.model import ApiModel, Resource
from pactcoder.ir.passes.env import Env


def modules(env: Env, records: list[Resource]) -> list[ApiModel]:
    """Places each model in the module of the one resource using it (or common), and
    answers the models in an order where each comes after the models it uses."""
    _assign_modules(env.models.models, records)
    return _ordered_models(env.models.models)


def _assign_modules(models: dict[str, ApiModel], records: list[Resource]) -> None:
    homes: dict[str, set[str]] = {}
    for resource in records:
        for name in _closure(models, {resource.read_model}):
            homes.setdefault(name, set()).add(resource.module)
        for endpoint in resource.endpoints:
            wrappers = (endpoint.request_envelope, endpoint.response_envelope)
            used = {
                n
                for n in (
                    endpoint.request_model,
                    endpoint.response_model,
                    endpoint.envelope,
                    endpoint.read_model,
                    *(w[0] for w in wrappers if w is not None),
                )
                if n
            } | {t for p in endpoint.params for t in _names_in(p.annotation)}
            used |= {e.model for e in resource.embeds if e.model}
            used = {n for u in used for n in _names_in(u)} & set(models)
            for name in _closure(models, used):
                homes.setdefault(name, set()).add(resource.module)
    for name, model in models.items():
        places = homes.get(name, set())
        model.module = next(iter(places)) if len(places) == 1 else "common"
    changed = True
    while changed:  # a model used from another module's model moves to common
        changed = False
        for model in models.values():
            for inner in model.uses:
                other = models[inner]
                if other.module not in ("common", model.module):
                    other.module, changed = "common", True
                if model.module == "common" and other.module != "common":
                    other.module, changed = "common", True


def _closure(models: dict[str, ApiModel], names: set[str]) -> set[str]:
    result: set[str] = set()
    todo = [n for n in names if n in models]
    while todo:
        name = todo.pop()
        if name in result:
            continue
        result.add(name)
        todo.extend(models[name].uses)
    return result


def _ordered_models(models: dict[str, ApiModel]) -> list[ApiModel]:
    """Models in an order where each comes after the models it uses."""
    ordered: list[ApiModel] = []
    placed: set[str] = set()

    def place(name: str, stack: tuple[str, ...] = ()) -> None:
        if name in placed or name in stack:
            return
        model = models[name]
        for used in sorted(model.uses):
            place(used, (*stack, name))
        placed.add(name)
        ordered.append(model)

    for name in models:
        place(name)
    return ordered


def _names_in(annotation: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))
