"""inventory.languages (lines per language) and inventory.binary-artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cache import ResultCache
from assay.checks.api import CheckOutput, FileInput, FileResult, FileSelector, NoParams, fingerprint
from assay.checks.inventory import (
    COMMENT_SYNTAX,
    BinaryArtifactsCheck,
    BinaryArtifactsParams,
    CommentSyntax,
    LanguagesCheck,
    count_lines,
)
from assay.engine import BoundCheck, Limits, run_checks
from assay.model import EntryKind, FileEntry, Finding, Measure, Severity, SkippedFile, SkipReason
from assay.snapshot import open_snapshot
from assay.snapshot.language import language_from_name

LANGUAGES = "inventory.languages"
ARTIFACTS = "inventory.binary-artifacts"

PYTHON = '''#!/usr/bin/env python
# A comment.

import os  # a trailing comment is still code

def f():
    """A docstring is code."""
    #   indented comment
    return os.sep
'''

C_SOURCE = """/*
 * Licence header.
 */
#include <stdio.h>

int main(void) {  /* trailing */
    /* one-line block */
    // line comment
    return 0; // trailing
}
/* closed */ int after_a_closed_block;
/* opened
   and closed */ int code_after_the_close;
/* spans

   a blank line */
char *glob = "src/**/*.js";
"""

HTML = """<!DOCTYPE html>
<!-- a comment -->
<html>
<!--
  spanning lines
-->

  <body></body>
