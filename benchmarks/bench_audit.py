#!/usr/bin/env python3
"""Performance benchmark of ``assay audit`` on a real product: Django from its sdist.

The corpus is the Django source distribution, downloaded from the package
registry with pip, unpacked and committed into a git repository under
``benchmarks/.corpus/`` (gitignored; reused while intact). One run measures,
each as the best of ``--repeat`` repetitions with a warm page cache:

* the raw read: ``git ls-files -z | xargs -0 cat > /dev/null`` in the corpus;
* Assay's cold audit: ``audit_product`` with a fresh, empty result cache, timed
  inside a new interpreter (Assay imported before the clock starts, nothing else
  warmed), which is what the targets are judged on; the same in one long-lived
  interpreter after a warm-up audit (memoised tables already built); and end to
  end, ``assay audit REPO --format json`` as a subprocess with a fresh cache and
  a fresh store, which adds interpreter start-up, imports and the store write;
* the warm re-audit: the same cache again, in each of those three ways;
* the peak resident memory of the ``assay audit`` process;
* the time of ``assay --help`` and the heaviest imports of the CLI.

Only the standard library and Assay itself are used. Usage::

    .venv/bin/python benchmarks/bench_audit.py [--django-version X] [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import compileall
import gc
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS_DIR = BENCH_DIR / ".corpus"
DEFAULT_DJANGO_VERSION = "5.2.19"  # the latest 5.x release when this benchmark was written
MIB = 1024 * 1024

# Pinned identity and dates, so the corpus commit is the same on every machine.
_PINNED_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Assay Benchmark",
    "GIT_AUTHOR_EMAIL": "bench@assay.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_NAME": "Assay Benchmark",
    "GIT_COMMITTER_EMAIL": "bench@assay.invalid",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "LC_ALL": "C",
}
_GIT_OPTIONS = (
    "-c", "init.defaultBranch=main",
    "-c", "core.autocrlf=false",
    "-c", "commit.gpgsign=false",
    "-c", "core.hooksPath=/dev/null",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Target:
    """One goal of the issue: a measured value that must stay at or under a limit."""

    key: str
    label: str
    limit: float
    unit: str


TARGETS = (
    Target(key="cold_s", label="cold audit wall time", limit=1.0, unit="s"),
    Target(key="cold_over_raw", label="cold audit / raw read", limit=10.0, unit="x"),
    Target(key="warm_over_cold", label="warm re-audit / cold audit", limit=0.1, unit="x"),
    Target(key="warm_files_read", label="files read by the warm re-audit", limit=0, unit="files"),
    Target(key="peak_rss_mib", label="peak RSS of `assay audit`", limit=300.0, unit="MiB"),
    Target(key="help_s", label="`assay --help` wall time", limit=0.3, unit="s"),
)


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True, kw_only=True)
class Corpus:
    name: str
    version: str
    repo: Path
    commit: str
    files: int
    bytes: int


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **_PINNED_GIT_ENV}
    return subprocess.run(
        ["git", *_GIT_OPTIONS, "-C", str(repo), *args],
        env=env,
        capture_output=True,
        check=check,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_sdist(version: str, downloads: Path) -> Path:
    """The Django sdist tarball, from the cache folder or else from the package registry."""
    downloads.mkdir(parents=True, exist_ok=True)
    for name in (f"django-{version}.tar.gz", f"Django-{version}.tar.gz"):
        if (downloads / name).is_file():
            return downloads / name
    print(f"downloading the Django {version} sdist with pip ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--no-binary", ":all:", f"django=={version}", "-d", str(downloads)],
        check=True,
    )  # fmt: skip
    for name in (f"django-{version}.tar.gz", f"Django-{version}.tar.gz"):
        if (downloads / name).is_file():
            return downloads / name
    raise SystemExit(f"pip downloaded no django-{version}.tar.gz into {downloads}")


def _repo_is_intact(repo: Path, marker: Path, tarball_sha: str) -> bool:
    if not (repo / ".git").is_dir() or not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("tarball_sha256") != tarball_sha:
        return False
    head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if head.returncode != 0 or head.stdout.decode().strip() != recorded.get("commit"):
        return False
    # The raw-read baseline reads the work tree, so it must match the commit too.
    clean = _git(repo, "status", "--porcelain", "--untracked-files=all", check=False)
    return clean.returncode == 0 and not clean.stdout.strip()


def _build_repo(tarball: Path, repo: Path, corpus_dir: Path) -> None:
    """Unpack the sdist into a temporary folder, commit it, then move it into place."""
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=corpus_dir))
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        tops = [p for p in staging.iterdir()]
        if len(tops) != 1 or not tops[0].is_dir():
            raise SystemExit(f"{tarball}: expected one top-level folder, found {len(tops)}")
        tree = tops[0]
        _git(tree, "init", "--quiet")
        _git(tree, "add", "--all", "--force", ".")
        # No background auto-gc racing the timings: pack once, here, as a clone would be.
        _git(tree, "-c", "gc.auto=0", "commit", "--quiet", "--no-verify",
             "-m", f"{tarball.name} unpacked")  # fmt: skip
        _git(tree, "gc", "--quiet", "--prune=now")
        if repo.exists():
            shutil.rmtree(repo)
        tree.rename(repo)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def prepare_corpus(version: str, corpus_dir: Path) -> Corpus:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    tarball = _download_sdist(version, corpus_dir / "downloads")
    tarball_sha = _sha256(tarball)
    repo = corpus_dir / f"django-{version}"
    marker = corpus_dir / f"django-{version}.json"
    if _repo_is_intact(repo, marker, tarball_sha):
        print(f"reusing the corpus repository {repo}", file=sys.stderr)
    else:
        print(f"building the corpus repository {repo} ...", file=sys.stderr)
        marker.unlink(missing_ok=True)
        _build_repo(tarball, repo, corpus_dir)
        commit = _git(repo, "rev-parse", "HEAD").stdout.decode().strip()
        marker.write_text(
            json.dumps({"tarball": tarball.name, "tarball_sha256": tarball_sha, "commit": commit}),
            "utf-8",
        )
    commit = _git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    listing = _git(repo, "ls-tree", "-r", "-z", "--long", "HEAD").stdout
    files = total = 0
    for record in listing.split(b"\0"):
        if record:
            size = record.partition(b"\t")[0].split()[3]
            files += 1
            total += int(size) if size != b"-" else 0
    return Corpus(
        name="django", version=version, repo=repo, commit=commit, files=files, bytes=total
    )


# --------------------------------------------------------------------------- timing


def best_of(repeat: int, run: Callable[[], float], *, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        run()
    times = [run() for _ in range(repeat)]
    return min(times), times


def time_raw_read(repo: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["bash", "-c", "git ls-files -z | xargs -0 cat > /dev/null"], cwd=repo, check=True
    )
    return time.perf_counter() - started


# One audit_product call in a fresh interpreter: the imports of Assay are done (and
# timed apart) before the clock starts, but everything a first audit builds on the
# way (check modules, memoised tables such as the licence references) is not.
_AUDIT_CHILD = r"""
import gc, json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from assay.audit import AuditRequest, audit_product
from assay.cache import ResultCache
from assay.model import ProductInfo
from assay.policy import load_policy
import_s = time.perf_counter() - started
policy = load_policy(__import__("os").environ.get("ASSAY_BENCH_POLICY"))
request = AuditRequest(product=ProductInfo(name="django", path=sys.argv[1]), parallel=True)
cache = ResultCache(Path(sys.argv[2]))
gc.collect()
cpu = time.process_time()
started = time.perf_counter()
audit = audit_product(request, policy=policy, cache=cache)
wall = time.perf_counter() - started
cpu = time.process_time() - cpu
cache.close()
scale = 1 if sys.platform == "darwin" else 1024
print(json.dumps({
    "wall_s": wall, "cpu_s": cpu, "import_s": import_s,
    "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
    "files": audit.files.model_dump(mode="json"),
    "checks": [r.check_id for r in audit.checks],
    "check_durations_s": {r.check_id: r.duration_s for r in audit.checks},
    "check_errors": {r.check_id: r.error for r in audit.checks if r.error},
    "error_verdicts": {v.control_id: v.reason for v in audit.verdicts if v.status == "error"},
    "verdicts": {str(k): n for k, n in audit.summary.counts.items()},
}))
"""


@dataclass(kw_only=True)
class AuditRun:
    """One audit_product call, as reported by ``_AUDIT_CHILD`` or timed in this process."""

    wall_s: float
    cpu_s: float
    files: dict[str, Any]
    report: dict[str, Any]


@dataclass(kw_only=True)
class Series:
    """Cold and warm audits of one kind, repeated; the best of each is kept."""

    cold: list[AuditRun]
    warm: list[AuditRun]
    first_install: list[AuditRun] = field(default_factory=list)

    @property
    def cold_s(self) -> float:
        return min(r.wall_s for r in self.cold)

    @property
    def warm_s(self) -> float:
        return min(r.wall_s for r in self.warm)

    @property
    def cold_cpu_s(self) -> float:
        return min(r.cpu_s for r in self.cold)

    @property
    def warm_cpu_s(self) -> float:
        return min(r.cpu_s for r in self.warm)


def _audit_in_child(repo: Path, cache_file: Path) -> AuditRun:
    # ASSAY_CACHE_DIR too, so that whatever else Assay keeps in its cache folder
    # (not only the result cache passed in) starts empty for a cold audit.
    env = {**_clean_env(), "ASSAY_CACHE_DIR": str(cache_file.parent)}
    done = subprocess.run(
        [sys.executable, "-c", _AUDIT_CHILD, str(repo), str(cache_file)],
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"audit_product failed in a child process:\n{done.stderr.decode()}")
    report: dict[str, Any] = json.loads(done.stdout)
    return AuditRun(wall_s=report["wall_s"], cpu_s=report["cpu_s"], files=report["files"],
                    report=report)  # fmt: skip


def measure_fresh_process(repo: Path, repeat: int, scratch: Path) -> Series:
    """Cold then warm audit_product, each in a new interpreter, ``repeat`` times.

    The first round is a warm-up on a new installation: it also builds the licence
    index, which Assay keeps beside the result cache and builds once per machine.
    Every later cold audit starts with an empty result cache but with that index
    (copied in), as every audit after the first on a machine does; the warm-up's
    time is reported apart as the first audit on a new installation.
    """
    cold: list[AuditRun] = []
    warm: list[AuditRun] = []
    first_install: list[AuditRun] = []
    for index in range(repeat + 1):
        cache_file = scratch / f"child-{index}" / "results.sqlite3"
        if index:
            cache_file.parent.mkdir(parents=True)
            for index_file in (scratch / "child-0").glob("licence-corpus-*"):
                shutil.copy(index_file, cache_file.parent / index_file.name)
        first = _audit_in_child(repo, cache_file)
        again = _audit_in_child(repo, cache_file)
        if index:
            cold.append(first)
            warm.append(again)
        else:
            first_install.append(first)
    return Series(cold=cold, warm=warm, first_install=first_install)


def measure_long_lived(repo: Path, repeat: int, scratch: Path) -> Series:
    """Cold then warm audit_product in this one interpreter, after a warm-up audit.

    Memoised tables and imported check modules survive between audits here, as
    they would in a long-running service; the result cache is new for each cold run.
    """
    from assay.audit import AuditRequest, audit_product
    from assay.cache import ResultCache
    from assay.model import ProductInfo
    from assay.policy import load_policy

    os.environ["ASSAY_CACHE_DIR"] = str(scratch / "long-lived-cache")
    policy = load_policy(os.environ.get("ASSAY_BENCH_POLICY"))
    request = AuditRequest(product=ProductInfo(name="django", path=str(repo)))

    def audit(cache: ResultCache) -> AuditRun:
        gc.collect()
        cpu = time.process_time()
        started = time.perf_counter()
        result = audit_product(request, policy=policy, cache=cache)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        return AuditRun(wall_s=wall, cpu_s=cpu, files=result.files.model_dump(mode="json"),
                        report={})  # fmt: skip

    audit(ResultCache(None))
    cold: list[AuditRun] = []
    warm: list[AuditRun] = []
    for index in range(repeat):
        cache = ResultCache(scratch / f"inproc-{index}" / "results.sqlite3")
        try:
            cold.append(audit(cache))
            warm.append(audit(cache))
        finally:
            cache.close()
    return Series(cold=cold, warm=warm)


# A fresh interpreter that runs one command and reports its wall time and the peak
# RSS of the largest process in its tree (ru_maxrss of the waited-for children).
_RSS_PROBE = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
wall = time.perf_counter() - started
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
scale = 1 if sys.platform == "darwin" else 1024
try:
    files = json.loads(done.stdout)["files"]
except (ValueError, KeyError, TypeError):
    files = None
print(json.dumps({"wall_s": wall, "maxrss_bytes": maxrss * scale, "rc": done.returncode,
                  "files": files, "stderr": done.stderr.decode(errors="replace")[-2000:]}))
"""


