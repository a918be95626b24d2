"""maint.duplication: copies across files and within one, renamed copies, density, exclusions."""

from __future__ import annotations

from typing import Any

from assay.checks.api import FileInput, FileResult, finding
from assay.checks.maint.duplication import DuplicationCheck, DuplicationParams
from assay.model import EntryKind, FileEntry, Measure, Severity
from support import as_data

# Six distinct statements: a copy of them is a block of six units.
BODY = """\
def {name}({a}, {b}):
    total = {a} + {b}
    if total > 10:
        total = total - {b}
    for item in range({a}):
        total += item * 2
    return total
"""

OTHER = """\
def unrelated(x):
    while x:
        x = x // 3
    return x
"""


def scan_all(files: dict[str, str], params: DuplicationParams) -> dict[str, FileResult]:
    check = DuplicationCheck()
    results = {}
    for path, text in files.items():
        entry = FileEntry(path=path, kind=EntryKind.FILE, blob_id="1" * 40, size=len(text),
                          language="python")  # fmt: skip
        results[path] = check.scan(FileInput(entry=entry, data=text.encode(),
                                             language="python"), params)  # fmt: skip
    return results


def measures(density: float, lines: int, blocks: int, files: int, loc: int) -> list[Any]:
    def m(name: str, value: float, unit: str) -> dict[str, Any]:
        return Measure(check_id="maint.duplication", name=name, value=value,
                       unit=unit).model_dump()  # fmt: skip

    return [
        m("maint.duplication.density", density, "%"),
        m("maint.duplication.lines", lines, "lines"),
        m("maint.duplication.blocks", blocks, "blocks"),
        m("maint.duplication.files", files, "files"),
        m("maint.lines_of_code", loc, "lines"),
    ]


def test_a_renamed_copy_in_another_file_is_one_block_naming_both_places() -> None:
    files = {
        "app/a.py": BODY.format(name="first", a="x", b="y") + "\n" + OTHER,
        "app/b.py": "import os\n\n" + BODY.format(name="second", a="count", b="step"),
    }
    params = DuplicationParams(min_lines=5)
    check = DuplicationCheck()
    output = check.summarize(scan_all(files, params), params)
    # The seven lines of the function are seven units (no line is trivial).
    block = finding(
        "maint.duplication", "maint.duplicated-block",
        "lines 3-9 of app/b.py repeat lines 1-7 of app/a.py (7 lines of code)",
        severity=Severity.LOW, path="app/b.py", start_line=3, end_line=9,
        properties={"original_path": "app/a.py", "original_lines": "1-7"},
    ).model_dump(exclude={"fingerprint"})  # fmt: skip
    data = as_data(output)
    # The fingerprint's key is the hash of the block's content (its stability is tested below).
    assert [{k: v for k, v in f.items() if k != "fingerprint"} for f in data["findings"]] == [block]
    # 14 duplicated units of 7 + 4 + 7 = 18; code lines 11 + 8 (the import counts as code)
    assert data["measures"] == measures(77.78, 14, 1, 2, 19)
    assert data["not_applicable"] is None


def test_the_identity_of_a_block_survives_lines_inserted_above_it() -> None:
    params = DuplicationParams(min_lines=5)
    copy = BODY.format(name="second", a="count", b="step")
    before = {"a.py": BODY.format(name="f", a="x", b="y"), "b.py": copy}
    after = {"a.py": BODY.format(name="f", a="x", b="y"), "b.py": "X = 1\nY = 2\n\n" + copy}
    check = DuplicationCheck()
    first = check.summarize(scan_all(before, params), params).findings
    second = check.summarize(scan_all(after, params), params).findings
    assert [f.start_line for f in first] == [1] and [f.start_line for f in second] == [4]
    assert first[0].fingerprint == second[0].fingerprint


def test_a_copy_shorter_than_min_lines_is_not_reported() -> None:
    files = {"a.py": BODY.format(name="f", a="x", b="y"), "b.py": BODY.format(name="g", a="p",
                                                                            b="q")}  # fmt: skip
    params = DuplicationParams(min_lines=8)
    output = DuplicationCheck().summarize(scan_all(files, params), params)
    assert output.findings == []
    assert [m.value for m in output.measures] == [0, 0, 0, 0, 14]


def test_a_copy_inside_one_file_is_found_but_a_run_of_alike_lines_is_not() -> None:
    table = "".join(f"VALUE_{n} = {n}\n" for n in range(30))  # thirty "I=I" lines
    text = BODY.format(name="f", a="x", b="y") + table + BODY.format(name="g", a="p", b="q")
    params = DuplicationParams(min_lines=5)
    output = DuplicationCheck().summarize(scan_all({"one.py": text}, params), params)
    assert [(f.start_line, f.end_line, f.properties["original_lines"]) for f in
            output.findings] == [(38, 44, "1-7")]  # fmt: skip


def test_excluded_paths_are_left_out() -> None:
    params = DuplicationParams(min_lines=5, exclude=["vendor/*"])
    files = {"a.py": BODY.format(name="f", a="x", b="y"),
             "vendor/lib.py": BODY.format(name="g", a="p", b="q")}  # fmt: skip
    results = scan_all(files, params)
    assert dict(results["vendor/lib.py"].facts) == {"excluded": True}
    assert DuplicationCheck().summarize(results, params).findings == []


def test_no_measured_source_is_not_applicable() -> None:
    output = DuplicationCheck().summarize({"x.py": FileResult(facts={"excluded": True})},
                                          DuplicationParams())  # fmt: skip
    assert output.not_applicable == "no source file in a language whose copies Assay finds"


def test_without_a_line_of_code_there_is_no_density() -> None:
    params = DuplicationParams()
    output = DuplicationCheck().summarize(scan_all({"a.py": "import os\n\n# x\n"}, params), params)
    assert [m.name for m in output.measures] == [
        "maint.duplication.lines", "maint.duplication.blocks", "maint.duplication.files",
        "maint.lines_of_code",
    ]  # fmt: skip
