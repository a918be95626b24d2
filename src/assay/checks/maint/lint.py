"""``maint.lint``: ruff's lint issues per thousand lines of Python code.

Ruff runs as in ``sast.ruff`` (the product's Python files written from the snapshot
into a temporary folder, ``--isolated`` so the product's configuration cannot change
what is measured), with the rules of ``select`` (ruff's own default set unless the
policy says otherwise). The issues are counted, not reported one by one: the
density is a measure of how carefully the code is kept, comparable between products
because every product is measured with the same rules. Other languages' linters feed
in through SARIF (``sarif.import``).
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput
from assay.checks.sast._materialize import Materialized, materialize
from assay.checks.sast._tools import (
    PYTHON_EXTRA,
    ToolError,
    require_tool,
    run_json,
    tool_salt,
    tool_version,
)
from assay.model import Measure
from assay.sarif.shape import Node, ShapeError
from assay.snapshot.base import Snapshot

CHECK_ID = "maint.lint"
_SYNTAX_ERROR = "invalid-syntax"
_SUFFIXES = (".py", ".pyi")
_TOP_RULES = 10


class LintParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    select: list[str] = Field(
        default_factory=lambda: ["E4", "E7", "E9", "F"],
        min_length=1,
        description="Ruff rule codes or prefixes to count (default: ruff's own default set).",
    )
    timeout_s: float = Field(default=600.0, gt=0, description="Seconds ruff may run.")
    max_file_bytes: int = Field(default=2 * 1024 * 1024, ge=1, description="Larger files skipped.")
    honour_inline_suppressions: bool = Field(
        default=True, description="Whether `# noqa` comments silence an issue."
    )


class LintCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Ruff's lint issues per thousand lines of Python code."
    Params: ClassVar[type[BaseModel]] = LintParams

    def cache_salt(self, params: LintParams) -> str:
        return tool_salt("ruff")

    def run(self, snapshot: Snapshot, params: LintParams) -> CheckOutput:
        wanted = [entry for entry in snapshot.entries if entry.path.endswith(_SUFFIXES)]
        if not wanted:
            return CheckOutput(not_applicable="no Python files (*.py, *.pyi)")
        executable = require_tool("ruff", PYTHON_EXTRA)
        version = tool_version(executable, "ruff")
        with materialize(snapshot, wanted, max_file_bytes=params.max_file_bytes) as tree:
            codes, unparsable = (
                _lint(str(executable), tree, params) if tree.files else (Counter(), set())
            )
            analysed = sorted(tree.files - unparsable)
            lines = sum(_code_lines(tree, path) for path in analysed)
        return CheckOutput(
            measures=_measures(codes, lines, len(analysed), len(unparsable)),
            tool_versions={"ruff": version},
        )


def _lint(executable: str, tree: Materialized, params: LintParams) -> tuple[Counter[str], set[str]]:
    args = [
        executable, "check", "--isolated", "--select", ",".join(params.select),
        "--output-format", "json", "--no-cache", "--exit-zero", "--no-respect-gitignore",
        "--exclude", "",
    ]  # fmt: skip
    if not params.honour_inline_suppressions:
        args.append("--ignore-noqa")
    document = run_json([*args, "."], name="ruff", cwd=tree.root, timeout_s=params.timeout_s,
                        ok_codes=(0,))  # fmt: skip
    codes: Counter[str] = Counter()
    unparsable: set[str] = set()
    try:
        for diagnostic in Node(document).items():
            code = diagnostic.text_at("code")
            if code is None or code == _SYNTAX_ERROR:
                path = tree.repo_path(diagnostic.require("filename").text())
                if path is None:
                    raise ToolError("ruff reported a file it was not given")
                unparsable.add(path)
            else:
                codes[code] += 1
    except ShapeError as error:
        raise ToolError(f"ruff wrote JSON of an unexpected shape: {error}") from None
    return codes, unparsable


def _code_lines(tree: Materialized, path: str) -> int:
    """Lines with code: not blank, not only a comment."""
    return sum(1 for line in tree.lines(path) if (s := line.strip()) and not s.startswith("#"))


def _measures(codes: Counter[str], lines: int, analysed: int, unparsable: int) -> list[Measure]:
    issues = sum(codes.values())

    def measure(name: str, value: float, unit: str, **labels: str) -> Measure:
        return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit, labels=labels)

    # Without a line of code there is no density to give (and no grade to take from it).
    density = (
        [measure("maint.lint.density", round(1000 * issues / lines, 2), "issues/kloc")]
        if lines else []
    )  # fmt: skip
    measures = [
        *density,
        measure("maint.lint.issues", issues, "issues"),
        measure("maint.lint.lines", lines, "lines"),
        measure("maint.lint.files_analysed", analysed, "files"),
        measure("maint.lint.files_unparsable", unparsable, "files"),
    ]  # fmt: skip
    top = sorted(codes.items(), key=lambda item: (-item[1], item[0]))[:_TOP_RULES]
    measures += [measure("maint.lint.issues", n, "issues", rule=code) for code, n in top]
    return measures
