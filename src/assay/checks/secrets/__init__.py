"""``secrets.scan``: credentials committed to the product, found without ever being shown.

One file check over every text file: the rules of :mod:`.rules` (plus the company's
extra rules from the policy) run through one RE2 multi-pattern matcher; each value
found is judged by :mod:`.noise` (placeholders, entropy, test paths, suppressions)
and reported by :mod:`.redact` (first characters, length and a keyed hash, never
the value).
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assay.checks.api import CheckOutput, FileInput, FileResult, FileSelector, finding
from assay.checks.secrets import noise, redact
from assay.checks.secrets.matcher import Hit, Matcher, matcher_for, pattern_problem
from assay.checks.secrets.rules import (
    ALL_RULE_IDS,
    BUILTIN_RULES,
    GENERIC_RULES,
    SUPPRESSION_RULE,
    Rule,
)
from assay.model import Finding, Measure, Severity

CHECK_ID = "secrets.scan"
# CWE-798: use of hard-coded credentials.
CREDENTIAL_CWE = (798,)
TEST_PATH_NOTE = " (in a test path: lower confidence)"
# The prefix of an inline suppression, looked for in the same pass as the rules.
SUPPRESSION_MARKER = b"assay:"
# What a file without any candidate gives; shared (never changed), as most files are clean.
_CLEAN = FileResult(facts={"suppressed": 0})


class ExtraRule(BaseModel):
    """A company-defined rule: its id becomes ``secrets.<id>``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="Rule id suffix.")
    title: str = Field(min_length=1)
    severity: Severity
    pattern: str = Field(description="RE2 regular expression with one capture group.")
    keywords: list[str] = Field(default_factory=list)
    min_entropy: float | None = Field(default=None, ge=0, le=8)

    @field_validator("pattern")
    @classmethod
    def _re2_accepts(cls, pattern: str, info: ValidationInfo) -> str:
        problem = pattern_problem(pattern)
        if problem is not None:
            name = info.data.get("id", "?")
            raise ValueError(f"extra rule {name!r}: RE2 cannot compile the pattern: {problem}")
        return pattern

    def as_rule(self) -> Rule:
        return Rule(
            id=f"secrets.{self.id}",
            title=self.title,
            severity=self.severity,
            pattern=self.pattern,
            keywords=tuple(k.lower() for k in self.keywords),
            min_entropy=self.min_entropy,
        )


def _key_id_for(hash_key: object) -> str:
    key = hash_key.encode() if isinstance(hash_key, str) else redact.installation_key()
    return redact.key_id(key)


class SecretsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    allow_paths: list[str] = Field(
        default_factory=list, description="Globs of paths never reported (whole path)."
    )
    allow_hashes: list[str] = Field(
        default_factory=list, description="Keyed hashes of values known to be safe."
    )
    extra_rules: list[ExtraRule] = Field(default_factory=list)
    hash_key: str | None = Field(
        default=None, min_length=16, description="Company-wide key of the keyed hash."
    )
    # Which key makes the hashes (filled in from the key, never set by hand). Parameters
    # are part of every cache key, so a result hashed with another key is never served.
    key_id: str = ""

    @model_validator(mode="before")
    @classmethod
    def _fill_key_id(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        computed = _key_id_for(data.get("hash_key"))
        if data.get("key_id", computed) != computed:
            raise ValueError("key_id is computed from the hash key; leave it out")
        return {**data, "key_id": computed}

    @model_validator(mode="after")
    def _consistent(self) -> SecretsParams:
        seen: set[str] = set()
        for extra in self.extra_rules:
            rule_id = f"secrets.{extra.id}"
            if rule_id in ALL_RULE_IDS or rule_id in seen:
                raise ValueError(f"extra rule {extra.id!r}: {rule_id} is already a rule")
            seen.add(rule_id)
        return self

    def rules(self) -> tuple[Rule, ...]:
        return BUILTIN_RULES + tuple(e.as_rule() for e in self.extra_rules) + GENERIC_RULES

    def matcher(self) -> Matcher:
        """The compiled matcher of these parameters' rules, built once per process."""
        if not self.extra_rules:
            return _matcher_for_extras(())  # the common case, asked once per file
        return _matcher_for_extras(tuple(e.model_dump_json() for e in self.extra_rules))

    def key(self) -> bytes:
        return _hash_key(self.hash_key, self.key_id)


@functools.lru_cache(maxsize=8)
def _hash_key(company_key: str | None, key_id: str) -> bytes:
    # Once per process: scan() asks for the key for every file.
    if company_key is not None:
        return company_key.encode()
    return redact.installation_key_with_id(str(redact.key_file()), key_id)


@functools.cache
def _matcher_for_extras(extra_rules: tuple[str, ...]) -> Matcher:
    # Keyed by the (few) extra rules as JSON, so a scan does not hash all the built-ins.
    extras = tuple(ExtraRule.model_validate_json(e).as_rule() for e in extra_rules)
    return matcher_for(BUILTIN_RULES + extras + GENERIC_RULES, SUPPRESSION_MARKER)


@dataclass(kw_only=True)
class _Lines:
    """Line numbers of byte offsets, and line texts, worked out only when needed."""

    data: bytes
    starts: list[int] = field(default_factory=list)

    def number(self, offset: int) -> int:
        if not self.starts:
            self.starts = [0]
            position = self.data.find(b"\n")
            while position >= 0:
                self.starts.append(position + 1)
                position = self.data.find(b"\n", position + 1)
        return bisect.bisect_right(self.starts, offset)

    def text(self, number: int) -> str:
        self.number(0)
        if not 1 <= number <= len(self.starts):
            return ""
        end = self.starts[number] if number < len(self.starts) else len(self.data)
        return self.data[self.starts[number - 1] : end].decode("utf-8", "replace")


def _suppressions(data: bytes, lines: _Lines) -> dict[int, noise.Suppression]:
    found: dict[int, noise.Suppression] = {}
    position = data.find(SUPPRESSION_MARKER)
    while position >= 0:
        number = lines.number(position)
        parsed = noise.parse_suppression(lines.text(number), number)
        if parsed is not None:
            found[number] = parsed
        position = data.find(SUPPRESSION_MARKER, lines.starts[number] if number < len(lines.starts)
                             else len(data))  # fmt: skip
    return found


def _is_noise(rule: Rule, value: str) -> bool:
    if noise.is_placeholder(value):
        return True
    if rule.min_entropy is not None and noise.shannon_entropy(value) < rule.min_entropy:
        return True
    if rule.charset_entropy:
        if noise.is_code_reference(value):
            return True
        return noise.shannon_entropy(value) < noise.charset_threshold(value)
    return False


@dataclass(kw_only=True)
class _Occurrence:
    rule: Rule
    value: str
    start_line: int
    end_line: int
    more_lines: list[int] = field(default_factory=list)


class SecretsCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = CHECK_ID
    # 2: the .npmrc rule only in npm config files; Python format fields are placeholders.
    # 3: code and prose (word-dash-word, +name, spaces, quotes, plain URLs) and counting
    #    runs are not generic secrets (found reviewing the Django negative corpus).
    # 4: findings carry CWE-798.
    version: ClassVar[str] = "4"
    description: ClassVar[str] = (
        "Credentials in the files: cloud, forge and SaaS tokens, private keys, passwords."
    )
    Params: ClassVar[type[BaseModel]] = SecretsParams

    def selector(self, params: SecretsParams) -> FileSelector:
        return FileSelector(all_text=True)

    def scan(self, file: FileInput, params: SecretsParams) -> FileResult:
        path = file.entry.path
        if params.allow_paths and any(fnmatch.fnmatchcase(path, g) for g in params.allow_paths):
            return FileResult(facts={"allowed": 1})
        data = file.data
        matcher = params.matcher()
        survey = matcher.survey(data, posixpath.basename(path))
        if not survey.rule_indexes and not survey.marked:
            return _CLEAN  # most files: one pass of the set, nothing else
        lines = _Lines(data=data)
        suppressions = _suppressions(data, lines) if survey.marked else {}
        findings = [_unreasoned(path, s) for _, s in sorted(suppressions.items()) if not s.reason]
        occurrences, suppressed = self._occurrences(
            data, matcher.hits(data, survey.rule_indexes), matcher, lines, suppressions
        )
        if not occurrences:
            return FileResult(findings=tuple(findings), facts={"suppressed": suppressed})
        key = params.key()
        allowed = set(params.allow_hashes)
        in_tests = noise.is_test_path(path)
        for occurrence in occurrences.values():
            digest = redact.keyed_hash(occurrence.value, key)
            if digest in allowed:
                continue
            findings.append(_report(path, occurrence, digest, in_tests))
        return FileResult(findings=tuple(findings), facts={"suppressed": suppressed})

    def scan_many(self, files: Sequence[FileInput], params: SecretsParams) -> list[FileResult]:
        """Many files at once: one set match over them joined, each alone only where it hits.

        Most files hold no candidate at all. Joined by line breaks, a batch of them goes
        through one Hyperscan pass that names the files that may match (see
        :mod:`.prefilter`); without Hyperscan, through the RE2 set, and a batch that
        matches is halved until the files that match are alone. Those files are scanned
        as :meth:`scan` does. Files a name-limited rule applies to, allowlisted paths,
        and rules that anchor to the text's start or end (which joining would defeat)
        go file by file.
        """
        matcher = params.matcher()
        if params.allow_paths or not matcher.batch_safe:
            return [self.scan(file, params) for file in files]
        results: list[FileResult | None] = [None] * len(files)
        joinable = []
        for index, file in enumerate(files):
            if matcher.named(posixpath.basename(file.entry.path)):
                results[index] = self.scan(file, params)
            else:
                joinable.append(index)
        fast = matcher.prefilter
        if fast is None:
            self._clear(files, joinable, matcher, params, results)
        elif joinable:
            for k in fast.candidates([files[i].data for i in joinable]):
                results[joinable[k]] = self.scan(files[joinable[k]], params)
        return [result if result is not None else _CLEAN for result in results]

    def _clear(
        self,
        files: Sequence[FileInput],
        indexes: list[int],
        matcher: Matcher,
        params: SecretsParams,
        results: list[FileResult | None],
    ) -> None:
        if not indexes or matcher.clean(b"\n".join(files[i].data for i in indexes)):
            return
        if len(indexes) == 1:
            results[indexes[0]] = self.scan(files[indexes[0]], params)
            return
        half = len(indexes) // 2
        self._clear(files, indexes[:half], matcher, params, results)
        self._clear(files, indexes[half:], matcher, params, results)

    def _occurrences(
        self,
        data: bytes,
        hits: Iterable[Hit],
        matcher: Matcher,
        lines: _Lines,
        suppressions: Mapping[int, noise.Suppression],
    ) -> tuple[dict[tuple[str, str], _Occurrence], int]:
        """Values worth reporting, one per (rule, value), first occurrence first."""
        claimed: list[tuple[int, int]] = []
        found: dict[tuple[str, str], _Occurrence] = {}
        suppressed = 0
        for hit in hits:
            if _overlaps(claimed, hit):
                continue  # an earlier, more specific rule has this value
            claimed.append((hit.value_start, hit.value_end))
            rule = matcher.rules[hit.rule_index]
            value = data[hit.value_start : hit.value_end].decode("utf-8", "surrogateescape")
            if _is_noise(rule, value):
                continue
            start_line = lines.number(hit.start)
            if _suppressed(rule.id, start_line, suppressions):
                suppressed += 1
                continue
            end_line = lines.number(max(hit.value_end - 1, hit.start))
            earlier = found.get((rule.id, value))
            if earlier is not None:
                earlier.more_lines.append(start_line)
                continue
            found[(rule.id, value)] = _Occurrence(
                rule=rule, value=value, start_line=start_line, end_line=end_line
            )
        return found, suppressed

    def summarize(self, results: Mapping[str, FileResult], params: SecretsParams) -> CheckOutput:
        findings = sorted(
            (f for r in results.values() for f in r.findings),
            key=lambda f: (f.path or "", f.start_line or 0, f.rule),
        )
        per_rule = Counter(f.rule for f in findings)
        scanned = sum(1 for r in results.values() if not r.facts.get("allowed"))
        suppressed = sum(int(r.facts.get("suppressed", 0)) for r in results.values())

        def measure(name: str, value: int, unit: str, **labels: str) -> Measure:
            return Measure(check_id=self.id, name=name, value=value, unit=unit, labels=labels)

        measures = [measure("secrets.findings", len(findings), "findings")]
        measures += [measure("secrets.findings", per_rule[r], "findings", rule=r) for r in
                     sorted(per_rule)]  # fmt: skip
        measures.append(measure("secrets.files_scanned", scanned, "files"))
        measures.append(measure("secrets.suppressed", suppressed, "findings"))
        return CheckOutput(findings=findings, measures=measures)


def _overlaps(claimed: list[tuple[int, int]], hit: Hit) -> bool:
    return any(hit.value_start < end and start < hit.value_end for start, end in claimed)


def _suppressed(rule_id: str, line: int, suppressions: Mapping[int, noise.Suppression]) -> bool:
    for number in (line, line - 1):
        suppression = suppressions.get(number)
        if suppression is not None and suppression.reason and rule_id in suppression.rules:
            return True
    return False


def _report(path: str, occurrence: _Occurrence, digest: str, in_tests: bool) -> Finding:
    rule = occurrence.rule
    message = (
        f"{rule.title} in {path} line {occurrence.start_line}: "
        f"{redact.redact(occurrence.value)}, hash {digest}"
    )
    if occurrence.more_lines:
        message += f" (also on line {', '.join(map(str, occurrence.more_lines))})"
    severity = rule.severity
    if in_tests:
        message += TEST_PATH_NOTE
        severity = noise.lowered(severity)
    return finding(CHECK_ID, rule.id, message, severity=severity, path=path,
                   start_line=occurrence.start_line, end_line=occurrence.end_line,
                   key=digest, cwe=CREDENTIAL_CWE)  # fmt: skip


def _unreasoned(path: str, suppression: noise.Suppression) -> Finding:
    rules = ", ".join(suppression.rules)
    message = (
        f"suppression without a reason in {path} line {suppression.line}: "
        f"`assay: ignore[{rules}]` suppresses nothing until it says why"
    )
    return finding(CHECK_ID, SUPPRESSION_RULE, message, severity=Severity.LOW, path=path,
                   start_line=suppression.line, end_line=suppression.line,
                   key=rules)  # fmt: skip


__all__ = ["ExtraRule", "SecretsCheck", "SecretsParams"]
