"""``maint.duplication``: copied blocks of code across the whole product, and their density.

Per file (cached by content): the normalised lines of :mod:`assay.syntax.clones`
as (line, CRC-32) units. The roll-up slides a window of ``min_lines`` units over
every file with a rolling hash and keeps, per window hash, the first place it was
seen: a window seen again is a copy. Consecutive matching windows merge into one
block. One pass over all units, dictionary lookups only: linear in the size of the
product, never a comparison of every pair of files.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, FileInput, FileResult, FileSelector, finding
from assay.model import Finding, Measure, Severity
from assay.syntax.clones import normalised_lines
from assay.syntax.languages import RULES

CHECK_ID = "maint.duplication"
RULE = "maint.duplicated-block"
_PRIME = (1 << 61) - 1  # modulus of the rolling hash
_BASE = 1_000_003


class DuplicationParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_lines: int = Field(
        default=10, ge=2, description="Fewest normalised lines of code a reported copy spans."
    )
    exclude: list[str] = Field(
        default_factory=lambda: ["*.min.js", "*/vendor/*", "vendor/*", "*/node_modules/*"],
        description="Globs (whole path) of files left out: minified and vendored code.",
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class _File:
    path: str
    lines: list[int]  # line number of each unit
    hashes: list[int]  # CRC-32 of each unit


@dataclass(kw_only=True, slots=True)
class Block:
    """One copy: units ``start``..``end`` of ``path`` repeat ``original``'s units."""

    path: str
    start: int
    end: int
    original: str
    original_start: int
    window_hash: int

    @property
    def size(self) -> int:
        return self.end - self.start + 1


@dataclass(kw_only=True)
class _Detection:
    blocks: list[Block] = field(default_factory=list)
    duplicated: dict[str, set[int]] = field(default_factory=dict)  # unit indexes per path


class DuplicationCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Copied blocks of code across the product (renamed copies too), and their density."
    )
    Params: ClassVar[type[BaseModel]] = DuplicationParams

    def selector(self, params: DuplicationParams) -> FileSelector:
        return FileSelector(languages=frozenset(RULES))

    def scan(self, file: FileInput, params: DuplicationParams) -> FileResult:
        path = file.entry.path
        if any(fnmatch.fnmatchcase(path, glob) for glob in params.exclude):
            return FileResult(facts={"excluded": True})
        normalised = normalised_lines(file.language or "", file.text)
        if normalised is None:
            return FileResult(facts={"excluded": True})
        # Flat [line, crc, line, crc, ...]: compact in the cache.
        flat = [value for unit in normalised.units for value in unit]
        return FileResult(facts={"code_lines": normalised.code_lines, "units": flat})

    def summarize(
        self, results: Mapping[str, FileResult], params: DuplicationParams
    ) -> CheckOutput:
        files = [
            _File(path=path, lines=units[0::2], hashes=units[1::2])
            for path, result in sorted(results.items())
            if (units := result.facts.get("units")) is not None
        ]
        if not files:
            return CheckOutput(
                not_applicable="no source file in a language whose copies Assay finds"
            )
        detection = detect(files, params.min_lines)
        by_path = {f.path: f for f in files}
        findings = [_finding(block, by_path) for block in detection.blocks]
        return CheckOutput(findings=findings, measures=_measures(results, files, detection))


def detect(files: Sequence[_File], window: int) -> _Detection:
    """Every block of at least ``window`` units seen earlier in the product (in path order).

    A block whose units are mostly the same line over again (``x = y`` twenty times, a
    table of constants) is structure, not a copy: at least half its units must differ.
    """
    detection = _Detection()
    by_path = {f.path: f for f in files}
    for block in _raw_blocks(files, window):
        hashes = by_path[block.path].hashes[block.start : block.end + 1]
        if len(set(hashes)) * 2 < len(hashes):
            continue
        detection.blocks.append(block)
        _mark(detection, block.path, block.start, block.size)
        _mark(detection, block.original, block.original_start, block.size)
    return detection


def _raw_blocks(files: Sequence[_File], window: int) -> Iterator[Block]:
    first_seen: dict[int, tuple[int, int]] = {}
    for index, current in enumerate(files):
        block: Block | None = None
        for position, value in _windows(current.hashes, window):
            place = first_seen.setdefault(value, (index, position))
            if place == (index, position):
                continue
            other, at = place
            if other == index and at + window > position:
                continue  # overlaps itself: a run of alike lines, not a copy
            original = files[other].path
            if (
                block is not None
                and position == block.end - window + 2
                and block.original == original
                and block.original_start + (position - block.start) == at
            ):
                block.end = position + window - 1
                continue
            if block is not None:
                yield block
            block = Block(path=current.path, start=position, end=position + window - 1,
                          original=original, original_start=at, window_hash=value)  # fmt: skip
        if block is not None:
            yield block


def _windows(hashes: Sequence[int], window: int) -> Iterator[tuple[int, int]]:
    """(start, hash) of every run of ``window`` consecutive units, by a rolling hash."""
    if len(hashes) < window:
        return
    top = pow(_BASE, window - 1, _PRIME)
    value = 0
    for unit in hashes[:window]:
        value = (value * _BASE + unit) % _PRIME
    yield 0, value
    for start in range(1, len(hashes) - window + 1):
        value = ((value - hashes[start - 1] * top) * _BASE + hashes[start + window - 1]) % _PRIME
        yield start, value


def _mark(detection: _Detection, path: str, start: int, size: int) -> None:
    detection.duplicated.setdefault(path, set()).update(range(start, start + size))


def _finding(block: Block, by_path: Mapping[str, _File]) -> Finding:
    copy, original = by_path[block.path], by_path[block.original]
    first, last = copy.lines[block.start], copy.lines[block.end]
    original_end = block.original_start + block.size - 1
    from_line, to_line = original.lines[block.original_start], original.lines[original_end]
    message = (
        f"lines {first}-{last} of {block.path} repeat lines {from_line}-{to_line} of "
        f"{block.original} ({block.size} lines of code)"
    )
    return finding(CHECK_ID, RULE, message, severity=Severity.LOW, path=block.path,
                   start_line=first, end_line=last, key=f"{block.window_hash:x}",
                   properties={"original_path": block.original,
                               "original_lines": f"{from_line}-{to_line}"})  # fmt: skip


def _measures(
    results: Mapping[str, FileResult], files: Sequence[_File], detection: _Detection
) -> list[Measure]:
    units = sum(len(f.hashes) for f in files)
    duplicated = sum(len(indexes) for indexes in detection.duplicated.values())
    code_lines = sum(int(r.facts.get("code_lines", 0)) for r in results.values())

    def measure(name: str, value: float, unit: str) -> Measure:
        return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit)

    density = (
        [measure("maint.duplication.density", round(100 * duplicated / units, 2), "%")]
        if units else []
    )  # fmt: skip
    return [
        *density,
        measure("maint.duplication.lines", duplicated, "lines"),
        measure("maint.duplication.blocks", len(detection.blocks), "blocks"),
        measure("maint.duplication.files", len(detection.duplicated), "files"),
        measure("maint.lines_of_code", code_lines, "lines"),
    ]  # fmt: skip