@dataclass(kw_only=True)
class EndToEnd:
    cold_s: float
    warm_s: float
    cold_all: list[float]
    warm_all: list[float]
    peak_rss_mib: float
    cold_files: dict[str, Any] | None
    warm_files: dict[str, Any] | None


def _assay_executable() -> str:
    beside = Path(sys.executable).parent / "assay"
    if beside.is_file():
        return str(beside)
    found = shutil.which("assay")
    if found is None:
        raise SystemExit("the `assay` console script is not installed beside this Python")
    return found


def _probe(command: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, *command],
        env=env,
        capture_output=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    if report["rc"] not in (0, 1):  # 1: the audit found nonconformities, which is fine here
        raise SystemExit(f"`{' '.join(command)}` exited {report['rc']}:\n{report['stderr']}")
    return report


def _clean_env() -> dict[str, str]:
    # The user's store and cache stay out of the measurement; the chosen policy stays in.
    keep = {"ASSAY_BENCH_POLICY"}
    return {k: v for k, v in os.environ.items() if not k.startswith("ASSAY_") or k in keep}


def measure_end_to_end(repo: Path, repeat: int, scratch: Path) -> EndToEnd:
    command = [_assay_executable(), "audit", str(repo), "--format", "json"]
    if os.environ.get("ASSAY_BENCH_POLICY"):
        command += ["--policy", os.environ["ASSAY_BENCH_POLICY"]]
    cold_all: list[float] = []
    warm_all: list[float] = []
    peak = 0
    cold_files = warm_files = None
    for index in range(repeat + 1):  # the first round is a warm-up, not timed
        home = scratch / f"e2e-{index}"
        env = {
            **_clean_env(),
            "ASSAY_HOME": str(home / "home"),
            "ASSAY_CACHE_DIR": str(home / "cache"),
        }
        cold = _probe(command, env)
        warm = _probe(command, env)
        peak = max(peak, cold["maxrss_bytes"], warm["maxrss_bytes"])
        if index == 0:
            continue
        cold_all.append(cold["wall_s"])
        warm_all.append(warm["wall_s"])
        cold_files, warm_files = cold["files"], warm["files"]
    return EndToEnd(
        cold_s=min(cold_all),
        warm_s=min(warm_all),
        cold_all=cold_all,
        warm_all=warm_all,
        peak_rss_mib=peak / MIB,
        cold_files=cold_files,
        warm_files=warm_files,
    )


