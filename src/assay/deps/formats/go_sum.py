"""Go checksums: ``go.sum`` (``module version[/go.mod] hash`` per line).

A line whose version ends in ``/go.mod`` only checksums that version's go.mod:
the go command read it while selecting versions, which it does for many
versions it then does not build (older ones that a higher requirement
overrode). A line without the suffix checksums the module's source, which is
only downloaded for a version that is built. So the components are the
versions that have a source line; go.mod-only versions are left out, because
reporting advisories against code that is never compiled is noise. The file
does not say which modules are direct; the inventory settles it from go.mod.
"""

from __future__ import annotations

from typing import ClassVar

from assay.deps.formats.go_mod import is_module_version
from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ManifestError,
    ParsedFile,
    Problem,
    Scope,
)
from assay.deps.parsers import component, parsed

_GO_MOD_SUFFIX = "/go.mod"


class GoSumParser:
    format: ClassVar[str] = "go.sum"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.GO
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("go.sum",)

    def parse(self, path: str, text: str) -> ParsedFile:
        components: dict[tuple[str, str], Component] = {}
        problems: list[Problem] = []
        read = 0
        for number, raw in enumerate(text.split("\n"), start=1):
            fields = raw.split()
            if not fields:
                continue
            wrong = self._problem(fields)
            if wrong is not None:
                problems.append(Problem(message=wrong, line=number))
                continue
            read += 1
            module, version, _ = fields
            if version.endswith(_GO_MOD_SUFFIX) or (module, version) in components:
                continue
            components[(module, version)] = component(
                name=module,
                version=version,
                ecosystem=self.ecosystem,
                declared_in=path,
                direct=None,
                scope=Scope.RUNTIME,
                line=number,
            )
        if problems and not read:
            raise ManifestError(path, "no go.sum line could be read", line=problems[0].line)
        return parsed(self, path, components.values(), problems=problems)

    @staticmethod
    def _problem(fields: list[str]) -> str | None:
        """Why a line is not ``module version hash``, or None when it is."""
        if len(fields) != 3:
            return f"not 'module version hash': {' '.join(fields)!r}"
        _, version, digest = fields
        if not is_module_version(version.removesuffix(_GO_MOD_SUFFIX)):
            return f"not a Go module version: {version!r}"
        algorithm, colon, value = digest.partition(":")
        if not (algorithm and colon and value):
            return f"not an 'algorithm:hash' checksum: {digest!r}"
        return None
