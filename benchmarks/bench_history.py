#!/usr/bin/env python3
"""Speed of the history reader (``assay.history``) and the ``process.*`` checks.

A repository of 100,000 commits is generated with ``git fast-import`` from a seeded
random stream: 300 authors (a few do most of the work), 5,000 files in 100
folders, one commit in ten a pull request (two or three commits on a topic branch
merged with a merge commit), squash commits ending in ``(#N)``, commits with
``Reviewed-by:`` trailers, direct commits, a CHANGELOG updated now and then and an
annotated version tag every 1,000 commits. It is built once under
``benchmarks/.corpus/history-100k/`` and reused while its marker says it was built
by the same generator.

Timed, each the best of ``--repeat`` runs after a warm-up:

* ``git log`` alone: the reader's own ``git log`` command (without and with the
  changed paths), output thrown away: the floor, what git itself takes;
* the reader over every commit: all commits; first-parent line only; all commits
  with the changed paths (what ``process.maintenance`` reads);
* each ``process.*`` check with a window that holds the whole history.

Target: the reader over all 100,000 commits in at most 5 s. Usage::

    .venv/bin/python benchmarks/bench_history.py [--repeat N] [--commits N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
CORPUS_DIR = BENCH_DIR / ".corpus"
GENERATOR_VERSION = "1"
SEED = 20260101
START = 1_577_836_800  # 2020-01-01T00:00:00Z
STEP = 300  # seconds between commits: 100,000 commits span about 347 days
TARGET_S = 5.0
READER_ALL = "reader: all commits"

_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Assay Benchmark",
    "GIT_AUTHOR_EMAIL": "bench@assay.invalid",
    "GIT_COMMITTER_NAME": "Assay Benchmark",
    "GIT_COMMITTER_EMAIL": "bench@assay.invalid",
}


def _git(repo: Path, *args: str, stdin: Any = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=stdin is None,
        stdin=stdin,
        env={**os.environ, **_GIT_ENV},
    )


class StreamWriter:
    """Writes a fast-import stream: commits on main, topic branches, merges, tags."""

    def __init__(self, commits: int) -> None:
        self.random = random.Random(SEED)
        self.commits = commits
        self.written = 0
        self.mark = 0
        self.main: int | None = None
        self.pull = 0
        self.tags = 0
        authors = [(f"Developer {n}", f"dev{n}@example.com") for n in range(300)]
        weights = [1 / (rank + 1) for rank in range(len(authors))]
        self.author_pool = self.random.choices(authors, weights, k=4096)
        self.files = [f"pkg{n % 100}/module{n}.py" for n in range(5000)]

    def stream(self) -> Iterator[bytes]:
        while self.written < self.commits:
            kind = self.random.random()
            if kind < 0.1 and self.commits - self.written >= 4:
                yield from self._pull_request()
            elif kind < 0.3:
                self.pull += 1
                yield self._commit("refs/heads/main", f"Fix issue in module (#{self.pull})")
            elif kind < 0.45:
                yield self._commit("refs/heads/main", "Improve parsing\n\nReviewed-by: Rev <r@x>")
            else:
                yield self._commit("refs/heads/main", "Direct change")
            if self.written // 1000 > self.tags:
                self.tags += 1
                yield self._tag()

    def _tag(self) -> bytes:
        when = START + self.written * STEP
        message = f"release 1.{self.tags}.0\n".encode()
        return (
            (
                f"tag v1.{self.tags}.0\nfrom :{self.main}\n"
                f"tagger Release Bot <bot@example.com> {when} +0000\n"
                f"data {len(message)}\n"
            ).encode()
            + message
            + b"\n"
        )

    def _pull_request(self) -> Iterator[bytes]:
        self.pull += 1
        base = self.main
        topic = None
        for number in range(self.random.randint(2, 3)):
            topic = self.mark + 1
            parent = base if number == 0 else topic - 1
            yield self._commit(
                "refs/heads/topic", f"Work on feature {self.pull}", parent=parent, move_main=False
            )
        yield self._commit("refs/heads/main", f"Merge pull request #{self.pull} from dev/topic",
                           merge=topic, files=0)  # fmt: skip

    def _commit(
        self,
        ref: str,
        message: str,
        *,
        parent: int | None = None,
        merge: int | None = None,
        files: int | None = None,
        move_main: bool = True,
    ) -> bytes:
        self.mark += 1
        self.written += 1
        name, email = self.random.choice(self.author_pool)
        when = START + self.written * STEP
        data = message.encode() + b"\n"
        parts = [
            f"commit {ref}\nmark :{self.mark}\n"
            f"author {name} <{email}> {when} +0000\n"
            f"committer {name} <{email}> {when} +0000\n"
            f"data {len(data)}\n".encode(),
            data,
        ]
        start = self.main if parent is None else parent
        if start is not None:
            parts.append(f"from :{start}\n".encode())
        if merge is not None:
            parts.append(f"merge :{merge}\n".encode())
        count = self.random.randint(1, 3) if files is None else files
        changed = self.random.sample(self.files, count)
        if count and self.random.random() < 0.02:
            changed.append("CHANGELOG.md")
        for path in changed:
            content = f"# {path} at commit {self.written}\n".encode()
            parts.append(f"M 100644 inline {path}\ndata {len(content)}\n".encode())
            parts.append(content)
        parts.append(b"\n")
        if move_main:
            self.main = self.mark
        return b"".join(parts)


def build_corpus(commits: int) -> Path:
    repo = CORPUS_DIR / f"history-{commits // 1000}k"
    marker = CORPUS_DIR / f"history-{commits // 1000}k.json"
    expected = {"generator": GENERATOR_VERSION, "seed": SEED, "commits": commits}
    if marker.exists() and json.loads(marker.read_text()) == expected and repo.exists():
        print(f"reusing {repo}", file=sys.stderr)
        return repo
    print(f"building {repo} with git fast-import ...", file=sys.stderr)
    started = time.perf_counter()
    marker.unlink(missing_ok=True)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    process = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        stdin=subprocess.PIPE,
        env={**os.environ, **_GIT_ENV},
    )
    assert process.stdin is not None
    for record in StreamWriter(commits).stream():
        process.stdin.write(record)
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")
    _git(repo, "update-ref", "-d", "refs/heads/topic")
    marker.write_text(json.dumps(expected))
    print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return repo


def best_of(repeat: int, action: Callable[[], object]) -> tuple[float, object]:
    action()  # warm-up: page cache, imports
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    repo = build_corpus(options.commits)

    from assay.checks.process.maintenance import MaintenanceCheck, MaintenanceParams
    from assay.checks.process.releases import ReleasesCheck, ReleasesParams
    from assay.checks.process.review import ReviewCheck, ReviewParams
    from assay.checks.process.signatures import SignaturesCheck, SignaturesParams
    from assay.history import read_log
    from assay.history.log import _LOG_OPTIONS, _PATH_OPTIONS
    from assay.snapshot import open_snapshot
    from assay.snapshot.git import git_args

    head = _git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    everything = 100_000  # days: a window that holds the whole history

    def floor(*extra: str) -> Callable[[], int]:
        def run() -> int:
            args = git_args(repo, "log", *_LOG_OPTIONS, *extra, head)
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            return 0

        return run

    def reader(**options: bool) -> Callable[[], int]:
        return lambda: sum(1 for _ in read_log(repo, head, since=0, **options))

    def check(instance: Any, params: Any) -> Callable[[], int]:
        def run() -> int:
            snapshot = open_snapshot(repo)
            try:
                output = instance.run(snapshot, params)
            finally:
                snapshot.close()
            return len(output.measures)

        return run

    rows: list[tuple[str, float, object]] = []
    plan: list[tuple[str, Callable[[], object]]] = [
        ("git log alone (output discarded)", floor()),
        ("git log --name-only alone (output discarded)", floor(*_PATH_OPTIONS)),
        (READER_ALL, reader()),
        ("reader: first-parent line", reader(first_parent=True)),
        ("reader: all commits with changed paths", reader(paths=True)),
        ("process.review", check(ReviewCheck(), ReviewParams(window_days=everything))),
        ("process.signatures",
         check(SignaturesCheck(), SignaturesParams(window_days=everything))),
        ("process.releases", check(ReleasesCheck(), ReleasesParams(window_days=everything))),
        ("process.maintenance",
         check(MaintenanceCheck(), MaintenanceParams(window_days=everything))),
    ]  # fmt: skip
    for label, action in plan:
        seconds, result = best_of(options.repeat, action)
        rows.append((label, seconds, result))
        print(f"{label:<50} {seconds:7.3f} s   ({result})")
    seconds_all, commits_all = next((s, r) for label, s, r in rows if label == READER_ALL)
    verdict = "PASS" if seconds_all <= TARGET_S else "MISS"
    print(f"\nreader over {commits_all} commits: {seconds_all:.3f} s, target <= {TARGET_S} s: "
          f"{verdict}")  # fmt: skip
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, git "
          f"{_git(repo, 'version').stdout.decode().split()[-1]}")  # fmt: skip
    if options.json:
        options.json.write_text(json.dumps(
            {"rows": [{"label": label, "seconds": s, "result": r} for label, s, r in rows],
             "target_s": TARGET_S, "met": verdict == "PASS", "platform": platform.platform()},
            indent=2,
        ))  # fmt: skip
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
