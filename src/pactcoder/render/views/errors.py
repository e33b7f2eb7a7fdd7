"""The service's view, errors layer: the error classes and the problem format."""

from __future__ import annotations

from functools import cached_property

from pactcoder.ir.model import STANDS_FOR, ErrorFormat
from pactcoder.render.views.accounts import AccountsView


class ErrorsView(AccountsView):
    """What app/core/errors.py and its tests need."""

    @cached_property
    def error_classes(self) -> list[tuple[str, str, str]]:
        """(class, status, meaning) of each error the service can raise."""
        classes = [
            (
                "Unauthorized",
                "401",
                "no valid credentials (with WWW-Authenticate)",
                self.has_auth or bool(self.accounts),
            ),
            ("Forbidden", "403", "the caller may not do this", self.has_roles or self.has_auth),
            ("NotFound", "404", "the resource, or one in its path, does not exist", True),
            ("Conflict", "409", "the request conflicts with stored data", True),
            ("PreconditionFailed", "412", "If-Match names another version", self.has_if_match),
            ("PreconditionRequired", "428", "If-Match is required", self.has_if_match),
            (
                "InvalidCursor",
                str(self.service.validation_status),
                "a paging cursor the service did not give out",
                self.uses_cursors,
            ),
            (
                "BrokenRule",
                str(self.service.validation_status),
                "the request breaks a rule (x-pact copy, where, unique-by)",
                self.has_rules,
            ),
            ("TooManyRequests", "429", "over the rate limit (with Retry-After)", True),
            (
                "NotImplementedYet",
                "501",
                "the contract does not say how to do this",
                bool(self.custom_endpoints),
            ),
        ]
        return [(name, status, doc) for name, status, doc, used in classes if used]

    @property
    def error_cases(self) -> list[tuple[list[int], ErrorFormat]]:
        """Statuses whose error body differs from the default, grouped by format."""
        groups: dict[int, tuple[list[int], ErrorFormat]] = {}
        for status, fmt in sorted(self.service.errors.items()):
            groups.setdefault(id(fmt), ([], fmt))[0].append(status)
        return list(groups.values())

    @property
    def text_errors(self) -> bool:
        """Whether some error body is the message itself (a string error schema)."""
        return any(f.text for f in self.error_formats)

    @property
    def has_error_map(self) -> bool:
        return any("error_map" in f.roles.values() for f in self.error_formats)

    @property
    def error_formats(self) -> list[ErrorFormat]:
        """Every error format, with the formats of the objects nested in them."""
        found: list[ErrorFormat] = []
        todo = [self.service.default_error, *(fmt for _, fmt in self.error_cases)]
        todo += self.own_shapes
        while todo:
            fmt = todo.pop(0)
            found.append(fmt)
            todo += fmt.nested.values()
        return found

    @classmethod
    def error_object(cls, fmt: ErrorFormat) -> str:
        """Python source of the dict of a nested error object (``{"code": ..., ...}``), or of
        the message itself where the error schema is a string."""
        if fmt.text:
            return "detail"
        items = [f"{key!r}: {cls.error_expression(role)}" for key, role in fmt.roles.items()]
        items += [f"{key!r}: {value!r}" for key, value in fmt.constants.items()]
        items += [f"{key!r}: {cls.error_object(inner)}" for key, inner in fmt.nested.items()]
        return "{" + ", ".join(items) + "}"

    @cached_property
    def own_shapes(self) -> list[ErrorFormat]:
        """The formats of operations' own error schemas (shape 1, 2, ...), in contract order."""
        shapes: list[ErrorFormat] = []
        for own in self.service.error_overrides.values():
            for fmt in own.values():
                if not any(fmt is known for known in shapes):
                    shapes.append(fmt)
        return shapes

    @property
    def operation_shapes(self) -> dict[str, dict[str, int]]:
        """ "METHOD /path" → response key → its shape (an index into own_shapes, from 1)."""
        index = {id(fmt): number for number, fmt in enumerate(self.own_shapes, start=1)}
        return {
            operation: {key: index[id(fmt)] for key, fmt in own.items()}
            for operation, own in self.service.error_overrides.items()
        }

    @property
    def stands_for(self) -> dict[int, tuple[int, ...]]:
        """The declared statuses that stand for an undeclared failure (see answered_status)."""
        return STANDS_FOR

    @property
    def error_item_roles(self) -> dict[str, str]:
        """Properties of an item of a validation error list, across every error format."""
        roles: dict[str, str] = {}
        for fmt in self.error_formats:
            roles.update(fmt.item_roles)
        return roles or {"detail": "detail", "pointer": "pointer", "parameter": "parameter"}

    @staticmethod
    def tuple_source(values: list[int]) -> str:
        return f"({', '.join(map(str, values))},)" if len(values) == 1 else str(tuple(values))

    @staticmethod
    def error_expression(role: str) -> str:
        """Python source for the value of an error body property with ``role``."""
        return _ERROR_EXPRESSIONS[role]

    @staticmethod
    def error_item_expression(role: str) -> str:
        return _ERROR_ITEM_EXPRESSIONS.get(role, '""')


_ERROR_EXPRESSIONS = {
    "status": "status",
    "title": "HTTPStatus(status).phrase",
    "detail": "detail",
    "type": "problem_type",
    "instance": "instance",
    "code": "HTTPStatus(status).name.lower()",
    "timestamp": "datetime.datetime.now(datetime.UTC).isoformat()",
    "request_id": "current_request_id()",
    "errors": "[_error_item(error) for error in errors or [FieldError(detail)]]",
    "messages": "[error.detail for error in errors or [FieldError(detail)]]",
    "error_map": "_error_map(detail, errors)",
}
_ERROR_ITEM_EXPRESSIONS = {
    "detail": "error.detail",
    "pointer": "error.pointer",
    "parameter": "error.parameter",
    "field": "error.where",
}
