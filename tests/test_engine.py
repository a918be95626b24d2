"""The engine: one pass over the bytes, the blob-id cache, skips, fail-closed checks."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from pydantic import BaseModel

from assay.cache import ResultCache
from assay.checks.api import (
    CheckOutput,
    FileInput,
    FileResult,
    FileSelector,
    NoParams,
    finding,
)
from assay.engine import BoundCheck, Limits, run_checks
from assay.model import CheckStatus, Severity, SkippedFile, SkipReason
from assay.snapshot import open_snapshot


class RecordingFileCheck:
    """Counts lines of the files it wants and remembers which files it was given."""

    kind: ClassVar[Literal["file"]] = "file"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "test"
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, check_id: str, selector: FileSelector) -> None:
        self.id = check_id  # type: ignore[misc]
        self._selector = selector
        self.seen: list[str] = []

    def selector(self, params: NoParams) -> FileSelector:
        return self._selector

    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        self.seen.append(file.entry.path)
        return FileResult(facts={"lines": file.text.count("\n"), "language": file.language})

    def summarize(self, results: Mapping[str, FileResult], params: NoParams) -> CheckOutput:
        findings = [
            finding(self.id, f"{self.id}.seen", f"{path}: {r.facts['lines']} lines",
                    severity=Severity.INFO, path=path)
            for path, r in sorted(results.items())
        ]  # fmt: skip
        return CheckOutput(findings=findings)


class RaisingFileCheck(RecordingFileCheck):
    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        raise ValueError("cannot parse this")


class LoopingFileCheck(RecordingFileCheck):
    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        while True:
            try:  # noqa: SIM105 - a careless check: it must not be able to swallow the limit
                time.sleep(0.01)
            except Exception:
                pass


class CountingProductCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = "test.product"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "test"
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self) -> None:
        self.runs = 0

    def run(self, snapshot: Any, params: NoParams) -> CheckOutput:
        self.runs += 1
        return CheckOutput(
            findings=[finding(self.id, "test.product.files", f"{len(snapshot.entries)} entries",
                              severity=Severity.LOW)]
        )  # fmt: skip


class SlowProductCheck(CountingProductCheck):
    def run(self, snapshot: Any, params: NoParams) -> CheckOutput:
        time.sleep(1.0)
        return super().run(snapshot, params)


def bound(*checks: Any) -> list[BoundCheck]:
    return [BoundCheck(check=c, params=NoParams()) for c in checks]


def python_and_all() -> tuple[RecordingFileCheck, RecordingFileCheck]:
    return (
        RecordingFileCheck("test.python", FileSelector(languages=frozenset({"python"}))),
        RecordingFileCheck("test.all", FileSelector(all_text=True)),
    )


def test_each_wanted_blob_is_read_once_and_given_to_every_check(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {"a.py": "x = 1\n", "b.md": "# b\n\ntext\n", "tool": "#!/usr/bin/env python3\nprint()\n"},
    )
    py, every = python_and_all()
    snapshot = open_snapshot(repo.path)
    result = run_checks(snapshot, bound(py, every), cache=ResultCache(None), limits=Limits())
    assert result.files.read == 3
    assert sorted(py.seen) == ["a.py", "tool"]  # "tool" is Python by its shebang
    assert sorted(every.seen) == ["a.py", "b.md", "tool"]
    assert [f.message for f in result.outputs["test.python"].findings] == [
        "a.py: 1 lines",
        "tool: 2 lines",
    ]
    assert result.failures == {}


def test_unchanged_repository_reads_nothing_and_next_commit_reads_only_changed_blobs(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n", "b.py": "y = 2\n", "c.txt": "c\n"})
    cache = ResultCache(tmp_path / "cache.sqlite3")
    product = CountingProductCheck()

    def audit() -> tuple[Any, RecordingFileCheck, RecordingFileCheck]:
        py, every = python_and_all()
        snapshot = open_snapshot(repo.path)
        return (
            run_checks(snapshot, bound(py, every, product), cache=cache, limits=Limits()),
            py,
            every,
        )

    cold, _, _ = audit()
    assert (cold.files.read, cold.files.from_cache, product.runs) == (3, 0, 1)
    warm, py, every = audit()
    assert (warm.files.read, warm.files.bytes_read, warm.files.from_cache) == (0, 0, 3)
    assert py.seen == every.seen == []
    assert product.runs == 1  # served by tree id
    assert warm.outputs["test.all"].findings == cold.outputs["test.all"].findings
    assert warm.outputs["test.product"].findings == cold.outputs["test.product"].findings

    repo.commit_files({"b.py": "y = 3\nz = 4\n"})
    changed, py, every = audit()
    assert (changed.files.read, changed.files.from_cache) == (1, 2)
    assert py.seen == every.seen == ["b.py"]
    assert product.runs == 2  # a new tree
    assert [f.message for f in changed.outputs["test.python"].findings] == [
        "a.py: 1 lines",
        "b.py: 2 lines",
    ]


def test_skipped_files_are_counted_with_their_reason(make_repo: Any) -> None:
    repo = make_repo("p", {
        "big.txt": "x" * 2000,
        "blob.bin": b"\x00\x01\x02binary",
        "latin1.txt": "caf\xe9\n".encode("latin-1"),
        "ok.txt": "fine\n",
    })  # fmt: skip
    repo.symlink("passwd", "/etc/passwd")
    repo.commit()
    every = RecordingFileCheck("test.all", FileSelector(all_text=True))
    result = run_checks(
        open_snapshot(repo.path),
        bound(every),
        cache=ResultCache(None),
        limits=Limits(max_file_size=1000),
    )
    assert every.seen == ["ok.txt"]
    assert result.skipped == [
        SkippedFile(path="big.txt", reason=SkipReason.TOO_LARGE, size=2000),
        SkippedFile(path="blob.bin", reason=SkipReason.BINARY, size=9),
        SkippedFile(path="latin1.txt", reason=SkipReason.UNDECODABLE, size=5),
        SkippedFile(path="passwd", reason=SkipReason.SYMLINK, size=11),
    ]
    assert result.files.skipped == {
        SkipReason.TOO_LARGE: 1,
        SkipReason.BINARY: 1,
        SkipReason.UNDECODABLE: 1,
        SkipReason.SYMLINK: 1,
    }
    assert result.files.read == 3  # the oversized file and the symlink were never read


def test_known_binary_blobs_are_not_read_again(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"blob.bin": b"\x00\x01binary", "a.txt": "a\n"})
    cache = ResultCache(tmp_path / "cache.sqlite3")
    for expected_reads in (2, 0):
        every = RecordingFileCheck("test.all", FileSelector(all_text=True))
        result = run_checks(open_snapshot(repo.path), bound(every), cache=cache, limits=Limits())
        assert result.files.read == expected_reads
        assert [s.reason for s in result.skipped] == [SkipReason.BINARY]


def test_a_raising_check_fails_closed_and_the_others_go_on(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    broken = RaisingFileCheck("test.broken", FileSelector(all_text=True))
    py, _ = python_and_all()
    result = run_checks(
        open_snapshot(repo.path), bound(broken, py), cache=ResultCache(None), limits=Limits()
    )
    assert result.failures == {
        "test.broken": "test.broken failed on 'a.py': ValueError: cannot parse this"
    }
    assert "test.broken" not in result.outputs
    assert [f.message for f in result.outputs["test.python"].findings] == ["a.py: 1 lines"]
    statuses = {run.check_id: run.status for run in result.runs}
    assert statuses == {"test.broken": CheckStatus.ERROR, "test.python": CheckStatus.OK}


class SaltedProductCheck(CountingProductCheck):
    """Its output also depends on something outside the tree (a tool's build, say)."""

    def __init__(self) -> None:
        super().__init__()
        self.salt: str | Exception = "tool 1.0"

    def cache_salt(self, params: NoParams) -> str:
        if isinstance(self.salt, Exception):
            raise self.salt
        return self.salt


def test_a_cache_salt_keeps_results_of_another_build_from_being_served(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    cache = ResultCache(tmp_path / "cache.sqlite3")
    product = SaltedProductCheck()

    def audit() -> int:
        run_checks(open_snapshot(repo.path), bound(product), cache=cache, limits=Limits())
        return product.runs

    assert audit() == 1
    assert audit() == 1  # same tree, same salt: from the cache
    product.salt = "tool 2.0"
    assert audit() == 2  # another build: run again
    assert audit() == 2
    product.salt = OSError("cannot stat the tool")
    rows = cache._db.execute("SELECT COUNT(*) FROM results").fetchone()[0]  # type: ignore[union-attr]
    assert audit() == 3  # a salt that cannot be known never serves a cached result
    assert audit() == 4
    # ... nor stores one that nothing could ever read.
    assert cache._db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == rows  # type: ignore[union-attr]


def test_failed_results_are_not_cached(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    cache = ResultCache(tmp_path / "cache.sqlite3")
    broken = RaisingFileCheck("test.flaky", FileSelector(all_text=True))
    run_checks(open_snapshot(repo.path), bound(broken), cache=cache, limits=Limits())
    fixed = RecordingFileCheck("test.flaky", FileSelector(all_text=True))
    result = run_checks(open_snapshot(repo.path), bound(fixed), cache=cache, limits=Limits())
    assert fixed.seen == ["a.py"]
    assert result.failures == {}


def test_a_check_past_its_time_limit_errors(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    looping = LoopingFileCheck("test.loop", FileSelector(all_text=True))
    py, _ = python_and_all()
    started = time.perf_counter()
    result = run_checks(
        open_snapshot(repo.path),
        bound(looping, py),
        cache=ResultCache(None),
        limits=Limits(check_timeout_s=0.3),
    )
    assert time.perf_counter() - started < 5
    assert result.failures == {"test.loop": "test.loop ran past its time limit of 0.3 s"}
    assert [f.message for f in result.outputs["test.python"].findings] == ["a.py: 1 lines"]


def test_plain_directory_is_audited_without_cache_and_symlinks_are_not_followed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "plain"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.py").write_text("x = 1\n")
    (root / "ignored.log").write_text("noise\n")
    (root / ".gitignore").write_text("*.log\n")
    (root / "passwd").symlink_to("/etc/passwd")
    every = RecordingFileCheck("test.all", FileSelector(all_text=True))
    result = run_checks(open_snapshot(root), bound(every), cache=ResultCache(None), limits=Limits())
    assert sorted(every.seen) == [".gitignore", "sub/a.py"]
    assert [(s.path, s.reason) for s in result.skipped] == [("passwd", SkipReason.SYMLINK)]


def test_a_file_swapped_for_a_symlink_after_the_walk_is_skipped_as_unreadable(
    tmp_path: Path,
) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "a.txt").write_text("a\n")
    (root / "b.txt").write_text("b\n")
    snapshot = open_snapshot(root)
    (root / "b.txt").unlink()
    (root / "b.txt").symlink_to("/etc/passwd")
    every = RecordingFileCheck("test.all", FileSelector(all_text=True))
    result = run_checks(snapshot, bound(every), cache=ResultCache(None), limits=Limits())
    assert every.seen == ["a.txt"]
    assert result.skipped == [SkippedFile(path="b.txt", reason=SkipReason.UNREADABLE, size=2)]


def test_an_unchanged_tree_is_answered_without_per_file_lookups(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n", "blob.bin": b"\x00bin", "big.txt": "y" * 5000})
    cache = ResultCache(tmp_path / "cache.sqlite3")
    limits = Limits(max_file_size=1000)

    def audit() -> Any:
        every = RecordingFileCheck("test.all", FileSelector(all_text=True))
        return run_checks(open_snapshot(repo.path), bound(every), cache=cache, limits=limits)

    cold = audit()
    # Drop the per-blob entries: only the whole-tree entry can answer the next audit.
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        db.execute("DELETE FROM results WHERE check_key NOT LIKE 'engine.file-pass@%'")
        db.execute("DELETE FROM blob_facts")
    warm = audit()
    assert (warm.files.read, warm.files.from_cache) == (0, 1)
    assert (
        warm.skipped
        == cold.skipped
        == [
            SkippedFile(path="big.txt", reason=SkipReason.TOO_LARGE, size=5000),
            SkippedFile(path="blob.bin", reason=SkipReason.BINARY, size=4),
        ]
    )
    assert list(warm.outputs["test.all"].findings) == list(cold.outputs["test.all"].findings)
    # Another size limit is another pass: computed again, not taken from the tree entry.
    every = RecordingFileCheck("test.all", FileSelector(all_text=True))
    other = run_checks(
        open_snapshot(repo.path), bound(every), cache=cache, limits=Limits(max_file_size=10_000)
    )
    assert sorted(every.seen) == ["a.py", "big.txt"]
    assert [s.path for s in other.skipped] == ["blob.bin"]


def test_a_parallel_pass_gives_the_same_result_as_one_process(
    make_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay import scanning

    files: dict[str, str | bytes] = {f"src/m{i}.py": f"x = {i}\n" * (i + 1) for i in range(40)}
    files["blob.bin"] = b"\x00binary"
    files["notes.txt"] = b"caf\xe9\n"
    repo = make_repo("p", files)
    monkeypatch.setattr(scanning, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def audit(parallel: bool) -> tuple[Any, RecordingFileCheck]:
        py = RecordingFileCheck("test.python", FileSelector(languages=frozenset({"python"})))
        limits = Limits(parallel=parallel)
        # This process runs the product check first, which keeps it long enough for
        # the worker to take every chunk of the pass.
        checks = bound(py, SlowProductCheck())
        result = run_checks(open_snapshot(repo.path), checks, cache=ResultCache(None),
                            limits=limits)  # fmt: skip
        return result, py

    one, one_check = audit(parallel=False)
    two, two_check = audit(parallel=True)
    assert two_check.seen == []  # a worker scanned, not this process
    assert len(one_check.seen) == 40
    assert two.outputs == one.outputs
    assert two.skipped == one.skipped
    assert (two.files.read, two.files.bytes_read) == (one.files.read, one.files.bytes_read)


def test_a_check_failing_in_a_worker_fails_closed(
    make_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay import scanning

    repo = make_repo("p", {f"m{i}.py": "x = 1\n" for i in range(10)})
    monkeypatch.setattr(scanning, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    broken = RaisingFileCheck("test.broken", FileSelector(all_text=True))
    result = run_checks(
        open_snapshot(repo.path),
        bound(broken),
        cache=ResultCache(None),
        limits=Limits(parallel=True),
    )
    assert list(result.failures) == ["test.broken"]
    assert result.failures["test.broken"].startswith("test.broken failed on 'm")
    assert result.failures["test.broken"].endswith(".py': ValueError: cannot parse this")


class DyingFileCheck(RecordingFileCheck):
    """Takes its worker process down with it (a crash in a native library, say)."""

    def __init__(self, check_id: str, selector: FileSelector, parent: int) -> None:
        super().__init__(check_id, selector)
        self.parent = parent

    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        if os.getpid() != self.parent:
            os._exit(3)
        return super().scan(file, params)


def test_a_worker_that_dies_fails_the_file_checks_closed(
    make_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay import scanning

    repo = make_repo("p", {f"m{i}.py": "x = 1\n" for i in range(10)})
    monkeypatch.setattr(scanning, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    dying = DyingFileCheck("test.dying", FileSelector(all_text=True), os.getpid())
    result = run_checks(
        open_snapshot(repo.path),
        bound(dying, SlowProductCheck()),
        cache=ResultCache(None),
        limits=Limits(parallel=True),
    )
    assert list(result.failures) == ["test.dying"]
    failure = result.failures["test.dying"]
    assert failure.startswith("test.dying: the pass over the files did not finish (worker ")
    assert failure.endswith(" was lost (exit code 3))")
    assert "test.dying" not in result.outputs


class NoneReturningProductCheck(CountingProductCheck):
    def run(self, snapshot: Any, params: NoParams) -> CheckOutput:
        return None  # type: ignore[return-value]


def test_a_check_returning_the_wrong_type_fails_closed(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    result = run_checks(
        open_snapshot(repo.path),
        bound(NoneReturningProductCheck()),
        cache=ResultCache(None),
        limits=Limits(),
    )
    assert result.failures == {"test.product": "test.product returned NoneType, not a CheckOutput"}


def test_renamed_and_copied_blobs_give_the_same_result_as_without_cache(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n", "README.md": "# r\n"})
    cache = ResultCache(tmp_path / "cache.sqlite3")

    def audit(use: ResultCache) -> list[tuple[str | None, str]]:
        every = RecordingFileCheck("test.all", FileSelector(all_text=True))
        result = run_checks(open_snapshot(repo.path), bound(every), cache=use, limits=Limits())
        return [(f.path, f.message) for f in result.outputs["test.all"].findings]

    audit(cache)
    repo.git("mv", "a.py", "b.py")
    repo.write({"c.py": "x = 1\n"})
    repo.commit("rename and copy")
    assert (
        audit(cache)
        == audit(ResultCache(None))
        == [
            ("README.md", "README.md: 1 lines"),
            ("b.py", "b.py: 1 lines"),
            ("c.py", "c.py: 1 lines"),
        ]
    )


def test_names_that_look_alike_after_escaping_are_both_read(make_repo: Any) -> None:
    repo = make_repo("p")
    (repo.path / "evil\\xff.py").write_text("literal = 1\n")
    (repo.path / os.fsdecode(b"evil\xff.py")).write_text("raw = 1\n")
    repo.commit()
    every = RecordingFileCheck("test.all", FileSelector(all_text=True))
    result = run_checks(
        open_snapshot(repo.path), bound(every), cache=ResultCache(None), limits=Limits()
    )
    assert result.files.read == 2
    assert len(every.seen) == 2
    assert sorted(f.path or "" for f in result.outputs["test.all"].findings) == [
        "evil\\xff.py",
        "evil\\xff.py",
    ]


class SetFactsCheck(RecordingFileCheck):
    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        return FileResult(facts={"tags": {"a"}})


def test_facts_that_are_not_json_fail_closed(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    odd = SetFactsCheck("test.odd", FileSelector(all_text=True))
    result = run_checks(
        open_snapshot(repo.path), bound(odd), cache=ResultCache(None), limits=Limits()
    )
    assert result.failures == {
        "test.odd": "test.odd gave facts for 'a.py' that are not JSON: "
        "Object of type set is not JSON serializable"
    }


def test_a_check_running_a_tool_gets_the_tool_time_and_a_margin() -> None:
    from pydantic import BaseModel

    from assay.engine import Limits, product_budget

    class ToolParams(BaseModel):
        timeout_s: float = 600

    class Plain(BaseModel):
        pass

    limits = Limits(check_timeout_s=60)
    assert product_budget(ToolParams(), limits) == 630
    assert product_budget(ToolParams(timeout_s=5), limits) == 60
    assert product_budget(Plain(), limits) == 60


class BatchingFileCheck(RecordingFileCheck):
    """Scans many files in one call; the call fails when ``bad.txt`` is among them."""

    def __init__(self, check_id: str, selector: FileSelector, *, raising: bool = False) -> None:
        super().__init__(check_id, selector)
        self.batches: list[list[str]] = []
        self._raising = raising

    def scan_many(self, files: list[FileInput], params: NoParams) -> list[FileResult]:
        paths = [f.entry.path for f in files]
        self.batches.append(paths)
        if "bad.txt" in paths:
            raise ValueError("a batch with bad.txt")
        return [self.scan(f, params) for f in files]

    def scan(self, file: FileInput, params: NoParams) -> FileResult:
        if self._raising and file.entry.path == "bad.txt":
            raise ValueError("cannot parse this")
        return super().scan(file, params)


def test_a_check_that_scans_many_files_at_once_gets_them_in_batches(make_repo: Any) -> None:
    repo = make_repo("p", {f"f{n}.txt": f"{n}\n" for n in range(5)})
    batching = BatchingFileCheck("test.batch", FileSelector(all_text=True))
    one = RecordingFileCheck("test.one", FileSelector(all_text=True))
    snapshot = open_snapshot(repo.path)
    result = run_checks(snapshot, bound(batching, one), cache=ResultCache(None), limits=Limits())
    assert batching.batches == [[f"f{n}.txt" for n in range(5)]]
    assert [f.message for f in result.outputs["test.batch"].findings] == [
        f.message for f in result.outputs["test.one"].findings
    ]


def test_a_failing_batch_is_scanned_again_file_by_file_and_the_failure_names_the_file(
    make_repo: Any,
) -> None:
    repo = make_repo("p", {"a.txt": "a\n", "bad.txt": "b\n", "c.txt": "c\n"})
    forgiving = BatchingFileCheck("test.forgiving", FileSelector(all_text=True))
    raising = BatchingFileCheck("test.raising", FileSelector(all_text=True), raising=True)
    snapshot = open_snapshot(repo.path)
    result = run_checks(snapshot, bound(forgiving, raising), cache=ResultCache(None),
                        limits=Limits())  # fmt: skip
    # The batch failed as a whole; each file alone succeeded: the check is fine.
    assert [f.path for f in result.outputs["test.forgiving"].findings] == [
        "a.txt", "bad.txt", "c.txt",
    ]  # fmt: skip
    assert result.failures == {
        "test.raising": "test.raising failed on 'bad.txt': ValueError: cannot parse this"
    }
