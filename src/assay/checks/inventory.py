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
_INI = CommentSyntax(line=("#", ";"))
_ML_LIKE = CommentSyntax(line=("--",), block=(("{-", "-}"),))
_TEMPLATE = CommentSyntax(block=(("{#", "#}"),))

# Comment markers per language, keyed by the names identify gives (``ts``, not
# ``typescript``; ``cargo`` and ``pyproject`` for those TOML files, ``pom`` and
# ``csproj`` for those XML files); a language not listed has no comments.
COMMENT_SYNTAX: dict[str, CommentSyntax] = {
    **dict.fromkeys(
        ["python", "shell", "bash", "zsh", "ruby", "perl", "yaml", "toml", "r", "makefile",
         "dockerfile", "cmake", "coffee", "elixir", "nim", "tcl", "julia", "gitignore",
         "dockerignore", "terraform", "hcl", "nix", "awk", "pyi", "cython", "starlark",
         "bazel", "tiltfile", "scons", "meson", "fish", "crystal", "graphql", "gdscript",
         "puppet", "nushell", "robot", "salt", "textproto", "dotenv", "gitattributes",
         "npmignore", "cargo", "cargo-lock", "pyproject", "poetry-lock"],
        _HASH,
    ),
    **dict.fromkeys(
        ["c", "c++", "java", "javascript", "typescript", "ts", "jsx", "tsx", "go", "rust",
         "kotlin", "swift", "scala", "sbt", "c#", "dart", "groovy", "objective-c", "proto",
         "zig", "solidity", "json5", "jsonnet", "scss", "sass", "less", "stylus", "vue",
         "svelte", "cuda", "hlsl", "glsl", "vala", "verilog", "system-verilog", "qml", "idl",
         "metal", "aspectj", "templ"],
        _C_LIKE,
    ),
    **dict.fromkeys(["go-mod", "cue", "prisma", "gleam"], CommentSyntax(line=("//",))),
    "php": CommentSyntax(line=("//", "#"), block=(("/*", "*/"),)),
    "thrift": CommentSyntax(line=("//", "#"), block=(("/*", "*/"),)),
    "css": CommentSyntax(block=(("/*", "*/"),)),
    "sql": CommentSyntax(line=("--",), block=(("/*", "*/"),)),
    **dict.fromkeys(["lua", "luau"], CommentSyntax(line=("--",), block=(("--[[", "]]"),))),
    **dict.fromkeys(["haskell", "elm", "purescript", "idris"], _ML_LIKE),
    "lean": CommentSyntax(line=("--",), block=(("/-", "-/"),)),
    "vhdl": CommentSyntax(line=("--",)),
    "ocaml": CommentSyntax(block=(("(*", "*)"),)),
    "f#": CommentSyntax(line=("//",), block=(("(*", "*)"),)),
    "pascal": CommentSyntax(line=("//",), block=(("{", "}"), ("(*", "*)"))),
    "fortran": CommentSyntax(line=("!",)),
    **dict.fromkeys(["vb", "plantuml"], CommentSyntax(line=("'",))),
    "powershell": CommentSyntax(line=("#",), block=(("<#", "#>"),)),
    **dict.fromkeys(["tex", "erlang", "matlab"], CommentSyntax(line=("%",))),
    **dict.fromkeys(["lisp", "clojure", "scheme", "asm"], CommentSyntax(line=(";",))),
    **dict.fromkeys(
        ["ini", "editorconfig", "gitconfig", "coveragerc", "flake8", "codespellrc"], _INI
    ),
    "java-properties": CommentSyntax(line=("#", "!")),
    **dict.fromkeys(
        ["html", "xml", "markdown", "svg", "xsd", "xslt", "pom", "csproj", "fsproj", "msbuild",
         "wixproj", "xaml", "resx", "wsdl", "dtd", "xliff", "wxs", "wxi", "wxl", "kml", "gpx",
         "urdf", "relax-ng"],
        _MARKUP,
    ),
    **dict.fromkeys(["jinja", "nunjucks", "twig"], _TEMPLATE),
    **dict.fromkeys(["erb", "ejs"], CommentSyntax(block=(("<%#", "%>"),))),
    **dict.fromkeys(["handlebars", "mustache"], CommentSyntax(block=(("{{!", "}}"),))),
    "batch": CommentSyntax(line=("rem ", "REM ", "::")),
    "vim": CommentSyntax(line=('"',)),
}  # fmt: skip


def _count_without_blocks(text: str, markers: tuple[str, ...]) -> tuple[int, int, int]:
    # The hot path of a cold audit: lstrip() decides blank and comment lines alike,
    # except for a marker ending in a space ("rem "), which strip() would cut short.
    lines = text.splitlines()
    if any(marker[-1:].isspace() for marker in markers):
        stripped = [line.strip() for line in lines]
    else:
        stripped = [line.lstrip() for line in lines]
    blank = stripped.count("")
    comment = 0
    if markers:
        comment = sum(1 for line in stripped if line.startswith(markers))
    return len(lines) - blank - comment, comment, blank


def count_lines(text: str, syntax: CommentSyntax | None) -> tuple[int, int, int]:
    """(code, comment, blank) line counts. A line with code and a comment counts as code.

    Comments are recognised where a line starts with a marker (or right after a
    block comment ends on it): a marker in the middle of a line may sit in a
    string (``"src/**/*.js"``), so it is not taken for a comment. Blank lines
    inside a block comment count as comment.
    """
    if syntax is None or not any(opener in text for opener, _ in syntax.block):
        # No block comment can open: blanks and line comments are all there is to find.
        return _count_without_blocks(text, syntax.line if syntax else ())
    lines = [raw.strip() for raw in text.splitlines()]
    code = comment = blank = 0
    closing: str | None = None
    for line in lines:
        if closing is None and not line:
            blank += 1
            continue
        has_code, closing = _scan_line(line, syntax, closing)
        if has_code:
            code += 1
        else:
            comment += 1
    return code, comment, blank


def _scan_line(
    line: str, syntax: CommentSyntax | None, closing: str | None
) -> tuple[bool, str | None]:
    """Whether ``line`` holds code, and the closer of a block comment still open after it."""
    if syntax is None:
        return True, None
    rest = line
    while True:
        if closing is not None:
            end = rest.find(closing)
            if end < 0:
                return False, closing
            rest = rest[end + len(closing) :].lstrip()
            closing = None
        if not rest:
            return False, None
        # Block openers first: Lua's "--[[" also starts with its line marker "--".
        for opener, closer in syntax.block:
            if rest.startswith(opener):
                rest = rest[len(opener) :]
                closing = closer
                break
        else:
            is_comment = bool(syntax.line) and rest.startswith(syntax.line)
            return not is_comment, None


class LanguagesCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = "inventory.languages"
    # 2: lines after a closed block comment count as code; Lua block comments; more languages.
    version: ClassVar[str] = "2"
    description: ClassVar[str] = "Files, bytes and lines of code, comments and blanks per language."
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
