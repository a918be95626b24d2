"""``sast.semgrep``: the company's own semgrep rules over the product's files.

It runs only when the policy names local rule files (parameter ``rules``) — paths of
the repository (read from the audited commit) or absolute paths on the host running
the audit; registry configurations (``p/...``, ``auto``, URLs) are not fetched, so an
audit never depends on the network nor sends the product anywhere. Without rule files
the check is not applicable; with rule files but without semgrep it is an error.

Semgrep runs as ``semgrep scan --config <file>... --json --metrics=off
--disable-version-check <folder>`` on every regular file of the product written into a
temporary folder (the product's ``.semgrepignore`` is not written, so the product
cannot hide files; semgrep's built-in ignore list still applies). The rule files are
copied into a folder of their own and semgrep runs from there with bare file names, so
semgrep reports the rule ids as written in the files; a prefix it adds anyway is
removed by matching the ids read from the files.

Severity: CRITICAL → critical; ERROR and HIGH → high; WARNING and MEDIUM → medium; INFO
and LOW → low; anything else (INVENTORY, EXPERIMENT) → info. CWE ids come from the
rule's ``metadata.cwe``.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from assay.checks.api import CheckOutput
from assay.checks.sast._adapter import SastParams, ToolReport
from assay.checks.sast._issues import Issue, findings_of, sast_measures, unparsable_findings
from assay.checks.sast._materialize import Materialized, materialize, safe_parts
from assay.checks.sast._tools import ToolError, require_tool, run_json, tool_salt, tool_version
from assay.config import parse_yaml_document
from assay.model import Severity
from assay.sarif.cwe import cwe_ids, cwe_in_field
from assay.sarif.shape import Node, ShapeError
from assay.snapshot.base import Snapshot, read_one

SEMGREP_INSTALL = "pip install semgrep"
# Without a terminal, semgrep asks semgrep.dev for its latest version, and waits out the
# connection where there is no network; an audit never talks to the network.
OFFLINE_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
MAX_RULE_FILE_BYTES = 1024 * 1024
NO_RULES = "no semgrep rule file named in the policy (parameter rules)"
_NOT_WRITTEN = frozenset({".semgrepignore"})
_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "ERROR": Severity.HIGH,
    "HIGH": Severity.HIGH,
    "WARNING": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "INFO": Severity.LOW,
    "LOW": Severity.LOW,
}


class SemgrepParams(SastParams):
    rules: list[str] = Field(
        default_factory=list,
        description="Local semgrep rule files: repository paths or absolute host paths.",
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleFile:
    """A rule file as named in the policy, its bytes, and the rule ids it declares."""

    name: str
    data: bytes
    ids: tuple[str, ...]


def semgrep_severity(level: str) -> Severity:
    return _SEVERITY.get(level.upper(), Severity.INFO)


class SemgrepCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    version: ClassVar[str] = "1"
    id: ClassVar[str] = "sast.semgrep"
    tool: ClassVar[str] = "semgrep"
    description: ClassVar[str] = "Findings of the company's local semgrep rules."
    Params: ClassVar[type[BaseModel]] = SemgrepParams

    def cache_salt(self, params: SemgrepParams) -> str:
        """The semgrep build, and the content of the rule files named by host path (a
        repository's rule files are part of the tree already)."""
        parts = [tool_salt(self.tool)]
        for name in params.rules:
            if Path(name).is_absolute():
                try:
                    digest = hashlib.sha256(_host_rule_file(name)).hexdigest()
                except ToolError as exc:
                    digest = str(exc)  # the run will fail the same way; nothing is cached
                parts.append(f"{name}: {digest}")
        return "\n".join(parts)

    def run(self, snapshot: Snapshot, params: SemgrepParams) -> CheckOutput:
        if not params.rules:
            return CheckOutput(not_applicable=NO_RULES)
        executable = require_tool(self.tool, SEMGREP_INSTALL)
        version = tool_version(executable, self.tool, env=OFFLINE_ENV)
        rule_files = [load_rule_file(snapshot, name) for name in params.rules]
        wanted = [e for e in snapshot.entries if e.path.rsplit("/", 1)[-1] not in _NOT_WRITTEN]
        if not wanted:
            return CheckOutput(not_applicable="the product has no files")
        with (
            materialize(snapshot, wanted, max_file_bytes=params.max_file_bytes) as tree,
            tempfile.TemporaryDirectory(prefix="assay-semgrep-rules-") as rules_folder,
        ):
            folder = Path(rules_folder)
            report, analysed = self._analyse(executable, tree, folder, rule_files, params)
            findings = findings_of(self.id, report.issues, tree.lines)
            skipped = tree.skipped
        findings += unparsable_findings(self.id, self.tool, report.unparsable)
        measures = sast_measures(
            self.id, analysed=analysed, findings=findings, skipped=skipped,
            unparsable=len(report.unparsable), suppressed=None,
        )  # fmt: skip
        return CheckOutput(findings=findings, measures=measures, tool_versions={self.tool: version})

    def _analyse(
        self,
        executable: Path,
        tree: Materialized,
        rules_folder: Path,
        rule_files: list[RuleFile],
        params: SemgrepParams,
    ) -> tuple[ToolReport, int]:
        args = [str(executable), "scan"]
        for index, rule_file in enumerate(rule_files):
            name = f"rules-{index}.yaml"
            (rules_folder / name).write_bytes(rule_file.data)
            args += ["--config", name]
        args += ["--json", "--metrics=off", "--disable-version-check"]
        if not params.honour_inline_suppressions:
            args.append("--disable-nosem")
        document = run_json(
            [*args, str(tree.root)], name=self.tool, cwd=rules_folder,
            timeout_s=params.timeout_s, ok_codes=(0, 1), env=OFFLINE_ENV,
        )  # fmt: skip
        known = {rule_id for rule_file in rule_files for rule_id in rule_file.ids}
        try:
            return self._report(Node(document), tree, known)
        except ShapeError as error:
            raise ToolError(f"semgrep wrote JSON of an unexpected shape: {error}") from None

    def _report(
        self, document: Node, tree: Materialized, known: set[str]
    ) -> tuple[ToolReport, int]:
        issues = [self._issue(result, tree, known) for result in document.list_at("results")]
        unparsable: dict[str, str] = {}
        for error in document.list_at("errors"):
            message = (error.text_at("message") or "unknown error").strip().splitlines()
            reported = error.text_at("path")
            path = tree.repo_path(reported) if reported is not None else None
            if path is not None:
                unparsable.setdefault(path, message[0] if message else "unknown error")
            elif error.text_at("level") == "error":
                first = message[0] if message else "unknown error"
                raise ToolError(f"semgrep reported an error: {first}")
        scanned = document.get("paths")
        listed = scanned.list_at("scanned") if scanned is not None else None
        analysed = len(listed) if listed is not None else len(tree.files)
        return ToolReport(issues=issues, unparsable=unparsable), analysed - len(unparsable)

    def _issue(self, result: Node, tree: Materialized, known: set[str]) -> Issue:
        reported = result.require("path").text()
        path = tree.repo_path(reported)
        if path is None:
            raise ToolError(f"semgrep reported a file it was not given: {reported!r}")
        rule_id = _rule_id(result.require("check_id").text(), known)
        start = result.require("start").require("line").integer()
        end = result.require("end").require("line").integer()
        extra = result.require("extra")
        metadata = extra.get("metadata")
        cwe: Any = metadata.mapping().get("cwe") if metadata is not None else None
        level = extra.text_at("severity") or "INFO"
        message = (extra.text_at("message") or rule_id).strip()
        return Issue(
            rule=f"{self.id}.{rule_id}",
            message=f"{path}:{start}: {message}",
            severity=semgrep_severity(level),
            path=path,
            start_line=start,
            end_line=max(start, end),
            cwe=cwe_ids(cwe_in_field(cwe)),
            properties={"tool_severity": level},
        )


def _rule_id(reported: str, known: set[str]) -> str:
    """The rule id as written in its file, without a path prefix semgrep may have added."""
    if reported in known:
        return reported
    matches = [rule_id for rule_id in known if reported.endswith(f".{rule_id}")]
    return max(matches, key=len) if matches else reported


def load_rule_file(snapshot: Snapshot, name: str) -> RuleFile:
    """A rule file from the repository (relative path) or the host (absolute path)."""
    data = _host_rule_file(name) if Path(name).is_absolute() else _repo_rule_file(snapshot, name)
    text = data.decode("utf-8", "replace")
    document = parse_yaml_document(text, name)
    ids = _rule_ids(document.data.get("rules"))
    if not ids:
        raise ToolError(f"semgrep rule file {name}: no rules (expected a 'rules' list with ids)")
    return RuleFile(name=name, data=data, ids=ids)


def _rule_ids(rules: object) -> tuple[str, ...]:
    if not isinstance(rules, list):
        return ()
    return tuple(
        rule["id"] for rule in rules if isinstance(rule, dict) and isinstance(rule.get("id"), str)
    )


def _host_rule_file(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise ToolError(f"semgrep rule file {name}: no such file")
    if path.stat().st_size > MAX_RULE_FILE_BYTES:
        raise ToolError(f"semgrep rule file {name}: larger than {MAX_RULE_FILE_BYTES} bytes")
    return path.read_bytes()


def _repo_rule_file(snapshot: Snapshot, name: str) -> bytes:
    if safe_parts(name) is None:
        raise ToolError(
            f"semgrep rule file {name}: not a path inside the repository (nor an absolute path)"
        )
    data = read_one(snapshot, name, limit=MAX_RULE_FILE_BYTES)
    if data is None:
        raise ToolError(
            f"semgrep rule file {name}: not a regular file of the repository "
            f"of at most {MAX_RULE_FILE_BYTES} bytes"
        )
    return data
