"""PHP Composer ``composer.json``: the packages a project asks for.

``require`` lists what ships (runtime), ``require-dev`` what only serves
development. Platform requirements (PHP itself, its extensions and system
libraries, Composer's own APIs) are not packages and are left out. Every entry
is direct. A constraint names an exact version only when it is a bare version
(``1.2.3``, ``v1.2.3``, ``=1.2.3``, ``2.0.0-RC1``); the version is then stored
without the ``v``, as ``composer.lock`` entries are (see there). Anything else
(``^1.2``, ``~1``, ``1.*``, ``>=2``, ``dev-main``, ``1.x-dev``) is a requirement.
"""

from __future__ import annotations

import re
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
)
from assay.deps.parsers import component, line_of, parsed

_SECTIONS = (("require", Scope.RUNTIME), ("require-dev", Scope.DEV))
# What Composer resolves from the running platform rather than from a repository.
_PLATFORM = re.compile(
    r"(?:php(?:-64bit|-ipv6|-zts|-debug)?|hhvm|(?:ext|lib)-.+"
    r"|composer(?:-plugin-api|-runtime-api)?)",
    re.IGNORECASE,
)
_EXACT = re.compile(
    r"=?=?\s*v?(\d+(?:\.\d+){0,3}(?:-?(?:alpha|beta|rc|a|b|patch|pl|p)\.?\d*)?)",
    re.IGNORECASE,
)


def name_pattern(name: str) -> str:
    """A regex for ``name`` as a JSON string body: PHP may write ``/`` as ``\\/``."""
    return r"(?:/|\\/)".join(re.escape(part) for part in name.split("/"))


def exact_version(constraint: str) -> str | None:
    """The version a constraint pins, without a leading ``v``; None for ranges and branches."""
    match = _EXACT.fullmatch(constraint.strip())
    return match.group(1) if match else None


def _section(path: str, document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key, {})
    # PHP's json_encode writes an empty map as [], so an empty list is an empty section.
    if value == []:
        return {}
    if not isinstance(value, dict):
        raise ManifestError(path, f'"{key}" must be an object, found {json_type(value)}')
    return value


def _line(text: str, key: str, name: str) -> int | None:
    """Line of ``name`` as a key after the opening of section ``key``, best effort."""
    section = re.search(rf'"{re.escape(key)}"\s*:\s*[{{\[]', text)
    if section is None:
        return None
    entry = re.compile(rf'"{name_pattern(name)}"\s*:').search(text, section.end())
    return line_of(text, entry.start()) if entry else None


class ComposerJsonParser:
    format: ClassVar[str] = "composer.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PACKAGIST
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("composer.json",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = load_object(path, text)
        components: list[Component] = []
        problems: list[Problem] = []
        for key, scope in _SECTIONS:
            for name, constraint in _section(path, document, key).items():
                if _PLATFORM.fullmatch(name):
                    continue
                line = _line(text, key, name)
                if "/" not in name:
                    problems.append(
                        Problem(message=f"skipped {name!r}: not a vendor/package name", line=line)
                    )
                    continue
                if not isinstance(constraint, str):
                    problems.append(
                        Problem(
                            message=f"skipped {name}: the constraint is not a string", line=line
                        )
                    )
                    continue
                version = exact_version(constraint)
                components.append(
                    component(
                        name=name,
                        version=version,
                        requirement=None if version else constraint.strip(),
                        ecosystem=self.ecosystem,
                        declared_in=path,
                        direct=True,
                        scope=scope,
                        line=line,
                    )
                )
        return parsed(self, path, components, problems=problems)
