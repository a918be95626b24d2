"""The licence a NuGet package's ``.nuspec`` declares, for packages kept in the tree.

``packages.lock.json`` records no licence, but a repository that keeps its restored
packages (the ``packages/<Id>.<Version>/`` folders of ``packages.config`` projects,
or vendored packages) holds each package's ``.nuspec``. Its ``<metadata>`` gives
the package ``id`` and ``version`` and, since NuGet 4.9, ``<license
type="expression">`` with an SPDX expression. A licence given as a file inside the
package (``type="file"``) or only as the deprecated ``<licenseUrl>`` names no
expression, so the package stays undeclared rather than guessed at.

XML is read with defusedxml (no entity expansion, no external fetch); element names
are compared without their namespace, which changes with the nuspec schema version.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element  # nosec B405 (type only; parsing is defusedxml)

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

MAX_NUSPEC_BYTES = 1024 * 1024


@dataclass(frozen=True, kw_only=True, slots=True)
class NuspecLicense:
    package: str
    version: str
    expression: str | None  # None: the package names its licence some other way


def read_nuspec(data: bytes) -> NuspecLicense | None:
    """The package and its licence expression, or None if this is no readable nuspec."""
    try:
        root = defusedxml.ElementTree.fromstring(data)
    except (defusedxml.ElementTree.ParseError, DefusedXmlException, ValueError):
        return None
    if _local(root.tag) != "package":
        return None
    metadata = _child(root, "metadata")
    if metadata is None:
        return None
    package, version = _text(_child(metadata, "id")), _text(_child(metadata, "version"))
    if package is None or version is None:
        return None
    license_element = _child(metadata, "license")
    expression = None
    if license_element is not None and license_element.get("type") == "expression":
        expression = _text(license_element)
    return NuspecLicense(package=package, version=version, expression=expression)


def package_key(package: str, version: str) -> tuple[str, str]:
    """NuGet compares ids and versions without case."""
    return package.casefold(), version.casefold()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