def time_python_startup() -> float:
    """The floor under any CLI time: a bare interpreter of this virtualenv starting and exiting."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=_clean_env(), check=True)
    return time.perf_counter() - started


def time_help() -> float:
    started = time.perf_counter()
    subprocess.run(
        [_assay_executable(), "--help"], env=_clean_env(), capture_output=True, check=True
    )
    return time.perf_counter() - started


def import_offenders(module_code: str, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` imports with the largest cumulative time under ``python -X importtime``."""
    command = [sys.executable, "-X", "importtime", "-c", module_code]
    subprocess.run(command, env=_clean_env(), capture_output=True, check=True)  # writes .pyc
    done = subprocess.run(command, env=_clean_env(), capture_output=True, check=True)
    rows: list[dict[str, Any]] = []
    for line in done.stderr.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        rows.append(
            {"module": name.strip(), "self_ms": int(self_us) / 1000,
             "cumulative_ms": int(cumulative_us) / 1000}
        )  # fmt: skip
    rows.sort(key=lambda r: r["cumulative_ms"], reverse=True)
    return rows[:top]


# --------------------------------------------------------------------------- report


def _verdict(value: float, target: Target) -> str:
    return "PASS" if value <= target.limit else "MISS"


def render_table(results: dict[str, Any]) -> str:
    corpus = results["corpus"]
    n = results["numbers"]
    rows = [
        ("corpus", f"{corpus['name']} {corpus['version']} sdist, {corpus['files']} files, "
                   f"{corpus['bytes'] / MIB:.1f} MiB ({corpus['bytes']} bytes)"),
        ("cores (os.cpu_count())", str(results["machine"]["cores"])),
        ("raw read (git ls-files | xargs cat)", f"{n['raw_read_s']:.3f} s"),
        ("cold audit: audit_product, fresh process",
         f"{n['cold_s']:.3f} s (CPU {n['cold_cpu_s']:.3f} s)"),
        ("cold / raw", f"{n['cold_over_raw']:.1f}x"),
        ("first audit of a new installation (builds the licence index)",
         f"{n['first_install_s']:.3f} s"),
        ("warm re-audit: audit_product, fresh process",
         f"{n['warm_s']:.3f} s (CPU {n['warm_cpu_s']:.3f} s)"),
        ("warm / cold", f"{n['warm_over_cold']:.3f}x"),
        ("files read: cold / warm", f"{n['cold_files_read']} / {n['warm_files_read']}"),
        ("import of assay.audit before the clock", f"{n['child_import_s']:.3f} s"),
        ("cold audit: audit_product, long-lived process",
         f"{n['ll_cold_s']:.3f} s (CPU {n['ll_cold_cpu_s']:.3f} s)"),
        ("warm re-audit: audit_product, long-lived process",
         f"{n['ll_warm_s']:.3f} s (CPU {n['ll_warm_cpu_s']:.3f} s)"),
        ("cold audit, end to end (assay audit --format json)", f"{n['e2e_cold_s']:.3f} s"),
        ("warm re-audit, end to end", f"{n['e2e_warm_s']:.3f} s"),
        ("peak RSS of assay audit", f"{n['peak_rss_mib']:.1f} MiB"),
        ("assay --help", f"{n['help_s']:.3f} s"),
        ("python -c pass (start-up floor)", f"{n['python_startup_s']:.3f} s"),
        ("load average, start / end", results["machine"]["loadavg"]),
    ]  # fmt: skip
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    lines.append("")
    lines.append("targets:")
    for target in TARGETS:
        value = n[target.key]
        lines.append(
            f"  {_verdict(value, target)}  {target.label}: {value:.3g} {target.unit} "
            f"(target <= {target.limit:g} {target.unit})"
        )
    return "\n".join(lines)


