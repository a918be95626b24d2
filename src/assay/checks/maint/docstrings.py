"""``maint.docstrings``: the share of public Python functions and classes with a docstring.

Read from the syntax tree (:mod:`assay.syntax.docstrings`; the tree is shared with
``maint.complexity``, so a file is parsed once); the code is never imported. Test
and migration files are left out by default: docstrings document an interface.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, FileInput, FileResult, FileSelector
from assay.model import Measure
from assay.syntax.docstrings import public_definitions

CHECK_ID = "maint.docstrings"
_DEFAULT_EXCLUDE = [
    "test_*.py", "*/test_*.py", "*_test.py", "tests/*", "*/tests/*", "conftest.py",
    "*/conftest.py", "*/migrations/*",
]  # fmt: skip


class DocstringsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    exclude: list[str] = Field(
        default_factory=lambda: list(_DEFAULT_EXCLUDE),
        description="Globs (whole path) of files not counted: tests and migrations.",
    )


class DocstringsCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Share of public Python functions and classes with a docstring."
    Params: ClassVar[type[BaseModel]] = DocstringsParams

    def selector(self, params: DocstringsParams) -> FileSelector:
        return FileSelector(languages=frozenset({"python"}))

    def scan(self, file: FileInput, params: DocstringsParams) -> FileResult:
        if any(fnmatch.fnmatchcase(file.entry.path, glob) for glob in params.exclude):
            return FileResult(facts={"excluded": True})
        definitions = public_definitions(file.data)
        return FileResult(
            facts={
                "public": len(definitions),
                "documented": sum(1 for d in definitions if d.documented),
                # Undocumented ones, for reports: [name, line].
                "missing": [[d.name, d.line] for d in definitions if not d.documented],
            }
        )

    def summarize(self, results: Mapping[str, FileResult], params: DocstringsParams) -> CheckOutput:
        public = sum(int(r.facts.get("public", 0)) for r in results.values())
        documented = sum(int(r.facts.get("documented", 0)) for r in results.values())
        if not public:
            return CheckOutput(not_applicable="no public Python function or class outside tests")

        def measure(name: str, value: float, unit: str) -> Measure:
            return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit)

        return CheckOutput(
            measures=[
                measure("maint.docstrings.coverage", round(100 * documented / public, 2), "%"),
                measure("maint.docstrings.public", public, "definitions"),
                measure("maint.docstrings.documented", documented, "definitions"),
            ]
        )
