"""The third-party corpus, fast form: every contract is refused with a located error (exit 2)
or builds a service that imports and migrates on SQLite; never exit 3.

The contracts are in ``../shared/corpus`` (see its README; never copied here). Each runs
through ``benchmarks/corpus.py`` (build, import, migrate), one subprocess per step.
Contracts that break the invariant today are listed in KNOWN_FAILING with the reason:
they are expected to fail (strict: a fix makes the test fail until the entry is
removed). The list only shrinks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus

CORPUS = ROOT.parent / "shared" / "corpus"
CONTRACTS = corpus.select(CORPUS, []) if CORPUS.is_dir() else []

#: Contract → why it breaks the invariant today (measured with benchmarks/corpus.py --fast).
KNOWN_FAILING: dict[str, str] = {}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CONTRACTS, reason=f"no corpus at {CORPUS}"),
]


def _args() -> argparse.Namespace:
    return argparse.Namespace(
        fast=True, postgres=None, build_timeout=600, step_timeout=180, suite_timeout=0
    )


@pytest.mark.parametrize(
    "contract",
    [
        pytest.param(
            path,
            id=path.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[path.name])]
            if path.name in KNOWN_FAILING
            else [],
        )
        for path in CONTRACTS
    ],
)
def test_a_contract_is_refused_where_or_builds_imports_and_migrates(
    contract: Path, tmp_path: Path
) -> None:
    row = corpus.run_one(contract, tmp_path, _args())
    assert row.build_exit != 3, row.note
    if row.build_exit == 2:
        assert row.build == "refused", f"refused without saying where: {row.note}"
        return
    assert row.built, f"{row.build} (exit {row.build_exit}): {row.note}"
    assert row.imports, row.outputs.get("import", row.note)
    assert row.migrates, row.outputs.get("migrate", row.note)


def test_the_known_failures_are_in_the_corpus() -> None:
    names = {path.name for path in CONTRACTS}
    assert set(KNOWN_FAILING) <= names
