"""Problems found in a contract: data, not exceptions thrown from deep inside.

Every stage of the pipeline reports what is wrong with its input as
:class:`Problem` values collected in a :class:`Problems` list, so that all of
them can be shown together. A stage that cannot go on raises
:class:`ContractError` carrying the list.

Exception hierarchy::

    PactcoderError               anything pactcoder refuses to do
     ├── ContractError           the contract in docs/ is broken (exit code 2)
     ├── OutputError             the output folder cannot be written (exit code 2)
     └── GeneratedCodeError      pactcoder generated code that does not format or import:
                                 a bug in pactcoder, not in the contract (exit code 3)

Example::

    problems = Problems()
    problems.error("paths./pets.get", "no responses", hint="add a 200 response", at=loc)
    problems.raise_if_errors()
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    """How bad a problem is: errors stop a build, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def relative_to(self, root: Path) -> Location:
        """The same place with its file named relative to ``root`` when inside it."""
        try:
            name = Path(self.file).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return self
        return Location(name, self.line, self.column)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about the contract, with where and what to do."""

    severity: Severity
    message: str
    hint: str = ""
    location: Location | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class Problems:
    """An ordered collection of problems gathered across a stage."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record ``problem`` unless the very same one is already recorded."""
        if problem not in self._items:
            self._items.append(problem)

    def error(self, message: str, *, hint: str = "", at: Location | None = None) -> None:
        """Record an error: the contract cannot be used until it is fixed."""
        self.add(Problem(Severity.ERROR, message, hint, at))

    def warning(self, message: str, *, hint: str = "", at: Location | None = None) -> None:
        """Record a warning: the build goes on but the result may not be what was meant."""
        self.add(Problem(Severity.WARNING, message, hint, at))

    def note(self, message: str, *, hint: str = "", at: Location | None = None) -> None:
        """Record a note: a decision pactcoder took that the user should know about."""
        self.add(Problem(Severity.NOTE, message, hint, at))

    def extend(self, other: Problems) -> None:
        for problem in other:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self._items)

    def raise_if_errors(self) -> None:
        """Stop the pipeline with every problem gathered so far if any is an error."""
        if self.has_errors:
            raise ContractError(self)

    def sorted(self) -> list[Problem]:
        """Problems in a stable order: by file and position, errors before warnings."""
        rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
        return sorted(
            self._items,
            key=lambda p: (p.location or Location(""), rank[p.severity], p.message),
        )

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class PactcoderError(Exception):
    """Base class for everything pactcoder refuses to do, with a message for the user."""


class ContractError(PactcoderError):
    """The contract cannot be built; ``problems`` holds every problem found."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        errors = problems.errors
        super().__init__(f"{len(errors)} error(s) in the contract; first: {errors[0]}")


class OutputError(PactcoderError):
    """The output folder cannot be written as asked (not ours, not empty, not writable)."""


class GeneratedCodeError(PactcoderError):
    """The service pactcoder generated is broken (does not parse, format or import).

    A bug in pactcoder, not in the contract: nothing is written, and the message names the
    contract and the generated file and line at fault so that it can be reported.
    """