def _loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def _baseline_without(check_ids: Sequence[str], folder: Path) -> Path:
    """assay-baseline minus the controls that use ``check_ids``, as a policy file (JSON is YAML)."""
    from assay.policy import load_policy

    document = load_policy(None).policy.model_dump(mode="json", by_alias=True)
    document["id"] = "assay-baseline-without-" + "-".join(check_ids)
    document["controls"] = [
        c for c in document["controls"] if not set(c["checks"]) & set(check_ids)
    ]
    for check_id in check_ids:
        document["checks"].pop(check_id, None)
    path = folder / "policy.yaml"
    path.write_text(json.dumps(document, indent=2), "utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--django-version", default=DEFAULT_DJANGO_VERSION)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the best is kept")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument(
        "--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR,
        help="where the sdist and the corpus repository are kept (default: benchmarks/.corpus)",
    )  # fmt: skip
    parser.add_argument(
        "--without", action="append", default=[], metavar="CHECK_ID",
        help="audit with assay-baseline minus the controls and parameters of this check "
        "(e.g. the checks of a later issue, to judge an earlier issue's targets)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    import assay

    # An installed package has its bytecode compiled at install time; a source
    # checkout run with PYTHONDONTWRITEBYTECODE would compile every module at
    # every start instead, and time that rather than Assay.
    compileall.compile_dir(str(Path(assay.__file__).parent), quiet=1)
    corpus = prepare_corpus(args.django_version, args.corpus_dir.resolve())
    print(f"corpus: {corpus.repo} at {corpus.commit[:12]}", file=sys.stderr)
    load_start = _loadavg()

    raw_s, raw_all = best_of(args.repeat, lambda: time_raw_read(corpus.repo))
    with tempfile.TemporaryDirectory(prefix="assay-bench-") as tmp:
        scratch = Path(tmp)
        if args.without:
            os.environ["ASSAY_BENCH_POLICY"] = str(_baseline_without(args.without, scratch))
        fresh = measure_fresh_process(corpus.repo, args.repeat, scratch)
        long_lived = measure_long_lived(corpus.repo, args.repeat, scratch)
        e2e = measure_end_to_end(corpus.repo, args.repeat, scratch)
    help_s, help_all = best_of(5, time_help)
    startup_s, _ = best_of(5, time_python_startup)
    offenders = import_offenders("import assay.cli.main")
    cli_offenders = import_offenders(
        "import assay.cli.main, assay.cli.audit, assay.cli.history, assay.cli.admin"
    )

    audit_report = fresh.cold[-1].report
    numbers = {
        "raw_read_s": raw_s,
        "cold_s": fresh.cold_s,
        "cold_over_raw": fresh.cold_s / raw_s,
        "first_install_s": min(r.wall_s for r in fresh.first_install),
        "warm_s": fresh.warm_s,
        "warm_over_cold": fresh.warm_s / fresh.cold_s,
        "cold_files_read": fresh.cold[-1].files["read"],
        "cold_bytes_read": fresh.cold[-1].files["bytes_read"],
        "warm_files_read": max(r.files["read"] for r in fresh.warm),
        "child_import_s": min(r.report["import_s"] for r in fresh.cold),
        "ll_cold_s": long_lived.cold_s,
        "ll_warm_s": long_lived.warm_s,
        "ll_cold_cpu_s": long_lived.cold_cpu_s,
        "ll_warm_cpu_s": long_lived.warm_cpu_s,
        "ll_warm_over_cold": long_lived.warm_s / long_lived.cold_s,
        "e2e_cold_s": e2e.cold_s,
        "e2e_warm_s": e2e.warm_s,
        "e2e_warm_over_cold": e2e.warm_s / e2e.cold_s,
        "peak_rss_mib": e2e.peak_rss_mib,
        "help_s": help_s,
        "python_startup_s": startup_s,
        "cold_cpu_s": fresh.cold_cpu_s,
        "warm_cpu_s": fresh.warm_cpu_s,
    }
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "arch": platform.machine(),
            "python": platform.python_version(),
            "system": platform.platform(),
            # Other work on the machine inflates wall times; the 1-minute load tells how much.
            "loadavg": f"{load_start} / {_loadavg()}",
        },
        "assay_version": assay.__version__,
        "repeat": args.repeat,
        "corpus": {
            "name": corpus.name,
            "version": corpus.version,
            "commit": corpus.commit,
            "files": corpus.files,
            "bytes": corpus.bytes,
        },
        "numbers": numbers,
        "targets": {
            t.key: {"limit": t.limit, "value": numbers[t.key], "met": numbers[t.key] <= t.limit}
            for t in TARGETS
        },
        "samples": {
            "raw_read_s": raw_all,
            "cold_s": [r.wall_s for r in fresh.cold],
            "warm_s": [r.wall_s for r in fresh.warm],
            "ll_cold_s": [r.wall_s for r in long_lived.cold],
            "ll_warm_s": [r.wall_s for r in long_lived.warm],
            "e2e_cold_s": e2e.cold_all,
            "e2e_warm_s": e2e.warm_all,
            "help_s": help_all,
        },
        "audit": {
            "checks": audit_report["checks"],
            # Per check, from the cold audit of the last repetition: its own CheckRun timings.
            "cold_check_durations_s": audit_report["check_durations_s"],
            "warm_check_durations_s": fresh.warm[-1].report["check_durations_s"],
            "check_errors": audit_report["check_errors"],
            "error_verdicts": audit_report["error_verdicts"],
            "verdicts": audit_report["verdicts"],
            "cold_files": fresh.cold[-1].files,
            "warm_files": fresh.warm[-1].files,
            "e2e_cold_files": e2e.cold_files,
            "e2e_warm_files": e2e.warm_files,
        },
        "imports": {"assay.cli.main": offenders, "assay.cli (all commands)": cli_offenders},
    }

    print(render_table(results))
    if audit_report["check_errors"] or audit_report["error_verdicts"]:
        print("\nerrors in the audit (the cost of a check that did not run is not measured):")
        for check_id, reason in audit_report["check_errors"].items():
            print(f"  check {check_id}: {reason}")
        for control_id, reason in audit_report["error_verdicts"].items():
            print(f"  control {control_id}: {reason}")
    durations = audit_report["check_durations_s"]
    print("\ntime per check in the cold audit (CheckRun.duration_s, last repetition):")
    for check_id in sorted(durations, key=durations.__getitem__, reverse=True):
        print(f"  {durations[check_id]:7.3f} s  {check_id}")
    for title, rows in results["imports"].items():
        print(f"\nslowest imports of `import {title}` (python -X importtime, cumulative):")
        for row in rows:
            cumulative, own = row["cumulative_ms"], row["self_ms"]
            print(f"  {cumulative:8.1f} ms  (self {own:6.1f})  {row['module']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0 if all(v["met"] for v in results["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
