"""Licences of dependencies: declared strings normalised to SPDX expressions, then judged.

Normalisation uses license-expression (its SPDX licensing, with aliases such as
``GPL-2.0+``). Each licence falls in a category from the ScanCode LicenseDB
index that license-expression ships (a table of facts under CC-BY-4.0); the
four categories Assay reasons with are:

- ``permissive``: ScanCode's Permissive and Public Domain;
- ``weak-copyleft``: Copyleft Limited (MPL, LGPL, EPL …), and any copyleft
  licence ``WITH`` an exception (exceptions exist to weaken linking terms);
- ``strong-copyleft``: Copyleft (GPL, AGPL …);
- ``proprietary``: every other category (Commercial, Source-available,
  Proprietary Free …) and ``UNLICENSED``/``SEE LICENSE IN …`` declarations.

An expression's category follows its operators: ``OR`` is the licensee's choice,
so the most permissive alternative counts; ``AND`` binds all, so the most
restrictive part counts. A licence that is not recognised is ``unknown``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from license_expression import (
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)


class LicenseCategory(StrEnum):
    PERMISSIVE = "permissive"
    WEAK_COPYLEFT = "weak-copyleft"
    STRONG_COPYLEFT = "strong-copyleft"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


# From least to most restrictive; OR takes the minimum, AND the maximum.
_ORDER = [
    LicenseCategory.PERMISSIVE,
    LicenseCategory.WEAK_COPYLEFT,
    LicenseCategory.STRONG_COPYLEFT,
    LicenseCategory.PROPRIETARY,
    LicenseCategory.UNKNOWN,
]
_SCANCODE = {
    "Permissive": LicenseCategory.PERMISSIVE,
    "Public Domain": LicenseCategory.PERMISSIVE,
    "Copyleft Limited": LicenseCategory.WEAK_COPYLEFT,
    "Copyleft": LicenseCategory.STRONG_COPYLEFT,
}
# Free-text spellings seen in package metadata that name one SPDX licence.
_ALIASES = {
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "mit license": "MIT",
    "the mit license": "MIT",
    "bsd license": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "simplified bsd license": "BSD-2-Clause",
    "isc license": "ISC",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "gnu gpl v3": "GPL-3.0-only",
    "gplv3": "GPL-3.0-only",
    "gplv2": "GPL-2.0-only",
    "lgplv3": "LGPL-3.0-only",
    "public domain": "LicenseRef-public-domain",
}
_PROPRIETARY_MARKERS = ("UNLICENSED", "SEE LICENSE IN", "PROPRIETARY")


@dataclass(frozen=True, kw_only=True, slots=True)
class JudgedLicense:
    """A declared licence, its SPDX form (None if not recognised), its ids and category."""

    declared: str
    expression: str | None
    ids: tuple[str, ...]
    category: LicenseCategory


@functools.cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


@functools.cache
def _categories() -> dict[str, LicenseCategory]:
    index = resources.files("license_expression") / "data" / "scancode-licensedb-index.json"
    entries: list[dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    table: dict[str, LicenseCategory] = {}
    for entry in entries:
        category = _SCANCODE.get(entry.get("category") or "", LicenseCategory.PROPRIETARY)
        for key in [entry.get("spdx_license_key"), *entry.get("other_spdx_license_keys", [])]:
            if key:
                table.setdefault(key.lower(), category)
    table["licenseref-public-domain"] = LicenseCategory.PERMISSIVE
    return table


def judge(declared: str) -> JudgedLicense:
    """Normalise a declared licence string and put it in a category."""
    text = declared.strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    if text.upper().startswith(_PROPRIETARY_MARKERS):
        return JudgedLicense(declared=declared, expression=None, ids=(),
                             category=LicenseCategory.PROPRIETARY)  # fmt: skip
    text = _ALIASES.get(text.lower(), text)
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False)
    except ExpressionError:
        parsed = None
    if parsed is None or licensing.unknown_license_keys(parsed):
        return JudgedLicense(declared=declared, expression=None, ids=(),
                             category=LicenseCategory.UNKNOWN)  # fmt: skip
    ids = tuple(sorted({str(key) for key in licensing.license_keys(parsed)}))
    return JudgedLicense(
        declared=declared, expression=str(parsed), ids=ids, category=_category_of(parsed)
    )


def _category_of(node: Any) -> LicenseCategory:
    if isinstance(node, LicenseWithExceptionSymbol):
        base = _category_of(node.license_symbol)
        if base is LicenseCategory.STRONG_COPYLEFT:
            return LicenseCategory.WEAK_COPYLEFT
        return base
    if isinstance(node, LicenseSymbol):
        return _categories().get(str(node.key).lower(), LicenseCategory.UNKNOWN)
    parts = [_category_of(arg) for arg in node.args]
    ranks = [_ORDER.index(part) for part in parts]
    chosen = min(ranks) if node.operator.strip() == "OR" else max(ranks)
    return _ORDER[chosen]


def acceptable(expression: str, accept: Callable[[str, LicenseCategory], bool]) -> bool:
    """Whether the licensee can meet ``expression`` using only licences ``accept`` allows.

    ``OR`` needs one acceptable alternative, ``AND`` needs every part; a licence
    ``WITH`` an exception is judged by its licence id and by its category with the
    exception applied.
    """
    return _acceptable(_licensing().parse(expression, validate=False), accept)


def _acceptable(node: Any, accept: Callable[[str, LicenseCategory], bool]) -> bool:
    if isinstance(node, LicenseWithExceptionSymbol):
        return accept(str(node.license_symbol.key), _category_of(node))
    if isinstance(node, LicenseSymbol):
        return accept(str(node.key), _category_of(node))
    results = [_acceptable(arg, accept) for arg in node.args]
    return any(results) if node.operator.strip() == "OR" else all(results)
