"""Inventory of a product: files, bytes and lines per language, and committed binaries."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import (
    CheckOutput,
    FileInput,
    FileResult,
    FileSelector,
    NoParams,
    finding,
)
from assay.model import Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot

OTHER = "other"


@dataclass(frozen=True, slots=True)
class CommentSyntax:
    line: tuple[str, ...] = ()
    block: tuple[tuple[str, str], ...] = ()


_HASH = CommentSyntax(line=("#",))
_C_LIKE = CommentSyntax(line=("//",), block=(("/*", "*/"),))
_MARKUP = CommentSyntax(block=(("<!--", "-->"),))

# Comment markers per identify language tag; a language not listed has no comments.
COMMENT_SYNTAX: dict[str, CommentSyntax] = {
    **dict.fromkeys(
        ["python", "shell", "bash", "zsh", "ruby", "perl", "yaml", "toml", "r", "makefile",
         "dockerfile", "cmake", "coffee", "elixir", "nim", "tcl", "julia", "gitignore",
         "dockerignore", "terraform", "hcl", "nix", "awk", "pyi", "cython", "starlark"],
        _HASH,
    ),
    **dict.fromkeys(
        ["c", "c++", "java", "javascript", "typescript", "jsx", "tsx", "go", "rust", "kotlin",
         "swift", "scala", "c#", "dart", "groovy", "objective-c", "proto", "zig", "solidity",
         "json5", "jsonnet", "scss", "less", "vue", "svelte", "cuda", "hlsl", "glsl"],
        _C_LIKE,
    ),
    "php": CommentSyntax(line=("//", "#"), block=(("/*", "*/"),)),
    "css": CommentSyntax(block=(("/*", "*/"),)),
    "sql": CommentSyntax(line=("--",), block=(("/*", "*/"),)),
    "lua": CommentSyntax(line=("--",), block=(("--[[", "]]"),)),
    "haskell": CommentSyntax(line=("--",), block=(("{-", "-}"),)),
    "elm": CommentSyntax(line=("--",), block=(("{-", "-}"),)),
    "powershell": CommentSyntax(line=("#",), block=(("<#", "#>"),)),
    **dict.fromkeys(["tex", "erlang", "matlab"], CommentSyntax(line=("%",))),
    **dict.fromkeys(["lisp", "clojure", "scheme", "ini", "asm"], CommentSyntax(line=(";",))),
    **dict.fromkeys(["html", "xml", "markdown", "svg", "xsd", "xslt"], _MARKUP),
    "batch": CommentSyntax(line=("rem ", "REM ", "::")),
    "vim": CommentSyntax(line=('"',)),
}  # fmt: skip


def count_lines(text: str, syntax: CommentSyntax | None) -> tuple[int, int, int]:
    """(code, comment, blank) line counts. A line with code and a comment counts as code."""
    code = comment = blank = 0
    line_markers = syntax.line if syntax else ()
    blocks = syntax.block if syntax else ()
    closing: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if closing is not None:
            comment += 1
            if closing in line:
                closing = None
            continue
        if not line:
            blank += 1
        elif line_markers and line.startswith(line_markers):
            comment += 1
        else:
            for opener, closer in blocks:
                if line.startswith(opener):
                    comment += 1
                    if closer not in line[len(opener) :]:
                        closing = closer
                    break
            else:
                code += 1
    return code, comment, blank


class LanguagesCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = "inventory.languages"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Files, bytes and lines of code, comments and blanks per language."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def selector(self, params: NoParams) -> FileSelector:
        return FileSelector(all_text=True)

    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        language = file.language or OTHER
        code, comment, blank = count_lines(file.text, COMMENT_SYNTAX.get(language))
        facts = {"l": language, "b": len(file.data), "c": code, "m": comment, "e": blank}
        return FileResult(facts=facts)

    def summarize(self, results: Mapping[str, FileResult], params: NoParams) -> CheckOutput:
        per_language: dict[str, list[int]] = {}
        for result in results.values():
            facts = result.facts
            totals = per_language.setdefault(facts["l"], [0, 0, 0, 0, 0])
            for index, key in enumerate(("b", "c", "m", "e")):
                totals[index] += int(facts[key])
            totals[4] += 1
        measures: list[Measure] = []
        names = (
            ("bytes", "bytes"), ("lines.code", "lines"), ("lines.comment", "lines"),
            ("lines.blank", "lines"), ("files", "files"),
        )  # fmt: skip
        for language in sorted(per_language):
            for (name, unit), value in zip(names, per_language[language], strict=True):
                measures.append(
                    Measure(check_id=self.id, name=name, value=value, unit=unit,
                            labels={"language": language})
                )  # fmt: skip
        for index, (name, unit) in enumerate(names):
            total = sum(values[index] for values in per_language.values())
            measures.append(Measure(check_id=self.id, name=name, value=total, unit=unit))
        return CheckOutput(measures=measures)


DEFAULT_BINARY_EXTENSIONS = (
    ".exe", ".dll", ".so", ".dylib", ".a", ".lib", ".o", ".obj", ".class", ".jar", ".war",
    ".ear", ".pyc", ".pyo", ".pyd", ".whl", ".egg", ".zip", ".tar", ".gz", ".tgz", ".bz2",
    ".xz", ".7z", ".rar", ".apk", ".aab", ".ipa", ".msi", ".deb", ".rpm", ".dmg", ".iso",
    ".nupkg", ".wasm",
)  # fmt: skip


class BinaryArtifactsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    extensions: list[str] = Field(
        default=list(DEFAULT_BINARY_EXTENSIONS),
        description="File name endings that mark a build artifact or archive.",
    )
    allow: list[str] = Field(
        default_factory=list, description="Glob patterns of paths where such files are allowed."
    )


class BinaryArtifactsCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = "inventory.binary-artifacts"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Committed build artifacts and archives (executables, libraries, .class, .jar, .pyc, ...)."
    )
    Params: ClassVar[type[BaseModel]] = BinaryArtifactsParams

    def run(self, snapshot: Snapshot, params: BinaryArtifactsParams) -> CheckOutput:
        import fnmatch

        endings = tuple(ext.lower() for ext in params.extensions)
        findings = []
        for entry in snapshot.entries:
            if entry.kind not in READABLE_KINDS:
                continue
            name = posixpath.basename(entry.path).lower()
            if not name.endswith(endings):
                continue
            if any(fnmatch.fnmatchcase(entry.path, glob) for glob in params.allow):
                continue
            findings.append(
                finding(self.id, "inventory.binary-artifacts.committed",
                        f"{entry.path} is a committed binary artifact ({entry.size} bytes)",
                        severity=Severity.MEDIUM, path=entry.path)
            )  # fmt: skip
        measure = Measure(
            check_id=self.id, name="binary_artifacts", value=len(findings), unit="files"
        )
        return CheckOutput(findings=findings, measures=[measure])
