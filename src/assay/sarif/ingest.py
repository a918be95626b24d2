"""Reading SARIF 2.1.0 logs written by any analyzer into results Assay can judge.

What is read, per run: the tool (``tool.driver.name``, and ``semanticVersion`` or
``version``); its rules (``tool.driver.rules`` and ``tool.extensions[].rules``), found
by ``ruleId``, by ``ruleIndex`` or through ``result.rule``; and each result:

- **severity**: a ``security-severity`` property (GitHub's convention, a CVSS-like score
  0-10 on the result or its rule) wins: 9.0 and more critical, 7.0 high, 4.0 medium,
  above 0 low, 0 info. Otherwise the level (the result's, else the rule's
  ``defaultConfiguration.level``, else ``warning``, or ``none`` for a result whose
  ``kind`` is not ``fail``): error high, warning medium, note low, none info.
- **CWE ids**: from the rule's and the result's ``properties.tags``
  (``external/cwe/cwe-79``, ``CWE-79``), ``properties.cwe``, and relationships or taxa
  that point into a taxonomy named ``CWE``.
- **message**: ``message.text`` (or the rule's message string ``message.id``, or
  ``markdown``), with ``{0}``-style placeholders filled from ``message.arguments``
  and ``{{``/``}}`` made single braces.
- **location**: the first physical location, resolved by :mod:`assay.sarif.locations`;
  one pointing outside the repository is dropped and the result kept, flagged.
- **identity**: the result's ``fingerprints`` or, failing those, its
  ``partialFingerprints``; without either, the region's snippet or, failing that, the
  message (the rule and the path are part of every fingerprint anyway).

Results that are not findings, but are counted: those with a non-empty
``suppressions`` array whose entries are all accepted (``status`` ``accepted`` or
absent); those whose ``kind`` is ``pass`` or ``notApplicable``, or whose
``baselineState`` is ``absent`` (they report no problem present now).

A file over the size cap, not UTF-8, not JSON, or not of SARIF's shape raises
:class:`SarifError` naming the file and, for shape, the JSON path of the problem.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from assay.errors import AssayError
from assay.model import Severity
from assay.sarif.cwe import cwe_ids, cwe_in_field, cwe_in_text
from assay.sarif.locations import Place, UriResolver
from assay.sarif.shape import Node, ShapeError

DEFAULT_MAX_SIZE = 50 * 1024 * 1024
SARIF_VERSION = "2.1.0"
MAX_MESSAGE_CHARS = 2000
LEVEL_SEVERITY = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.INFO,
}
_KINDS = ("pass", "open", "informational", "notApplicable", "review", "fail")
_NOT_PROBLEMS = frozenset({"pass", "notApplicable"})
_STATUSES = ("accepted", "underReview", "rejected")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\d+)\}")
_SPACES = re.compile(r"\s+")
T = TypeVar("T")


class SarifError(AssayError):
    """A SARIF file is missing, oversized, malformed or not of SARIF's shape."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SarifResult:
    """One result that is a finding: a problem the analyzer reports as present."""

    rule_id: str
    message: str
    level: str
    severity: Severity
    path: str | None
    start_line: int | None
    end_line: int | None
    cwe: tuple[int, ...]
    key: str
    properties: Mapping[str, str] = field(default_factory=dict)

    @property
    def location_dropped(self) -> bool:
        return "location" in self.properties


@dataclass(frozen=True, kw_only=True, slots=True)
class SarifRun:
    tool: str
    version: str | None
    results: tuple[SarifResult, ...]
    total: int
    suppressed: int
    not_failing: int


@dataclass(frozen=True, kw_only=True, slots=True)
class SarifLog:
    source: str
    runs: tuple[SarifRun, ...]


def read_sarif(
    path: Path, *, root: Path | None, max_size: int = DEFAULT_MAX_SIZE, source: str | None = None
) -> SarifLog:
    """Read and parse the SARIF file ``path``; ``source`` names it in errors."""
    name = source or str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SarifError(f"{name}: not a regular file")
        check_size(name, info.st_size, max_size)
        with path.open("rb") as handle:
            data = handle.read(max_size + 1)
    except FileNotFoundError:
        raise SarifError(f"{name}: no such file") from None
    except OSError as exc:
        raise SarifError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    return parse_sarif(data, source=name, root=root, max_size=max_size)


