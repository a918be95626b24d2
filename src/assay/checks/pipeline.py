"""CI pipelines and their configuration: GitHub Actions, GitLab CI, dependency updates.

The workflow files are parsed as YAML with a safe loader and walked as data; nothing
in them is run or expanded. A workflow that cannot be parsed is a finding, never a
pass. Every check here depends only on the commit's files (cache scope ``tree``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, NoParams, finding
from assay.checks.config_files import ConfigYaml, load_yaml_files, matching, occurrence_keys
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot

NO_WORKFLOW = "no GitHub Actions workflow in .github/workflows/"
_WORKFLOW_PATH = re.compile(r"\.github/workflows/[^/]+\.ya?ml")
_GITLAB_CI = (".gitlab-ci.yml", ".gitlab-ci.yaml")
_FULL_SHA = re.compile(r"[0-9a-f]{40}")
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
# Context fields an outsider controls (GitHub Security Lab's list), as written in
# expressions; ``*`` and ``[n]`` indexes are matched by the lazy ``\S*?``.
_UNTRUSTED = re.compile(
    r"\bgithub\s*\.\s*head_ref\b"
    r"|\bgithub\.event\.(?:"
    r"issue\.(?:title|body)"
    r"|pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)"
    r"|(?:comment|review|review_comment)\.body"
    r"|discussion\.(?:title|body)"
    r"|pages\S*?\.page_name"
    r"|commits\S*?\.(?:message|author\.email|author\.name)"
    r"|head_commit\.(?:message|author\.email|author\.name)"
    r"|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.email|author\.name))"
    r")\b",
    re.IGNORECASE,
)
_UNTRUSTED_REF = re.compile(
    r"github\.event\.pull_request\.head|github\.head_ref|github\.event\.workflow_run\.head"
    r"|refs/pull/",
    re.IGNORECASE,
)
_DANGEROUS_TRIGGERS = ("pull_request_target", "workflow_run")
# GitLab CI top-level keywords that are not jobs.
_GITLAB_KEYWORDS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "spec", "before_script",
     "after_script", "cache", "services", "image"}
)  # fmt: skip
DEPENDENCY_UPDATE_FILES = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
)


class _ProductCheckBase:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    # 2: findings carry CWE ids.
    version: ClassVar[str] = "2"
    id: ClassVar[str]
    # The weakness every finding of the check stands for.
    cwe: ClassVar[tuple[int, ...]] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class _Hit:
    """A finding before its fingerprint key is made unique within the output."""

    rule: str
    message: str
    severity: Severity
    path: str
    line: int | None
    key: str


def _findings(check_id: str, hits: Sequence[_Hit], cwe: Sequence[int]) -> list[Finding]:
    keys = occurrence_keys([f"{hit.path}\x1f{hit.rule}\x1f{hit.key}" for hit in hits])
    return [
        finding(check_id, hit.rule, hit.message, severity=hit.severity, path=hit.path,
                start_line=hit.line, key=key.split("\x1f", 2)[2], cwe=cwe)
        for hit, key in zip(hits, keys, strict=True)
    ]  # fmt: skip


def _workflows(snapshot: Snapshot, check_id: str) -> tuple[list[ConfigYaml], list[Finding]] | None:
    entries = matching(snapshot.entries, lambda p: _WORKFLOW_PATH.fullmatch(p) is not None)
    if not entries:
        return None
    return load_yaml_files(snapshot, check_id, entries)


def _jobs(workflow: ConfigYaml) -> Iterator[tuple[str, dict[str, Any]]]:
    jobs = workflow.document.data.get("jobs")
    if isinstance(jobs, dict):
        for name, job in jobs.items():
            if isinstance(job, dict):
                yield name, job


def _steps(job: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    steps = job.get("steps")
    if isinstance(steps, list):
        for index, step in enumerate(steps):
            if isinstance(step, dict):
                yield index, step


def _triggers(workflow: ConfigYaml) -> set[str]:
    on = workflow.document.data.get("on")
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {item for item in on if isinstance(item, str)}
    if isinstance(on, dict):
        return set(on)
    return set()


# --------------------------------------------------------------------------- actions pinned


class ActionsPinnedParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    allow_tag_pinned_owners: list[str] = Field(
        default_factory=list,
        description="Owners (e.g. 'actions') whose actions may be pinned by tag or branch.",
    )


def _unpinned(uses: str, allowed: set[str]) -> bool:
    if uses.startswith("./"):
        return False
    if uses.startswith("docker://"):
        return _DIGEST.search(uses) is None
    name, _, ref = uses.partition("@")
    if name.split("/", 1)[0].lower() in allowed:
        return False
    return _FULL_SHA.fullmatch(ref) is None


class _WorkflowCheck(_ProductCheckBase):
    """A check judging each GitHub workflow on its own; subclasses say how."""

    def run(self, snapshot: Snapshot, params: Any) -> CheckOutput:
        loaded = _workflows(snapshot, self.id)
        if loaded is None:
            return CheckOutput(not_applicable=NO_WORKFLOW)
        workflows, problems = loaded
        hits = [hit for workflow in workflows for hit in self.judge(workflow, params)]
        findings = [*problems, *_findings(self.id, hits, self.cwe)]
        return CheckOutput(findings=findings, measures=self.measures(workflows, hits, params))

    def judge(self, workflow: ConfigYaml, params: Any) -> list[_Hit]:
        raise NotImplementedError

    def measures(self, workflows: list[ConfigYaml], hits: list[_Hit], params: Any) -> list[Measure]:
        return []


class ActionsPinnedCheck(_WorkflowCheck):
    id: ClassVar[str] = "pipeline.actions-pinned"
    cwe: ClassVar[tuple[int, ...]] = (829,)  # untrusted control sphere
    description: ClassVar[str] = (
        "Actions and reusable workflows used by GitHub workflows are pinned by full commit SHA."
    )
    Params: ClassVar[type[BaseModel]] = ActionsPinnedParams

    def judge(self, workflow: ConfigYaml, params: ActionsPinnedParams) -> list[_Hit]:
        allowed = {owner.lower() for owner in params.allow_tag_pinned_owners}
        hits: list[_Hit] = []
        for job_name, uses, where in _uses(workflow):
            if not uses.startswith("./") and _unpinned(uses, allowed):
                line = workflow.line_of(*where)
                message = (
                    f"{workflow.path}:{line}: job {job_name} uses {uses}, "
                    "not pinned to a full commit SHA"
                )
                hits.append(_Hit(rule=f"{self.id}.unpinned", message=message,
                                 severity=Severity.MEDIUM, path=workflow.path, line=line,
                                 key=f"{job_name}:{uses.partition('@')[0]}"))  # fmt: skip
        return hits

    def measures(
        self, workflows: list[ConfigYaml], hits: list[_Hit], params: ActionsPinnedParams
    ) -> list[Measure]:
        used = sum(1 for w in workflows for _, uses, _ in _uses(w) if not uses.startswith("./"))
        return [
            Measure(check_id=self.id, name="pipeline.action_uses", value=used, unit="uses"),
            Measure(check_id=self.id, name="pipeline.unpinned_uses", value=len(hits), unit="uses"),
        ]


def _uses(workflow: ConfigYaml) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(job, ``uses`` value, key path) of every job-level and step-level ``uses``."""
    for job_name, job in _jobs(workflow):
        if isinstance(job.get("uses"), str):
            yield job_name, job["uses"].strip(), ("jobs", job_name, "uses")
        for index, step in _steps(job):
            if isinstance(step.get("uses"), str):
                yield job_name, step["uses"].strip(), ("jobs", job_name, "steps", index, "uses")


