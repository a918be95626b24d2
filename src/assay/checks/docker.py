"""Dockerfiles: pinned base images, a non-root user, no remote ADD, no baked-in secrets.

Dockerfiles are parsed by a small line parser of our own (continuation lines,
comments, parser directives, heredoc bodies skipped, JSON-form arguments); nothing
is built or run. Every check here depends only on the commit's files.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import BaseModel

from assay.checks.api import CheckOutput, NoParams, finding
from assay.checks.config_files import ConfigText, matching, occurrence_keys, read_texts
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import Snapshot

NO_DOCKERFILE = "no Dockerfile or Containerfile in the repository"
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
_DIRECTIVE = re.compile(r"#\s*(\w+)\s*=\s*(\S+)\s*$")
_HEREDOC = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][\w.-]*)\1")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)(?::?[-+][^}]*)?\}|([A-Za-z_]\w*))")
_SECRET_NAME = re.compile(
    r"passw(?:or)?d|passwd|secret|token|api_?key|private_?key|access_?key|credential",
    re.IGNORECASE,
)
# A name ending like this points at where a secret is, not at the secret.
_SECRET_POINTER = re.compile(r"_(?:FILE|PATH|DIR|URL|NAME|ID)$", re.IGNORECASE)


def is_dockerfile(path: str) -> bool:
    name = posixpath.basename(path)
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or name.endswith((".Dockerfile", ".Containerfile"))
    )


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True, kw_only=True, slots=True)
class Instruction:
    """One instruction: keyword in upper case, arguments joined onto one line, its lines."""

    keyword: str
    arguments: str
    line: int
    end_line: int

    def flags(self) -> tuple[dict[str, str], str]:
        """Leading ``--name=value`` flags, and the arguments after them."""
        flags: dict[str, str] = {}
        rest = self.arguments.strip()
        while rest.startswith("--"):
            word, _, after = rest.partition(" ")
            name, _, value = word[2:].partition("=")
            flags[name.lower()] = value
            rest = after.strip()
        return flags, rest


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions of a Dockerfile, as Docker's own parser splits them."""
    lines = text.splitlines()
    escape = "\\"
    instructions: list[Instruction] = []
    index = 0
    in_directives = True
    while index < len(lines):
        stripped = lines[index].strip()
        if in_directives:
            directive = _DIRECTIVE.fullmatch(stripped)
            if directive is not None:
                if directive.group(1).lower() == "escape" and directive.group(2) in ("\\", "`"):
                    escape = directive.group(2)
                index += 1
                continue
            in_directives = False
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        parts: list[str] = []
        while index < len(lines):
            current = lines[index].strip()
            index += 1
            if index - 1 != start and (not current or current.startswith("#")):
                continue  # comments and blank lines inside a continuation are dropped
            if current.endswith(escape):
                parts.append(current[: -len(escape)])
                continue
            parts.append(current)
            break
        joined = " ".join(part.strip() for part in parts).strip()
        keyword, _, arguments = joined.partition(" ")
        instructions.append(
            Instruction(keyword=keyword.upper(), arguments=arguments.strip(), line=start + 1,
                        end_line=index)
        )  # fmt: skip
        index = _skip_heredocs(lines, index, keyword.upper(), arguments)
    return instructions


def _skip_heredocs(lines: Sequence[str], index: int, keyword: str, arguments: str) -> int:
    if keyword not in ("RUN", "COPY", "ADD"):
        return index
    for match in _HEREDOC.finditer(arguments):
        delimiter = match.group(2)
        while index < len(lines) and lines[index].strip() != delimiter:
            index += 1
        index += 1
    return min(index, len(lines))


def words(arguments: str) -> list[str]:
    """Arguments as words: a JSON array as is, otherwise split as a shell would."""
    text = arguments.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.split()


@dataclass(frozen=True, kw_only=True, slots=True)
class Stage:
    """One build stage: its FROM, the image it names (ARGs substituted), its alias."""

    source: Instruction
    image: str
    alias: str | None
    instructions: tuple[Instruction, ...]