def check_size(source: str, size: int, max_size: int) -> None:
    if size > max_size:
        raise SarifError(
            f"{source}: {size} bytes, more than the limit of {max_size} bytes for a SARIF file"
        )


def parse_sarif(
    data: bytes, *, source: str, root: Path | None, max_size: int = DEFAULT_MAX_SIZE
) -> SarifLog:
    """The runs of the SARIF document ``data``; locations made relative to ``root``."""
    check_size(source, len(data), max_size)
    document = _decode(data, source)
    try:
        return _log(Node(document), source, root)
    except ShapeError as error:
        raise SarifError(f"{source}: {error}") from None


def _decode(data: bytes, source: str) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SarifError(f"{source}: not UTF-8 (invalid byte at offset {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SarifError(
            f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise SarifError(f"{source}: invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise SarifError(f"{source}: invalid JSON: {exc}") from None


def _log(document: Node, source: str, root: Path | None) -> SarifLog:
    version = document.require("version").text()
    if version != SARIF_VERSION:
        raise ShapeError("version", f"expected '{SARIF_VERSION}', found '{version}'")
    runs = document.require("runs")
    return SarifLog(source=source, runs=tuple(_RunReader(run, root).read() for run in runs.items()))


def _enum(node: Node, key: str, allowed: tuple[str, ...]) -> str | None:
    value = node.text_at(key)
    if value is not None and value not in allowed:
        raise ShapeError(node.key_path(key), f"expected one of {', '.join(allowed)}")
    return value


def fill_placeholders(text: str, arguments: list[str]) -> str:
    """``{n}`` replaced by argument n (left as is when there is none); ``{{``/``}}`` unescaped."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        index = int(match.group(1))
        return arguments[index] if index < len(arguments) else match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def score_severity(score: float) -> Severity:
    """GitHub's bands of a ``security-severity`` score."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


@dataclass(frozen=True, kw_only=True, slots=True)
class _Component:
    """A tool component (the driver or an extension) and its rules."""

    rules: list[Node]
    by_id: dict[str, Node]
    messages: Node | None


def _component(node: Node) -> _Component:
    rules = node.list_at("rules")
    by_id: dict[str, Node] = {}
    for rule in rules:
        by_id.setdefault(rule.require("id").text(), rule)
    return _Component(rules=rules, by_id=by_id, messages=node.object_at("globalMessageStrings"))


class _RunReader:
    """Reads one run: its tool, rules, base URIs, and results."""

    def __init__(self, run: Node, root: Path | None) -> None:
        self.run = run
        tool = run.require("tool")
        self.driver = tool.require("driver")
        self.components = [_component(self.driver)]
        self.components += [_component(extension) for extension in tool.list_at("extensions")]
        self.artifacts = run.list_at("artifacts")
        self.resolver = UriResolver(
            bases=_bases(run), repository_bases=_repository_bases(run), root=root
        )

    def read(self) -> SarifRun:
        results: list[SarifResult] = []
        suppressed = not_failing = total = 0
        for node in self.run.list_at("results"):
            node.mapping()
            total += 1
            if _suppressed(node):
                suppressed += 1
            elif not _failing(node):
                not_failing += 1
            else:
                results.append(self._result(node))
        name = self.driver.require("name").text()
        version = self.driver.text_at("semanticVersion") or self.driver.text_at("version")
        return SarifRun(
            tool=name, version=version, results=tuple(results), total=total,
            suppressed=suppressed, not_failing=not_failing,
        )  # fmt: skip

    # ------------------------------------------------------------------ one result

    def _result(self, node: Node) -> SarifResult:
        rule_id, component, rule = self._rule(node)
        level = self._level(node, rule)
        properties: dict[str, str] = {"level": level}
        severity = self._severity(node, rule, level, properties)
        message = self._message(node, rule, component, rule_id)
        place, lines, snippet = self._location(node)
        if place.dropped is not None:
            properties["location"] = f"dropped: {place.dropped}"
        return SarifResult(
            rule_id=rule_id,
            message=message,
            level=level,
            severity=severity,
            path=place.path,
            start_line=lines[0],
            end_line=lines[1],
            cwe=_cwe(node, rule),
            key=_key(node, snippet, message),
            properties=properties,
        )

    def _rule(self, node: Node) -> tuple[str, _Component, Node | None]:
        """The rule id, the component declaring it, and its descriptor when there is one."""
        reference = node.object_at("rule")
        component = self._component_of(reference)
        index, index_path = node.integer_at("ruleIndex"), node.key_path("ruleIndex")
        if index is None and reference is not None:
            index, index_path = reference.integer_at("index"), reference.key_path("index")
        rule: Node | None = None
        if index is not None and index >= 0:  # SARIF writes -1 for "no index"
            rule = _element(component.rules, index, index_path, "the tool has {} rules")
        rule_id = node.text_at("ruleId")
        if rule_id is None and reference is not None:
            rule_id = reference.text_at("id")
        if rule_id is None and rule is not None:
            rule_id = rule.require("id").text()
        if rule is None and rule_id is not None:
            # A hierarchical id (``parent/child``) may be described by its parent rule.
            rule = component.by_id.get(rule_id) or component.by_id.get(rule_id.split("/")[0])
        return rule_id or "unidentified", component, rule

    def _component_of(self, reference: Node | None) -> _Component:
        target = reference.object_at("toolComponent") if reference is not None else None
        index = target.integer_at("index") if target is not None else None
        if target is None or index is None:
            return self.components[0]
        extensions = self.components[1:]
        return _element(extensions, index, target.key_path("index"), "the tool has {} extensions")

    def _level(self, node: Node, rule: Node | None) -> str:
        levels = tuple(LEVEL_SEVERITY)
        level = _enum(node, "level", levels)
        if level is None and rule is not None:
            configuration = rule.object_at("defaultConfiguration")
            level = _enum(configuration, "level", levels) if configuration is not None else None
        if level is None:
            kind = _enum(node, "kind", _KINDS)
            level = "warning" if kind in {None, "fail"} else "none"
        return level

    def _severity(
        self, node: Node, rule: Node | None, level: str, properties: dict[str, str]
    ) -> Severity:
        for holder in (node, rule):
            bag = holder.object_at("properties") if holder is not None else None
            value = bag.mapping().get("security-severity") if bag is not None else None
            if value is None:
                continue
            score = _score(value)
            if score is None:
                properties["security-severity"] = f"ignored: {value!r} is not a score from 0 to 10"
                break
            properties["security-severity"] = f"{score:g}"
            return score_severity(score)
        return LEVEL_SEVERITY[level]

    def _message(self, node: Node, rule: Node | None, component: _Component, rule_id: str) -> str:
        message = node.require("message")
        text = message.text_at("text")
        identifier = message.text_at("id")
        if text is None and identifier is not None:
            for strings in (rule.object_at("messageStrings") if rule else None, component.messages):
                found = strings.object_at(identifier) if strings is not None else None
                text = found.text_at("text") if found is not None else None
                if text is not None:
                    break
        text = text or message.text_at("markdown") or _description(rule) or rule_id
        arguments = [argument.text() for argument in message.list_at("arguments")]
        filled = fill_placeholders(text, arguments).strip()
        return filled if len(filled) <= MAX_MESSAGE_CHARS else filled[:MAX_MESSAGE_CHARS] + "…"

    def _location(self, node: Node) -> tuple[Place, tuple[int | None, int | None], str | None]:
        """Where the result points: place, (start, end) lines, and the region's snippet."""
        for location in node.list_at("locations"):
            physical = location.object_at("physicalLocation")
            if physical is not None:
                break
        else:
            return Place(), (None, None), None
        uri, base = self._uri(physical.object_at("artifactLocation"))
        place = self.resolver.resolve(uri, base) if uri is not None else Place()
        region = physical.object_at("region")
        if region is None:
            return place, (None, None), None
        snippet_node = region.object_at("snippet")
        snippet = snippet_node.text_at("text") if snippet_node is not None else None
        if place.path is None:
            return place, (None, None), snippet
        start = region.integer_at("startLine")
        end = region.integer_at("endLine")
        if start is None or start < 1:  # a region given by offsets only has no lines to show
            return place, (None, None), snippet
        return place, (start, end if end is not None and end >= start else start), snippet

    def _uri(self, artifact: Node | None, *, follow: bool = True) -> tuple[str | None, str | None]:
        """The URI and base of an artifact location, following ``index`` when there is no URI.

        The artifact an index names is not followed further: its location must say where
        it is, and an artifact naming itself must not loop.
        """
        if artifact is None:
            return None, None
        uri = artifact.text_at("uri")
        if uri is not None:
            return uri, artifact.text_at("uriBaseId")
        index = artifact.integer_at("index")
        if not follow or index is None or index < 0:
            return None, None
        where = artifact.key_path("index")
        target = _element(self.artifacts, index, where, "the run has {} artifacts")
        return self._uri(target.object_at("location"), follow=False)


def _element(items: list[T], index: int, path: str, counted: str) -> T:
    """``items[index]``, or a shape error at ``path`` saying how many there are."""
    if not 0 <= index < len(items):
        raise ShapeError(path, f"{index} is out of range ({counted.format(len(items))})")
    return items[index]


def _bases(run: Node) -> dict[str, tuple[str | None, str | None]]:
    bases = run.object_at("originalUriBaseIds")
    if bases is None:
        return {}
    found: dict[str, tuple[str | None, str | None]] = {}
    for name in bases.mapping():
        location = bases.require(name)
        found[name] = (location.text_at("uri"), location.text_at("uriBaseId"))
    return found


def _repository_bases(run: Node) -> frozenset[str]:
    names: set[str] = set()
    for provenance in run.list_at("versionControlProvenance"):
        mapped = provenance.object_at("mappedTo")
        name = mapped.text_at("uriBaseId") if mapped is not None else None
        if name is not None:
            names.add(name)
    return frozenset(names)


def _suppressed(node: Node) -> bool:
    """Suppressed: a non-empty ``suppressions`` array whose entries are all accepted."""
    suppressions = node.list_at("suppressions")
    statuses = [_enum(suppression, "status", _STATUSES) for suppression in suppressions]
    return bool(statuses) and all(status in {None, "accepted"} for status in statuses)


def _failing(node: Node) -> bool:
    kind = _enum(node, "kind", _KINDS)
    return kind not in _NOT_PROBLEMS and node.text_at("baselineState") != "absent"


def _score(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        score = float(value)
    except ValueError:
        return None
    return score if 0.0 <= score <= 10.0 else None


def _description(rule: Node | None) -> str | None:
    for key in ("shortDescription", "fullDescription"):
        described = rule.object_at(key) if rule is not None else None
        text = described.text_at("text") if described is not None else None
        if text:
            return text
    return None


def _cwe(node: Node, rule: Node | None) -> tuple[int, ...]:
    found: list[int] = []
    for holder in (rule, node):
        if holder is None:
            continue
        bag = holder.object_at("properties")
        values = bag.mapping() if bag is not None else {}
        tags = values.get("tags")
        for tag in tags if isinstance(tags, list) else ():
            found += cwe_in_text(tag) if isinstance(tag, str) else []
        found += cwe_in_field(values.get("cwe"))
        for link in [*holder.list_at("relationships"), *holder.list_at("taxa")]:
            target = link.object_at("target") or link
            component = target.object_at("toolComponent")
            name = component.text_at("name") if component is not None else None
            if name is not None and name.upper() == "CWE":
                found += cwe_in_field(target.mapping().get("id"))
    return cwe_ids(found)


def _key(node: Node, snippet: str | None, message: str) -> str:
    for member in ("fingerprints", "partialFingerprints"):
        fingerprints = node.object_at(member)
        if fingerprints is not None and fingerprints.mapping():
            pairs = sorted(
                (name, fingerprints.require(name).text()) for name in fingerprints.mapping()
            )
            return "fp:" + ";".join(f"{name}={value}" for name, value in pairs)
    if snippet and snippet.strip():
        return "snippet:" + _SPACES.sub(" ", snippet.strip())
    return "message:" + _SPACES.sub(" ", message.strip())
