"""Recursive schemas (issue 13, part 3): a schema that contains itself (a category's
``parent``, a tree's ``children``) is built, stored as a JSON document with its row, and
``check`` says so on each such field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pactcoder.pipeline import understand
from pactcoder.steps import generate

TREE = """openapi: 3.1.0
info: {title: Categories, version: '1'}
paths:
  /categories:
    get:
      operationId: listCategories
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Category'}}
    post:
      operationId: createCategory
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CategoryInput'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Category'}
        '422': {description: invalid}
  /categories/{categoryId}:
    get:
      operationId: getCategory
      parameters:
        - {name: categoryId, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Category'}
        '404': {description: not found}
components:
  schemas:
    CategoryInput:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 40}
        parent: {$ref: '#/components/schemas/Category'}
    Category:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, maxLength: 40}
        parent: {$ref: '#/components/schemas/Category'}
        children:
          type: array
          maxItems: 5
          items: {$ref: '#/components/schemas/Category'}
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "tree" / "docs").mkdir(parents=True)
    (tmp_path / "tree" / "docs" / "openapi.yaml").write_text(TREE, encoding="utf-8")
    return tmp_path / "tree"


def test_check_reports_how_a_recursive_schema_is_stored(tree: Path) -> None:
    service = understand(tree).service
    (category,) = service.resources
    columns = {c.attr: c for c in category.table.columns}
    assert columns["parent"].sa_type.is_json
    assert any("Category contains itself" in note for note in columns["parent"].notes)
    (children,) = category.table.children
    nested = {c.attr: c for c in children.table.columns}
    for name in ("parent", "children"):
        assert any("a recursive schema" in note for note in nested[name].notes), name
    # A plain object is not called recursive.
    assert not any("recursive" in note for note in columns["name"].notes)


@pytest.mark.e2e
def test_a_recursive_schema_builds_a_service_whose_suite_passes(tree: Path, tmp_path: Path) -> None:
    built = tmp_path / "built"
    for path, text in generate(understand(tree)).items():
        (built / path).parent.mkdir(parents=True, exist_ok=True)
        (built / path).write_text(text, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0"],
        cwd=built,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert "passed" in done.stdout and " failed" not in done.stdout


def test_a_copy_that_could_never_be_answered_is_not_stored(tree: Path) -> None:
    """With ``id`` required (and readOnly), a parent sent by a client lacks it, so a stored
    copy would fail every answer (it was a 500): the create answers 501 and says why."""
    contract = tree / "docs" / "openapi.yaml"
    text = TREE.replace(
        "      required: [name]\n      properties:\n        id:",
        "      required: [id, name]\n      properties:\n        id:",
    )
    assert text != TREE
    contract.write_text(text, encoding="utf-8")
    endpoints = {e.operation_id: e for e in understand(tree).service.endpoints}
    create = endpoints["createCategory"]
    assert not create.implemented
    assert any(
        "'parent' holds a copy of Category, which contains itself and requires 'id'" in reason
        for reason in create.reasons
    ), create.reasons
    assert endpoints["getCategory"].implemented and endpoints["listCategories"].implemented
