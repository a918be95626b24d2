"""Repository hygiene: the files a well-kept product carries (README, SECURITY.md, ...).

These are product checks over the file index; the few files whose content
matters (README, SECURITY.md, CODEOWNERS) are read through the snapshot with a
size limit. Their output depends only on the commit's files, so they are cached
by tree id.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, NoParams, finding
from assay.model import EntryKind, FileEntry, Finding, Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot, read_one

_READ_LIMIT = 1024 * 1024
_DOC_DIRS = ("", ".github", "docs")
# GitHub reads .github/ first, then the root, then docs/; GitLab also knows .gitlab/.
# When several exist, the one the forge obeys is the one judged.
_CODEOWNERS_DIRS = (".github", "", "docs", ".gitlab")


def find_doc(
    entries: Sequence[FileEntry], stems: Iterable[str], dirs: Iterable[str] = _DOC_DIRS
) -> FileEntry | None:
    """First file named like ``stems`` (any case, any extension) in ``dirs``, in that order.

    Within a folder a regular file wins over a symlink or submodule of the same
    stem, so a stray ``README`` link does not hide a real ``README.md``.
    """
    wanted_stems = {s.lower() for s in stems}
    dirs = tuple(dirs)
    wanted_dirs = set(dirs)
    by_dir: dict[str, list[FileEntry]] = {}
    for entry in entries:
        slash = entry.path.rfind("/")
        directory = entry.path[:slash] if slash >= 0 else ""
        if directory in wanted_dirs:
            by_dir.setdefault(directory, []).append(entry)
    for directory in dirs:
        candidates = sorted(
            by_dir.get(directory, []), key=lambda e: (e.kind not in READABLE_KINDS, e.path)
        )
        for entry in candidates:
            name = posixpath.basename(entry.path).lower()
            if name.split(".", 1)[0] in wanted_stems:
                return entry
    return None


def _read_text(snapshot: Snapshot, entry: FileEntry) -> str | None:
    if entry.kind not in READABLE_KINDS:
        return None
    data = read_one(snapshot, entry.path, limit=_READ_LIMIT)
    return None if data is None else data.decode("utf-8", "replace")


class _ProductCheckBase:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    version: ClassVar[str] = "1"


# Version 2 of the checks that read a file: the reason a file is not read is told
# precisely (and a CODEOWNERS that is not read is no longer called empty), and a
# regular file wins over a symlink of the same stem.
_READING_VERSION = "2"


class ReadmeParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_lines: int = Field(default=10, ge=0, description="Non-blank lines a README must have.")


class ReadmeCheck(_ProductCheckBase):
    id: ClassVar[str] = "hygiene.readme"
    version: ClassVar[str] = _READING_VERSION
    description: ClassVar[str] = "A README at the root, long enough to say what the product is."
    Params: ClassVar[type[BaseModel]] = ReadmeParams

    def run(self, snapshot: Snapshot, params: ReadmeParams) -> CheckOutput:
        entry = find_doc(snapshot.entries, ["readme"], dirs=[""])
        if entry is None:
            return CheckOutput(
                findings=[
                    finding(self.id, "hygiene.readme.missing", "no README at the repository root",
                            severity=Severity.MEDIUM)
                ]
            )  # fmt: skip
        text = _read_text(snapshot, entry)
        if text is None:
            return CheckOutput(findings=[_unreadable(self.id, "hygiene.readme.missing", entry)])
        lines = sum(1 for line in text.splitlines() if line.strip())
        measure = Measure(check_id=self.id, name="readme.lines", value=lines, unit="lines")
        if lines >= params.min_lines:
            return CheckOutput(measures=[measure])
        message = (
            f"{entry.path} has {lines} non-blank line{'s' if lines != 1 else ''}; "
            f"at least {params.min_lines} required"
        )
        return CheckOutput(
            findings=[
                finding(self.id, "hygiene.readme.too-short", message, severity=Severity.LOW,
                        path=entry.path)
            ],
            measures=[measure],
        )  # fmt: skip


def _unreadable(
    check_id: str, rule: str, entry: FileEntry, severity: Severity = Severity.MEDIUM
) -> Finding:
    if entry.kind == EntryKind.SYMLINK:
        what = "a symlink"
    elif entry.kind == EntryKind.SUBMODULE:
        what = "a submodule"
    elif entry.size > _READ_LIMIT:
        what = f"larger than {_READ_LIMIT} bytes"
    else:
        what = "not a readable regular file"
    return finding(
        check_id, rule, f"{entry.path} is {what}; it is not read", severity=severity,
        path=entry.path,
    )  # fmt: skip


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")
_ADVISORY = re.compile(r"security advisor(y|ies)|report a vulnerability", re.IGNORECASE)


class SecurityPolicyCheck(_ProductCheckBase):
    id: ClassVar[str] = "hygiene.security-policy"
    version: ClassVar[str] = _READING_VERSION
    description: ClassVar[str] = (
        "A SECURITY.md (root, .github/ or docs/) that says how to report a vulnerability."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        entry = find_doc(snapshot.entries, ["security"])
        if entry is None:
            message = "no SECURITY.md in the root, .github/ or docs/"
            return CheckOutput(
                findings=[finding(self.id, "hygiene.security-policy.missing", message,
                                  severity=Severity.MEDIUM)]
            )  # fmt: skip
        text = _read_text(snapshot, entry)
        if text is None:
            return CheckOutput(
                findings=[_unreadable(self.id, "hygiene.security-policy.missing", entry)]
            )
        if _EMAIL.search(text) or _URL.search(text) or _ADVISORY.search(text):
            return CheckOutput()
        message = f"{entry.path} gives no contact (an e-mail address or a URL to report to)"
        return CheckOutput(
            findings=[finding(self.id, "hygiene.security-policy.no-contact", message,
                              severity=Severity.LOW, path=entry.path)]
        )  # fmt: skip


_OWNER = re.compile(r"@[\w./-]+|[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _names_owner(line: str) -> bool:
    """Whether a CODEOWNERS line is a pattern (or GitLab section) followed by an owner.

    A line that is only an owner has no pattern, so it assigns nothing.
    """
    words = line.split()
    if not words or words[0].startswith("#"):
        return False
    for word in words[1:]:
        if word.startswith("#"):  # the rest of the line is a comment
            return False
        if _OWNER.fullmatch(word):
            return True
    return False


class CodeownersCheck(_ProductCheckBase):
    id: ClassVar[str] = "hygiene.codeowners"
    # 3: .github/CODEOWNERS is judged first, as GitHub reads it first.
    version: ClassVar[str] = "3"
    description: ClassVar[str] = (
        "A CODEOWNERS file (.github/, root, docs/ or .gitlab/) naming owners."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        entry = find_doc(snapshot.entries, ["codeowners"], dirs=_CODEOWNERS_DIRS)
        if entry is None:
            message = "no CODEOWNERS in .github/, the root, docs/ or .gitlab/"
            return CheckOutput(
                findings=[finding(self.id, "hygiene.codeowners.missing", message,
                                  severity=Severity.LOW)]
            )  # fmt: skip
        text = _read_text(snapshot, entry)
        if text is None:
            return CheckOutput(
                findings=[_unreadable(self.id, "hygiene.codeowners.missing", entry, Severity.LOW)]
            )
        rules = [line for line in text.splitlines() if _names_owner(line)]
        measure = Measure(check_id=self.id, name="codeowners.rules", value=len(rules), unit="rules")
        if rules:
            return CheckOutput(measures=[measure])
        message = f"{entry.path} names no owner (no line with a pattern and an @owner)"
        return CheckOutput(
            findings=[finding(self.id, "hygiene.codeowners.empty", message,
                              severity=Severity.LOW, path=entry.path)],
            measures=[measure],
        )  # fmt: skip


class _PresenceCheck(_ProductCheckBase):
    """A check that passes when a file named like one of ``stems`` exists in ``dirs``."""

    stems: ClassVar[tuple[str, ...]]
    dirs: ClassVar[tuple[str, ...]] = _DOC_DIRS
    severity: ClassVar[Severity] = Severity.LOW
    missing_message: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        entry = find_doc(snapshot.entries, self.stems, dirs=self.dirs)
        if entry is not None:
            return CheckOutput()
        return CheckOutput(
            findings=[finding(self.id, f"{self.id}.missing", self.missing_message,  # type: ignore[attr-defined]
                              severity=self.severity)]
        )  # fmt: skip


class ContributingCheck(_PresenceCheck):
    id: ClassVar[str] = "hygiene.contributing"
    description: ClassVar[str] = "A CONTRIBUTING guide (root, .github/ or docs/)."
    stems = ("contributing",)
    missing_message = "no CONTRIBUTING guide in the root, .github/ or docs/"


class ChangelogCheck(_PresenceCheck):
    id: ClassVar[str] = "hygiene.changelog"
    description: ClassVar[str] = "A CHANGELOG (or CHANGES, HISTORY, NEWS) in the root or docs/."
    stems = ("changelog", "changes", "history", "news")
    dirs = ("", "docs")
    missing_message = "no CHANGELOG, CHANGES, HISTORY or NEWS file in the root or docs/"


class GitignoreCheck(_PresenceCheck):
    id: ClassVar[str] = "hygiene.gitignore"
    description: ClassVar[str] = "A .gitignore at the root, so build output and secrets stay out."
    stems = ("",)  # ".gitignore" splits to stem "" and extension "gitignore"
    dirs = ("",)
    missing_message = "no .gitignore at the repository root"

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        if any(e.path == ".gitignore" for e in snapshot.entries):
            return CheckOutput()
        return CheckOutput(
            findings=[finding(self.id, "hygiene.gitignore.missing", self.missing_message,
                              severity=self.severity)]
        )  # fmt: skip


# CI provider -> glob patterns of its configuration files (paths from the root).
CI_PROVIDERS: dict[str, tuple[str, ...]] = {
    "github-actions": (".github/workflows/*.yml", ".github/workflows/*.yaml"),
    "gitlab-ci": (".gitlab-ci.yml", ".gitlab-ci.yaml"),
    "jenkins": ("Jenkinsfile", "jenkinsfile", "*.jenkinsfile", "Jenkinsfile.*"),
    "azure-pipelines": ("azure-pipelines.yml", "azure-pipelines.yaml", ".azure-pipelines/*.yml"),
    "circleci": (".circleci/config.yml", ".circleci/config.yaml"),
    "bitbucket-pipelines": ("bitbucket-pipelines.yml",),
    "travis": (".travis.yml",),
    "buildkite": (".buildkite/*.yml", ".buildkite/*.yaml", "buildkite.yml", "buildkite.yaml"),
    "drone": (".drone.yml", ".drone.yaml"),
}


def _glob_regex(glob: str) -> str:
    """A glob as a regex in which ``*`` stays within one folder."""
    return "".join("[^/]*" if char == "*" else re.escape(char) for char in glob)


# One regex for all providers: a path is matched once, and the group says which provider.
_CI_PATTERN = re.compile(
    "|".join(
        f"(?P<p{index}>{'|'.join(_glob_regex(g) for g in globs)})"
        for index, globs in enumerate(CI_PROVIDERS.values())
    )
)
_CI_NAMES = {f"p{index}": provider for index, provider in enumerate(CI_PROVIDERS)}


def ci_providers(entries: Sequence[FileEntry]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in entries:
        match = _CI_PATTERN.fullmatch(entry.path)
        if match is not None and match.lastgroup is not None:
            found.setdefault(_CI_NAMES[match.lastgroup], []).append(entry.path)
    return {provider: sorted(found[provider]) for provider in CI_PROVIDERS if provider in found}


class CiConfigCheck(_ProductCheckBase):
    id: ClassVar[str] = "hygiene.ci-config"
    description: ClassVar[str] = (
        "Configuration of a CI service, so every change is built and tested."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        found = ci_providers(snapshot.entries)
        measures = [
            Measure(check_id=self.id, name="ci.config_files", value=len(paths), unit="files",
                    labels={"provider": provider})
            for provider, paths in found.items()
        ]  # fmt: skip
        if found:
            return CheckOutput(measures=measures)
        message = "no CI configuration found (" + ", ".join(CI_PROVIDERS) + " looked for)"
        return CheckOutput(
            findings=[finding(self.id, "hygiene.ci-config.missing", message,
                              severity=Severity.MEDIUM)]
        )  # fmt: skip


_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs", "testing", "t"})
_TEST_NAMES = (
    "test_*.py", "*_test.py", "*_test.go", "*.test.js", "*.test.ts", "*.test.jsx", "*.test.tsx",
    "*.spec.js", "*.spec.ts", "*.spec.jsx", "*.spec.tsx", "*Test.java", "*Tests.java",
    "*Test.kt", "*Tests.cs", "*Test.cs", "*_spec.rb", "*_test.rb", "*Test.php", "*_test.rs",
    "*Tests.swift", "*_test.exs", "*_test.c", "*_test.cc", "*_test.cpp",
)  # fmt: skip


_TEST_NAME_PATTERN = re.compile("|".join(_glob_regex(name) for name in _TEST_NAMES))


_TEST_DIR_PATTERN = re.compile(
    "(?:^|/)(?:" + "|".join(re.escape(d) for d in sorted(_TEST_DIRS)) + ")/", re.IGNORECASE
)


def is_test_file(path: str) -> bool:
    if _TEST_DIR_PATTERN.search(path) is not None:
        return True
    return _TEST_NAME_PATTERN.fullmatch(path.rsplit("/", 1)[-1]) is not None


class TestsPresentCheck(_ProductCheckBase):
    id: ClassVar[str] = "hygiene.tests-present"
    description: ClassVar[str] = (
        "Automated tests in the repository (by test folders and file names)."
    )
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        count = sum(
            1 for e in snapshot.entries if e.kind in READABLE_KINDS and is_test_file(e.path)
        )
        measure = Measure(check_id=self.id, name="tests.files", value=count, unit="files")
        if count:
            return CheckOutput(measures=[measure])
        message = "no test files found (no tests/ folder, no test_*.py, *_test.go, *.spec.ts, ...)"
        return CheckOutput(
            findings=[finding(self.id, "hygiene.tests-present.missing", message,
                              severity=Severity.MEDIUM)],
            measures=[measure],
        )  # fmt: skip