# --------------------------------------------------------------------------- permissions


class PermissionsCheck(_WorkflowCheck):
    id: ClassVar[str] = "pipeline.permissions"
    cwe: ClassVar[tuple[int, ...]] = (250,)  # execution with unnecessary privileges
    description: ClassVar[str] = (
        "Each GitHub workflow declares its token permissions, and none is write-all."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def measures(
        self, workflows: list[ConfigYaml], hits: list[_Hit], params: NoParams
    ) -> list[Measure]:
        return [
            Measure(check_id=self.id, name="pipeline.workflows", value=len(workflows),
                    unit="files")
        ]  # fmt: skip

    def judge(self, workflow: ConfigYaml, params: NoParams) -> list[_Hit]:
        hits: list[_Hit] = []
        data = workflow.document.data
        places: list[tuple[str, tuple[str, ...]]] = []
        if "permissions" in data:
            places.append(("the workflow", ("permissions",)))
        jobs = list(_jobs(workflow))
        for job_name, job in jobs:
            if "permissions" in job:
                places.append((f"job {job_name}", ("jobs", job_name, "permissions")))
        for where, path in places:
            value = data
            for step in path:
                value = value[step]
            if isinstance(value, str) and value.strip().lower() == "write-all":
                line = workflow.line_of(*path)
                message = (
                    f"{workflow.path}:{line}: {where} grants write-all permissions to "
                    "the GITHUB_TOKEN"
                )
                hits.append(_Hit(rule=f"{self.id}.write-all", message=message,
                                 severity=Severity.HIGH, path=workflow.path, line=line,
                                 key=where))  # fmt: skip
        if "permissions" not in data:
            bare = [name for name, job in jobs if "permissions" not in job]
            if bare or not jobs:
                names = ", ".join(bare) if bare else "none"
                message = (
                    f"{workflow.path}: no permissions: at workflow level, and jobs without "
                    f"their own: {names}"
                )
                hits.append(_Hit(rule=f"{self.id}.missing", message=message,
                                 severity=Severity.LOW, path=workflow.path, line=None,
                                 key=""))  # fmt: skip
        return hits


# --------------------------------------------------------------------------- dangerous triggers


class DangerousTriggersCheck(_WorkflowCheck):
    id: ClassVar[str] = "pipeline.dangerous-triggers"
    cwe: ClassVar[tuple[int, ...]] = (829,)  # untrusted code run with the repository's tokens
    description: ClassVar[str] = (
        "Privileged workflows (pull_request_target, workflow_run) never check out the "
        "code of the pull request."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def judge(self, workflow: ConfigYaml, params: NoParams) -> list[_Hit]:
        hits: list[_Hit] = []
        triggers = [t for t in _DANGEROUS_TRIGGERS if t in _triggers(workflow)]
        if not triggers:
            return hits
        for job_name, job in _jobs(workflow):
            for index, step in _steps(job):
                ref = _checkout_ref(step)
                if ref is None or _UNTRUSTED_REF.search(ref) is None:
                    continue
                line = workflow.line_of("jobs", job_name, "steps", index, "with", "ref")
                message = (
                    f"{workflow.path}:{line}: job {job_name} checks out untrusted code "
                    f"(ref: {ref.strip()}) in a {' and '.join(triggers)} workflow"
                )
                hits.append(_Hit(rule=f"{self.id}.untrusted-checkout", message=message,
                                 severity=Severity.HIGH, path=workflow.path, line=line,
                                 key=job_name))  # fmt: skip
        return hits


def _checkout_ref(step: dict[str, Any]) -> str | None:
    uses = step.get("uses")
    if not isinstance(uses, str) or not uses.strip().lower().startswith("actions/checkout@"):
        return None
    with_ = step.get("with")
    if not isinstance(with_, dict):
        return None
    ref = with_.get("ref")
    return ref if isinstance(ref, str) else None


# --------------------------------------------------------------------------- script injection


class ScriptInjectionCheck(_WorkflowCheck):
    id: ClassVar[str] = "pipeline.script-injection"
    cwe: ClassVar[tuple[int, ...]] = (78,)  # OS command injection
    description: ClassVar[str] = (
        "No run: script of a GitHub workflow expands a context field an outsider controls."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def judge(self, workflow: ConfigYaml, params: NoParams) -> list[_Hit]:
        hits: list[_Hit] = []
        lines = workflow.text.splitlines()
        for job_name, job in _jobs(workflow):
            for index, step in _steps(job):
                script = step.get("run")
                if not isinstance(script, str):
                    continue
                start = workflow.line_of("jobs", job_name, "steps", index, "run")
                for match in _EXPRESSION.finditer(script):
                    field = _UNTRUSTED.search(match.group(1))
                    if field is None:
                        continue
                    line = _line_containing(lines, start, match.group())
                    message = (
                        f"{workflow.path}:{line}: job {job_name} expands "
                        f"{field.group()} inside a run: script; pass it through env: "
                        "and quote the variable"
                    )
                    hits.append(_Hit(rule=f"{self.id}.untrusted-input", message=message,
                                     severity=Severity.HIGH, path=workflow.path, line=line,
                                     key=f"{job_name}:{field.group()}"))  # fmt: skip
        return hits


def _line_containing(lines: Sequence[str], start: int, text: str) -> int:
    """The first line from ``start`` holding ``text`` (the value's own line if none does)."""
    for number in range(start, len(lines) + 1):
        if text in lines[number - 1]:
            return number
    return start


# --------------------------------------------------------------------------- GitLab images


class GitlabImagesPinnedCheck(_ProductCheckBase):
    id: ClassVar[str] = "pipeline.gitlab-images-pinned"
    cwe: ClassVar[tuple[int, ...]] = (829,)  # untrusted control sphere
    description: ClassVar[str] = "Images and services of GitLab CI jobs are pinned by digest."
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        entries = matching(snapshot.entries, lambda p: p in _GITLAB_CI)
        if not entries:
            return CheckOutput(not_applicable="no .gitlab-ci.yml at the repository root")
        files, problems = load_yaml_files(snapshot, self.id, entries)
        hits: list[_Hit] = []
        images = 0
        for file in files:
            for where, image, path in _gitlab_images(file.document.data):
                images += 1
                if _DIGEST.search(image) is not None:
                    continue
                line = file.line_of(*path)
                message = (
                    f"{file.path}:{line}: {where} uses {image}, not pinned by digest (@sha256:)"
                )
                hits.append(_Hit(rule=f"{self.id}.unpinned", message=message,
                                 severity=Severity.MEDIUM, path=file.path, line=line,
                                 key=f"{where}:{image.partition('@')[0]}"))  # fmt: skip
        measures = [
            Measure(check_id=self.id, name="pipeline.gitlab_images", value=images, unit="images")
        ]
        findings = [*problems, *_findings(self.id, hits, self.cwe)]
        return CheckOutput(findings=findings, measures=measures)


def _gitlab_images(data: dict[str, Any]) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(where, image, key path) of every image and service, globally, in default: and jobs."""
    owners: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [("the pipeline", data, ())]
    if isinstance(data.get("default"), dict):
        owners.append(("default", data["default"], ("default",)))
    for name, job in data.items():
        if name not in _GITLAB_KEYWORDS and isinstance(job, dict):
            owners.append((f"job {name}", job, (name,)))
    for where, owner, path in owners:
        image = _image_name(owner.get("image"))
        if image is not None:
            spot: tuple[str | int, ...] = (*path, "image")
            yield where, image, (*spot, "name") if isinstance(owner["image"], dict) else spot
        services = owner.get("services")
        if isinstance(services, list):
            for index, service in enumerate(services):
                service_image = _image_name(service)
                if service_image is not None:
                    spot = (*path, "services", index)
                    yield (f"{where} (service)", service_image,
                           (*spot, "name") if isinstance(service, dict) else spot)  # fmt: skip


def _image_name(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


# --------------------------------------------------------------------------- dependency updates


class DependencyUpdatesCheck(_ProductCheckBase):
    id: ClassVar[str] = "pipeline.dependency-updates"
    cwe: ClassVar[tuple[int, ...]] = (1104,)  # use of unmaintained third-party components
    # 2: not applicable without anything to update (no dependency manifest, no workflow).
    # 3: findings carry CWE ids.
    version: ClassVar[str] = "3"
    description: ClassVar[str] = "A dependency update tool (Dependabot, Renovate) is configured."
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        if not _has_dependency_files(snapshot) and not any(
            e.path.startswith(".github/workflows/") for e in snapshot.entries
        ):
            return CheckOutput(
                not_applicable="nothing to update: no dependency manifest and no workflow"
            )
        found = [
            entry.path
            for entry in snapshot.entries
            if entry.path in DEPENDENCY_UPDATE_FILES and entry.kind in READABLE_KINDS
        ]
        measure = Measure(
            check_id=self.id, name="pipeline.dependency_update_configs", value=len(found),
            unit="files",
        )  # fmt: skip
        if found:
            return CheckOutput(measures=[measure])
        message = (
            "no Dependabot or Renovate configuration (.github/dependabot.yml, renovate.json, "
            ".github/renovate.json, .renovaterc, ... looked for)"
        )
        return CheckOutput(
            findings=[
                finding(self.id, f"{self.id}.missing", message, severity=Severity.LOW, cwe=self.cwe)
            ],
            measures=[measure],
        )


def _has_dependency_files(snapshot: Snapshot) -> bool:
    from assay.deps.inventory import VENDORED
    from assay.deps.parsers import load_parsers

    parsers = load_parsers()
    return any(
        parsers.for_path(e.path) is not None and not VENDORED.intersection(e.path.split("/"))
        for e in snapshot.entries
    )