def stages(instructions: Sequence[Instruction]) -> list[Stage]:
    global_args: dict[str, str] = {}
    found: list[Stage] = []
    current: list[Instruction] = []
    head: tuple[Instruction, str, str | None] | None = None
    for instruction in instructions:
        if instruction.keyword == "FROM":
            if head is not None:
                found.append(Stage(source=head[0], image=head[1], alias=head[2],
                                   instructions=tuple(current)))  # fmt: skip
            _, rest = instruction.flags()
            parts = rest.split()
            image = substitute(parts[0], global_args) if parts else ""
            alias = parts[2].lower() if len(parts) >= 3 and parts[1].lower() == "as" else None
            head, current = (instruction, image, alias), []
        elif head is None and instruction.keyword == "ARG":
            for name, value in _assignments(instruction.arguments, legacy=False):
                if value is not None:
                    global_args[name] = substitute(value, global_args)
        elif head is not None:
            current.append(instruction)
    if head is not None:
        found.append(Stage(source=head[0], image=head[1], alias=head[2],
                           instructions=tuple(current)))  # fmt: skip
    return found


def substitute(text: str, values: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` replaced by known values; unknown ones left as written."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name, match.group())

    return _VARIABLE.sub(value, text)


def _assignments(arguments: str, *, legacy: bool) -> list[tuple[str, str | None]]:
    """``NAME=value`` pairs of ENV or ARG; ``legacy`` allows ENV's ``NAME value`` form."""
    items = words(arguments)
    if not items:
        return []
    if legacy and "=" not in items[0]:
        name, _, value = arguments.strip().partition(" ")
        return [(name, value.strip())]
    pairs: list[tuple[str, str | None]] = []
    for item in items:
        name, equals, value = item.partition("=")
        pairs.append((name, value if equals else None))
    return pairs


# --------------------------------------------------------------------------- checks


class _DockerCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    # 2: findings carry CWE ids.
    version: ClassVar[str] = "2"
    id: ClassVar[str]
    # The weakness every finding of the check stands for.
    cwe: ClassVar[tuple[int, ...]] = ()
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        entries = matching(snapshot.entries, is_dockerfile)
        if not entries:
            return CheckOutput(not_applicable=NO_DOCKERFILE)
        files, problems = read_texts(snapshot, self.id, entries)
        hits: list[tuple[str, str, Severity, str, int | None, str]] = []
        for file in files:
            hits.extend(
                (rule, message, severity, file.path, line, key)
                for rule, message, severity, line, key in self.judge(file)
            )
        keys = occurrence_keys([f"{h[3]}\x1f{h[0]}\x1f{h[5]}" for h in hits])
        findings: list[Finding] = [
            finding(self.id, f"{self.id}.{rule}", message, severity=severity, path=path,
                    start_line=line, key=key.split("\x1f", 2)[2], cwe=self.cwe)
            for (rule, message, severity, path, line, _), key in zip(hits, keys, strict=True)
        ]  # fmt: skip
        return CheckOutput(findings=[*problems, *findings], measures=self.measures(files))

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        """(rule suffix, message, severity, line, fingerprint key) of each problem."""
        raise NotImplementedError

    def measures(self, files: Sequence[ConfigText]) -> list[Measure]:
        return []


class BaseImagePinnedCheck(_DockerCheck):
    id: ClassVar[str] = "docker.base-image-pinned"
    cwe: ClassVar[tuple[int, ...]] = (829,)  # untrusted control sphere
    description: ClassVar[str] = "Every FROM of a Dockerfile names its base image by digest."

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        aliases: set[str] = set()
        for stage in stages(parse_dockerfile(file.text)):
            image = stage.image
            line = stage.source.line
            if image.lower() != "scratch" and image.lower() not in aliases:
                if "$" in image:
                    message = (
                        f"{file.path}:{line}: FROM {image} names its image through an ARG "
                        "without a default; it cannot be shown pinned"
                    )
                    yield "unresolved", message, Severity.MEDIUM, line, image
                elif _DIGEST.search(image) is None:
                    message = f"{file.path}:{line}: FROM {image} is not pinned by digest (@sha256:)"
                    yield "unpinned", message, Severity.MEDIUM, line, _repository(image)
            if stage.alias is not None:
                aliases.add(stage.alias)

    def measures(self, files: Sequence[ConfigText]) -> list[Measure]:
        return [Measure(check_id=self.id, name="docker.files", value=len(files), unit="files")]


def _repository(image: str) -> str:
    """The image without its tag or digest, so a version bump keeps the finding's identity."""
    name = image.partition("@")[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


class NonRootCheck(_DockerCheck):
    id: ClassVar[str] = "docker.non-root"
    cwe: ClassVar[tuple[int, ...]] = (250,)  # execution with unnecessary privileges
    description: ClassVar[str] = "The final stage of a Dockerfile runs as a user other than root."

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        found = stages(parse_dockerfile(file.text))
        if not found:
            return
        by_alias = {stage.alias: stage for stage in found if stage.alias is not None}
        final = stage = found[-1]
        seen: set[str] = set()
        user: Instruction | None = None
        while True:  # a stage built FROM an earlier one inherits its USER
            users = [i for i in stage.instructions if i.keyword == "USER"]
            if users:
                user = users[-1]
                break
            parent = by_alias.get(stage.image.lower())
            if parent is None or parent.image.lower() in seen:
                break
            seen.add(parent.image.lower())
            stage = parent
        if user is None:
            line = final.source.line
            message = f"{file.path}:{line}: the final stage sets no USER; its processes run as root"
            yield "missing", message, Severity.MEDIUM, line, ""
            return
        name = user.arguments.strip().partition(":")[0]
        if name.lower() in ("root", "0"):
            message = f"{file.path}:{user.line}: the final stage runs as USER {name}"
            yield "root", message, Severity.MEDIUM, user.line, ""


class AddUrlCheck(_DockerCheck):
    id: ClassVar[str] = "docker.add-url"
    cwe: ClassVar[tuple[int, ...]] = (494,)  # download of code without integrity check
    description: ClassVar[str] = "No ADD fetches a URL without verifying its checksum."

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        for instruction in parse_dockerfile(file.text):
            if instruction.keyword != "ADD":
                continue
            flags, rest = instruction.flags()
            if flags.get("checksum"):
                continue
            for source in words(rest)[:-1]:
                if source.lower().startswith(("http://", "https://")):
                    message = (
                        f"{file.path}:{instruction.line}: ADD fetches {source} without --checksum"
                    )
                    yield "url", message, Severity.MEDIUM, instruction.line, source


class SecretsInEnvCheck(_DockerCheck):
    id: ClassVar[str] = "docker.secrets-in-env"
    cwe: ClassVar[tuple[int, ...]] = (798,)  # use of hard-coded credentials
    description: ClassVar[str] = "No ENV or ARG of a Dockerfile sets a secret to a literal value."

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        for instruction in parse_dockerfile(file.text):
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            legacy = instruction.keyword == "ENV"
            for name, value in _assignments(instruction.arguments, legacy=legacy):
                if not _looks_secret(name) or value is None:
                    continue
                if not _VARIABLE.sub("", value).strip():
                    continue  # empty, or only references to other variables
                message = (
                    f"{file.path}:{instruction.line}: {instruction.keyword} {name} sets a "
                    "secret-looking variable to a literal value (kept in the image and its "
                    "history)"
                )
                yield ("literal", message, Severity.HIGH, instruction.line,
                       f"{instruction.keyword}:{name}")  # fmt: skip


def _looks_secret(name: str) -> bool:
    return _SECRET_NAME.search(name) is not None and _SECRET_POINTER.search(name) is None


_COMMAND_SEPARATOR = re.compile(r"&&|\|\||[;|\n]")
# Options of the package managers that take a value as the next word.
_VALUE_OPTIONS = frozenset(
    {"-o", "-t", "--virtual", "--repository", "-X", "--root", "-c", "--constraint", "-r",
     "--requirement", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f",
     "--find-links", "--target", "--prefix", "--platform", "--python-version",
     "--trusted-host", "--setopt", "--enablerepo", "--disablerepo", "--installroot",
     "--releasever"}
)  # fmt: skip
_PIP = re.compile(r"pip[\d.]*")
_PIP_FILE_OPTIONS = frozenset({"-c", "--constraint", "-r", "--requirement"})


def _install_targets(command: list[str]) -> tuple[str, list[str]] | None:
    """(manager, package words) when ``command`` installs packages, else None."""
    while command and (command[0] in ("sudo", "env") or "=" in command[0]):
        command = command[1:]
    if len(command) >= 3 and command[0].startswith("python") and command[1:3] == ["-m", "pip"]:
        command = ["pip", *command[3:]]
    if not command:
        return None
    tool = posixpath.basename(command[0])
    subcommands = {"apt-get": "install", "apt": "install", "apk": "add", "yum": "install",
                   "dnf": "install", "microdnf": "install"}  # fmt: skip
    if _PIP.fullmatch(tool):
        tool, wanted = "pip", "install"
    elif tool in subcommands:
        wanted = subcommands[tool]
    else:
        return None
    rest = command[1:]
    positional: list[str] = []
    skip_next = False
    for word in rest:
        if skip_next:
            skip_next = False
        elif word.startswith("-"):
            skip_next = word in _VALUE_OPTIONS
            if tool == "pip" and word.split("=", 1)[0] in _PIP_FILE_OPTIONS:
                return None  # versions come from a file this check does not read
        else:
            positional.append(word)
    if not positional or positional[0] != wanted:
        return None
    return tool, positional[1:]


def _pinned(tool: str, package: str) -> bool:
    if "$" in package or "/" in package or package.startswith("."):
        return True  # a variable, a path or a URL: nothing to judge
    if tool == "pip":
        return "==" in package or "@" in package
    if tool == "apk":
        return any(sign in package for sign in "=<>~")
    if tool in ("apt-get", "apt"):
        return "=" in package
    return "=" in package or re.search(r"-\d", package) is not None


def _run_script(arguments: str) -> str:
    """The shell script of a RUN; for the JSON form, the ``sh -c`` script or the words."""
    if not arguments.startswith("["):
        return arguments
    argv = words(arguments)
    if len(argv) >= 3 and posixpath.basename(argv[0]) in ("sh", "bash") and argv[1] == "-c":
        return argv[2]
    return shlex.join(argv)


class UnpinnedPackagesCheck(_DockerCheck):
    id: ClassVar[str] = "docker.unpinned-packages"
    cwe: ClassVar[tuple[int, ...]] = (1357,)  # reliance on insufficiently trustworthy component
    description: ClassVar[str] = (
        "Packages installed by RUN (apt-get, apk, yum, dnf, pip) name their versions."
    )

    def judge(self, file: ConfigText) -> Iterator[tuple[str, str, Severity, int | None, str]]:
        for instruction in parse_dockerfile(file.text):
            if instruction.keyword != "RUN":
                continue
            _, rest = instruction.flags()
            script = _run_script(rest)
            unpinned: list[str] = []
            for command in _COMMAND_SEPARATOR.split(script):
                target = _install_targets(words(command))
                if target is None:
                    continue
                tool, packages = target
                loose = [p for p in packages if not _pinned(tool, p)]
                if loose:
                    unpinned.append(f"{tool} {', '.join(loose)}")
            if unpinned:
                listed = "; ".join(unpinned)
                message = (
                    f"{file.path}:{instruction.line}: RUN installs packages without a "
                    f"version: {listed}"
                )
                yield "unpinned", message, Severity.LOW, instruction.line, listed