</html>
"""

JSON = '{\n  "a": "# not a comment",\n\n  "b": "// nor this",\n  "c": "/* nor this */"\n}\n'

LUA = "--[[ a block\ncomment ]]\n-- a line comment\nlocal x = 1\n--[[\n\n]] print(x)\n"


def as_data(output: CheckOutput) -> dict[str, Any]:
    return {
        "findings": [f.model_dump() for f in output.findings],
        "measures": [m.model_dump() for m in output.measures],
        "not_applicable": output.not_applicable,
        "tool_versions": dict(output.tool_versions),
    }


# count_lines


def test_count_lines_python_hash_comments_and_blanks() -> None:
    assert count_lines(PYTHON, COMMENT_SYNTAX["python"]) == (4, 3, 2)


def test_count_lines_c_like_block_comments_spanning_lines() -> None:
    # code: #include, int main, return, }, after_a_closed_block, code_after_the_close, glob
    # comment: the 3-line header, one-line block, line comment, "/* opened", the 3-line block
    assert count_lines(C_SOURCE, COMMENT_SYNTAX["c"]) == (7, 9, 1)


def test_count_lines_html_comments() -> None:
    assert count_lines(HTML, COMMENT_SYNTAX["html"]) == (4, 4, 1)


def test_count_lines_language_without_comment_syntax() -> None:
    assert "json" not in COMMENT_SYNTAX
    assert count_lines(JSON, COMMENT_SYNTAX.get("json")) == (5, 0, 1)
    assert count_lines(JSON, None) == (5, 0, 1)
    assert count_lines(JSON, CommentSyntax()) == (5, 0, 1)


def test_count_lines_lua_block_comment_starts_with_the_line_marker() -> None:
    assert count_lines(LUA, COMMENT_SYNTAX["lua"]) == (2, 5, 0)


def test_count_lines_unclosed_block_runs_to_the_end() -> None:
    assert count_lines("x = 1;\n/* never closed\nint y;\n\n", COMMENT_SYNTAX["c"]) == (1, 3, 0)


def test_count_lines_empty_text() -> None:
    assert count_lines("", COMMENT_SYNTAX["python"]) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("app.py", CommentSyntax(line=("#",))),
        ("app.ts", CommentSyntax(line=("//",), block=(("/*", "*/"),))),
        ("App.tsx", CommentSyntax(line=("//",), block=(("/*", "*/"),))),
        ("main.go", CommentSyntax(line=("//",), block=(("/*", "*/"),))),
        ("pyproject.toml", CommentSyntax(line=("#",))),
        ("Cargo.toml", CommentSyntax(line=("#",))),
        ("go.mod", CommentSyntax(line=("//",))),
        ("pom.xml", CommentSyntax(block=(("<!--", "-->"),))),
        ("App.csproj", CommentSyntax(block=(("<!--", "-->"),))),
        ("BUILD.bazel", CommentSyntax(line=("#",))),
        ("tox.ini", CommentSyntax(line=("#", ";"))),
        ("init.lua", CommentSyntax(line=("--",), block=(("--[[", "]]"),))),
        ("index.html", CommentSyntax(block=(("<!--", "-->"),))),
    ],
)
def test_common_files_get_their_comment_syntax(name: str, syntax: CommentSyntax) -> None:
    language = language_from_name(name)
    assert language is not None
    assert COMMENT_SYNTAX.get(language) == syntax


# inventory.languages: scan and summarize


def file_input(path: str, text: str, language: str | None) -> FileInput:
    data = text.encode()
    entry = FileEntry(
        path=path, kind=EntryKind.FILE, blob_id="0" * 40, size=len(data), language=language
    )
    return FileInput(entry=entry, data=data, text=text, language=language)


def test_languages_wants_every_text_file() -> None:
    assert LanguagesCheck().selector(NoParams()) == FileSelector(all_text=True)


def test_languages_scan_python() -> None:
    result = LanguagesCheck().scan(file_input("app.py", PYTHON, "python"), NoParams())
    assert result == FileResult(
        facts={"l": "python", "b": len(PYTHON.encode()), "c": 4, "m": 3, "e": 2}
    )


def test_languages_scan_counts_bytes_not_characters() -> None:
    text = "# héllo\nprint('ü')\n"
    result = LanguagesCheck().scan(file_input("a.py", text, "python"), NoParams())
    assert result == FileResult(facts={"l": "python", "b": 21, "c": 1, "m": 1, "e": 0})


def test_languages_scan_file_without_language_is_other() -> None:
    result = LanguagesCheck().scan(file_input("notes.txt", "# a\n\nb\n", None), NoParams())
    assert result == FileResult(facts={"l": "other", "b": 7, "c": 2, "m": 0, "e": 1})


def language_measures(
    per_language: dict[str, tuple[int, int, int, int, int]],
) -> list[Measure]:
    """Measures for (bytes, code, comment, blank, files) per language, then the totals."""
    names = (
        ("bytes", "bytes"), ("lines.code", "lines"), ("lines.comment", "lines"),
        ("lines.blank", "lines"), ("files", "files"),
    )  # fmt: skip
    measures = [
        Measure(check_id=LANGUAGES, name=name, value=value, unit=unit,
                labels={"language": language})
        for language, values in per_language.items()
        for (name, unit), value in zip(names, values, strict=True)
    ]  # fmt: skip
    totals = [sum(values[i] for values in per_language.values()) for i in range(5)]
    measures += [
        Measure(check_id=LANGUAGES, name=name, value=value, unit=unit)
        for (name, unit), value in zip(names, totals, strict=True)
    ]
    return measures


def test_languages_summarize_per_language_and_totals() -> None:
    results = {
        "b.py": FileResult(facts={"l": "python", "b": 100, "c": 5, "m": 2, "e": 1}),
        "a.py": FileResult(facts={"l": "python", "b": 50, "c": 3, "m": 0, "e": 4}),
        "README": FileResult(facts={"l": "other", "b": 10, "c": 2, "m": 0, "e": 0}),
        "main.c": FileResult(facts={"l": "c", "b": 30, "c": 1, "m": 1, "e": 1}),
    }
    output = LanguagesCheck().summarize(results, NoParams())
    assert as_data(output) == as_data(
        CheckOutput(
            measures=[
                *language_measures(
                    {"c": (30, 1, 1, 1, 1), "other": (10, 2, 0, 0, 1),
                     "python": (150, 8, 2, 5, 2)}
                ),
            ]
        )
    )  # fmt: skip
    # spelled out once, so the helper above is checked too
    assert [(m.name, m.value, m.unit, m.labels) for m in output.measures][-5:] == [
        ("bytes", 190, "bytes", {}),
        ("lines.code", 11, "lines", {}),
        ("lines.comment", 3, "lines", {}),
        ("lines.blank", 6, "lines", {}),
        ("files", 4, "files", {}),
    ]


def test_languages_summarize_nothing() -> None:
    output = LanguagesCheck().summarize({}, NoParams())
    assert as_data(output) == as_data(CheckOutput(measures=language_measures({})))


def test_languages_end_to_end_through_the_engine(make_repo: Any) -> None:
    ts = "// entry point\nexport const x = 1;\n/* block\n comment */\n\nconsole.log(x);\n"
    script = "#!/usr/bin/env python3\n# tool\nprint(1)\n"
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    repo = make_repo(
        "p",
        {"app.py": PYTHON, "web/main.ts": ts, "bin/tool": script, "logo.png": png,
         "notes.txt": "hello\n\nworld\n"},
    )  # fmt: skip
    repo.symlink("passwd", "/etc/passwd")
    repo.commit("link")
    snapshot = open_snapshot(repo.path)
    try:
        result = run_checks(
            snapshot,
            [BoundCheck(check=LanguagesCheck(), params=NoParams())],
            cache=ResultCache(None),
            limits=Limits(),
        )
    finally:
        snapshot.close()
    assert result.failures == {}
    assert {k: as_data(v) for k, v in result.outputs.items()} == {
        LANGUAGES: as_data(
            CheckOutput(
                measures=language_measures(
                    {
                        "other": (13, 2, 0, 1, 1),
                        # app.py and bin/tool (a python script by its shebang)
                        "python": (len(PYTHON) + len(script), 5, 5, 2, 2),
                        "ts": (len(ts), 2, 3, 1, 1),
                    }
                )
            )
        )
    }
    assert result.skipped == [
        SkippedFile(path="logo.png", reason=SkipReason.BINARY, size=len(png)),
        SkippedFile(path="passwd", reason=SkipReason.SYMLINK, size=len("/etc/passwd")),
    ]
    assert (result.files.total, result.files.read) == (6, 5)


# inventory.binary-artifacts


def run_artifacts(repo: Any, params: BinaryArtifactsParams | None = None) -> dict[str, Any]:
    snapshot = open_snapshot(repo.path)
    try:
        output = BinaryArtifactsCheck().run(snapshot, params or BinaryArtifactsParams())
    finally:
        snapshot.close()
    return as_data(output)


def committed(path: str, size: int) -> Finding:
    rule = "inventory.binary-artifacts.committed"
    return Finding(
        check_id=ARTIFACTS,
        rule=rule,
        message=f"{path} is a committed binary artifact ({size} bytes)",
        severity=Severity.MEDIUM,
        path=path,
        fingerprint=fingerprint(ARTIFACTS, rule, path, ""),
    )


def expect_artifacts(findings: list[Finding]) -> dict[str, Any]:
    counted = Measure(check_id=ARTIFACTS, name="binary_artifacts", value=len(findings),
                      unit="files")  # fmt: skip
    return as_data(CheckOutput(findings=findings, measures=[counted]))


ARTIFACT_FILES: dict[str, str | bytes] = {
    "Setup.MSI": b"MZ\0\0msi",
    "build/Main.class": b"\xca\xfe\xba\xbe\0",
    "dist/app.exe": b"MZ\0\0\0\0",
    "dist/app-1.0-py3-none-any.whl": b"PK\x03\x04",
    "lib/libz.so": b"\x7fELF\0\0",
    "pkg/__pycache__/m.cpython-311.pyc": b"\xa7\r\r\n\0",
    "release.tar.gz": b"\x1f\x8b\0",
    "docs/logo.png": b"\x89PNG\0",
    "src/main.py": "print(1)\n",
    "src/archive.zip.txt": "not an archive\n",
}


def test_binary_artifacts_by_extension(make_repo: Any) -> None:
    repo = make_repo("p", ARTIFACT_FILES)
    assert run_artifacts(repo) == expect_artifacts(
        [
            committed("Setup.MSI", 7),
            committed("build/Main.class", 5),
            committed("dist/app-1.0-py3-none-any.whl", 4),
            committed("dist/app.exe", 6),
            committed("lib/libz.so", 6),
            committed("pkg/__pycache__/m.cpython-311.pyc", 5),
            committed("release.tar.gz", 3),
        ]
    )


def test_binary_artifacts_allow_globs(make_repo: Any) -> None:
    repo = make_repo("p", ARTIFACT_FILES)
    params = BinaryArtifactsParams(allow=["dist/*", "*.tar.gz", "**/__pycache__/*", "LIB/*"])
    assert run_artifacts(repo, params) == expect_artifacts(
        [
            committed("Setup.MSI", 7),
            committed("build/Main.class", 5),
            committed("lib/libz.so", 6),  # allow globs are case-sensitive
        ]
    )


def test_binary_artifacts_custom_extensions(make_repo: Any) -> None:
    repo = make_repo("p", ARTIFACT_FILES)
    params = BinaryArtifactsParams(extensions=[".PNG", ".msi"])
    assert run_artifacts(repo, params) == expect_artifacts(
        [committed("Setup.MSI", 7), committed("docs/logo.png", 5)]
    )


def test_binary_artifacts_none(make_repo: Any) -> None:
    repo = make_repo("p", {"src/main.py": "print(1)\n", "docs/logo.png": b"\x89PNG\0"})
    repo.symlink("tool.exe", "/usr/bin/env")
    repo.commit("link")
    assert run_artifacts(repo) == expect_artifacts([])


def test_binary_artifacts_in_a_plain_directory(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "out").mkdir(parents=True)
    (root / "out" / "app.jar").write_bytes(b"PK\x03\x04jar")
    (root / "main.py").write_text("print(1)\n")
    snapshot = open_snapshot(root)
    output = BinaryArtifactsCheck().run(snapshot, BinaryArtifactsParams())
    assert as_data(output) == expect_artifacts([committed("out/app.jar", 7)])


def _line_by_line(text: str, markers: tuple[str, ...]) -> tuple[int, int, int]:
    """The plain definition the regex fast path must agree with."""
    lines = [raw.strip() for raw in text.splitlines()]
    blank = lines.count("")
    comment = sum(1 for line in lines if markers and line.startswith(markers))
    return len(lines) - blank - comment, comment, blank


_PIECES = st.sampled_from(
    ["\n", "\r\n", "\r", " ", "\t", "\u00a0", "#", "//", "rem ", "rem", "x", "y = 1", "\u2028",
     "\x0c", "\x85"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=30), language=st.sampled_from(["python", "batch", "go"]))
def test_fast_counting_agrees_with_the_line_by_line_definition(
    pieces: list[str], language: str
) -> None:
    text = "".join(pieces)
    syntax = COMMENT_SYNTAX[language]
    if any(opener in text for opener, _ in syntax.block):
        return  # block comments take the exact loop, tested above
    assert count_lines(text, syntax) == _line_by_line(text, syntax.line)
