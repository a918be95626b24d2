"""PHP Composer ``composer.lock``: every package installed, with its exact version.

``packages`` ship with the product (runtime), ``packages-dev`` serve only its
development. The lock does not say which packages were asked for by name, so
``direct`` is None; the inventory settles it from ``composer.json``.

Versions are stored without a single leading ``v`` before a digit
(``v6.4.1`` -> ``6.4.1``): tags often carry it, advisories (OSV's Packagist
data) mostly do not, and equality must hold between the two. A branch
(``dev-main``, ``2.x-dev``) is not a release: no version, the branch as the
requirement, and the git repository as the source. A package from a ``path``
repository is a path source. A tagged release from a private VCS repository
cannot be told from a Packagist one and counts as a registry package.

``license`` is a list in which any one licence may be chosen, so it becomes an
SPDX-style disjunction joined with ``" OR "``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any, ClassVar

from assay.deps.formats._json import json_type, load_object
from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ManifestError,
    ParsedFile,
    Problem,
    Scope,
    SourceKind,
)
from assay.deps.parsers import component, parsed

_SECTIONS = (("packages", Scope.RUNTIME), ("packages-dev", Scope.DEV))
_NAME_FIELD = re.compile(r'"name"\s*:\s*"((?:[^"\\]|\\.)*)"')
_LEADING_V = re.compile(r"[vV](?=\d)")


def _name_lines(text: str) -> dict[str, deque[int]]:
    """Lines of every ``"name": "..."`` in order, by decoded value; one linear pass.

    Each package entry takes the next line of its name, so a package listed
    twice gets both lines. Authors' names land here too but never equal a
    ``vendor/package`` name.
    """
    lines: dict[str, deque[int]] = defaultdict(deque)
    line, offset = 1, 0
    for match in _NAME_FIELD.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        try:
            lines[json.loads(f'"{match.group(1)}"')].append(line)
        except json.JSONDecodeError:
            continue
    return lines


def _license(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, list):
        names = [item for item in value if isinstance(item, str) and item]
        return " OR ".join(names) or None
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class _Origin:
    source: SourceKind
    location: str | None


def _origin(entry: dict[str, Any], released: bool) -> _Origin:
    dist, source = entry.get("dist"), entry.get("source")
    dist = dist if isinstance(dist, dict) else {}
    source = source if isinstance(source, dict) else {}
    if dist.get("type") == "path":
        return _Origin(source=SourceKind.PATH, location=_str(dist.get("url")))
    if not released and _str(source.get("url")):
        kind = SourceKind.GIT if source.get("type") == "git" else SourceKind.URL
        return _Origin(source=kind, location=_str(source.get("url")))
    return _Origin(source=SourceKind.REGISTRY, location=None)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_branch(version: str) -> bool:
    return version.startswith("dev-") or version.endswith("-dev")


class ComposerLockParser:
    format: ClassVar[str] = "composer.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PACKAGIST
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("composer.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = load_object(path, text)
        lines = _name_lines(text)
        components: list[Component] = []
        problems: list[Problem] = []
        for key, scope in _SECTIONS:
            for index, entry in enumerate(self._section(path, document, key)):
                where = f"{key}[{index}]"
                built = self._component(
                    path, entry, scope=scope, lines=lines, where=where, problems=problems
                )
                if built is not None:
                    components.append(built)
        return parsed(self, path, components, problems=problems)

    @staticmethod
    def _section(path: str, document: dict[str, Any], key: str) -> list[Any]:
        value = document.get(key)
        # ``packages-dev`` is null after ``composer update --no-dev``; ``packages`` is always there.
        if value is None and key == "packages-dev":
            return []
        if not isinstance(value, list):
            found = "nothing" if value is None else json_type(value)
            raise ManifestError(path, f'"{key}" must be an array, found {found}')
        return value

    def _component(
        self,
        path: str,
        entry: object,
        *,
        scope: Scope,
        lines: dict[str, deque[int]],
        where: str,
        problems: list[Problem],
    ) -> Component | None:
        if not isinstance(entry, dict):
            problems.append(Problem(message=f"skipped {where}: not an object"))
            return None
        name, raw = _str(entry.get("name")), _str(entry.get("version"))
        queue = lines.get(name) if name else None
        line = queue.popleft() if queue else None
        if name is None or raw is None:
            missing = "name" if name is None else "version"
            problems.append(Problem(message=f"skipped {where}: no {missing}", line=line))
            return None
        released = not _is_branch(raw)
        origin = _origin(entry, released)
        return component(
            name=name,
            version=_LEADING_V.sub("", raw, count=1) if released else None,
            requirement=None if released else raw,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=None,
            scope=scope,
            line=line,
            source=origin.source,
            location=origin.location,
            license=_license(entry.get("license")),
        )
