"""The short guide pactcoder adds after an agent's own system prompt.

The role definition says *what* a backend coder delivers; the preamble says
how to deliver it with pactcoder: keep the contract (and its ``x-pact``
overlay) as the thing written and checked, let the compiler write the
service, hand-write only the stubs of operations it cannot implement (the
tasks of :mod:`pactcoder.agent.tasks`), verify until clean, and end with
the hand-off summary in ``docs/``. It also tells the model what is in
``docs/`` right now, so its first step is informed.

Example::

    system = definition.system_prompt + "\\n\\n" + preamble(Path("examples/orders"))
"""

from __future__ import annotations

from pathlib import Path

from pactcoder.draft.sources import existing_contracts

__all__ = ["BUILT_HANDOFF", "HANDOFF_HINT", "preamble"]

#: Where the preamble suggests the hand-off summary goes.
HANDOFF_HINT = "docs/backend-agent-handoff.md"
#: The hand-off pactcoder itself writes on every build (and replaces on the next).
BUILT_HANDOFF = "docs/backend-handoff.md"

_GUIDE = """\
# Working inside pactcoder

You run inside pactcoder, in the project folder {project}. pactcoder is a compiler: from the
OpenAPI contract in docs/ it writes the complete FastAPI + SQLAlchemy service (routes, services,
repositories, models, schemas, Alembic migrations, tests) into backend/. Do the role above
through it:

1. Read docs/ (architecture and preparation Markdown) with LS, Glob, Grep and Read, and plan with
   TodoWrite; keep the list current.
2. The contract. {contract_state} Without one, call pactcoder_draft to draft
   docs/api/openapi.draft.yaml from the Markdown, or write the contract yourself (OpenAPI 3.1,
   docs/api/openapi.yaml). Compare it with the Markdown and fix what the draft got wrong. Say what
   plain OpenAPI cannot in x-pact extensions inside an OpenAPI Overlay 1.0 document under
   docs/api/overlays/, rather than rewriting the architect's contract. Run pactcoder_check until it
   reports no errors; it names every operation pactcoder cannot implement and why.
3. Build with pactcoder_build. Never edit generated files in backend/: each build rewrites them.
   Change the contract or the overlay and build again. Write code by hand only where pactcoder
   asks for it: every operation it cannot implement is a typed stub in
   backend/app/operations/<function>.py (yours: no build overwrites it) that raises NotWritten,
   so its route answers 501 and its test in backend/tests/test_stubs.py fails. pactcoder_check,
   pactcoder_build and a failed pactcoder_verify end with one task per stub left to write: the
   operation, why pactcoder cannot, its contract, the stub's signature and the failing test.
   Read the stub, replace the `raise NotWritten(...)` with the implementation (keep the
   signature; use the session, the models of app/models/ and the errors of app/core/errors.py
   its docstring names). If x-pact can say the operation after all, say it and build again.
4. Run pactcoder_verify. Fix the contract, the overlay or the stubs and build again until it is
   clean: its stubs step lists the operations still to write, and fuzzing covers those written.
5. Every build writes {built} (operations, decisions, uncertainties, tests to write) and the next
   build replaces it: Read it, and do not edit it. End by writing your own hand-off summary as a
   Markdown file in docs/ ({handoff}), referring to {built}:
   what was built, operation by operation; decisions and assumptions; areas of uncertainty rated
   high, medium or low; how to run the service and its tests; the further tests to write; and an
   explicit instruction for the orchestrator to have the test engineer read this file. If you
   wrote stubs, add a section "Operations written by hand": for each operation, the file, what
   you wrote and why (the formula or rule and where the contract says it, what you assumed).
   Then reply with a short final message and no tool call.

File tools reach only files inside the project folder; give paths relative to it. Read a file
before you replace or edit it.
"""


def preamble(project: Path) -> str:
    """The guide for ``project``, saying whether docs/ already holds a contract."""
    contracts = existing_contracts(project)
    if contracts:
        state = "docs/ already holds a contract: " + ", ".join(contracts) + "."
    else:
        state = "docs/ holds no OpenAPI contract yet."
    return _GUIDE.format(
        project=project, contract_state=state, handoff=HANDOFF_HINT, built=BUILT_HANDOFF
    )
