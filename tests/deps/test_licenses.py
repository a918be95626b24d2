from __future__ import annotations

import pytest

from assay.deps.licenses import JudgedLicense, LicenseCategory, acceptable, judge

P, W, S, X, U = (LicenseCategory.PERMISSIVE, LicenseCategory.WEAK_COPYLEFT,
                 LicenseCategory.STRONG_COPYLEFT, LicenseCategory.PROPRIETARY,
                 LicenseCategory.UNKNOWN)  # fmt: skip


@pytest.mark.parametrize(
    ("declared", "expression", "ids", "category"),
    [
        ("MIT", "MIT", ("MIT",), P),
        ("mit", "MIT", ("MIT",), P),
        ("(MIT)", "MIT", ("MIT",), P),
        ("Apache 2.0", "Apache-2.0", ("Apache-2.0",), P),
        ("GPL-2.0+", "GPL-2.0-or-later", ("GPL-2.0-or-later",), S),
        ("AGPL-3.0", "AGPL-3.0-only", ("AGPL-3.0-only",), S),
        ("LGPL-2.1-or-later", "LGPL-2.1-or-later", ("LGPL-2.1-or-later",), W),
        ("MPL-2.0", "MPL-2.0", ("MPL-2.0",), W),
        ("MIT OR GPL-3.0-only", "MIT OR GPL-3.0-only", ("GPL-3.0-only", "MIT"), P),
        ("Apache-2.0 AND GPL-2.0-only", "Apache-2.0 AND GPL-2.0-only",
         ("Apache-2.0", "GPL-2.0-only"), S),
        ("MIT AND (Apache-2.0 OR MPL-2.0)", "MIT AND (Apache-2.0 OR MPL-2.0)",
         ("Apache-2.0", "MIT", "MPL-2.0"), P),
        ("GPL-3.0-only WITH Classpath-exception-2.0",
         "GPL-3.0-only WITH Classpath-exception-2.0",
         ("Classpath-exception-2.0", "GPL-3.0-only"), W),
        ("BUSL-1.1", "BUSL-1.1", ("BUSL-1.1",), X),
        ("UNLICENSED", None, (), X),
        ("SEE LICENSE IN LICENSE.txt", None, (), X),
        ("BSD", None, (), U),
        ("garbage (", None, (), U),
    ],
)  # fmt: skip
def test_declared_licences_are_normalised_and_categorised(
    declared: str, expression: str | None, ids: tuple[str, ...], category: LicenseCategory
) -> None:
    assert judge(declared) == JudgedLicense(
        declared=declared, expression=expression, ids=ids, category=category
    )


def test_or_needs_one_acceptable_alternative_and_needs_all() -> None:
    only_mit = lambda license_id, _category: license_id == "MIT"  # noqa: E731
    assert acceptable("MIT OR GPL-3.0-only", only_mit)
    assert not acceptable("MIT AND GPL-3.0-only", only_mit)
    assert acceptable("MIT AND (GPL-3.0-only OR MIT)", only_mit)
    not_strong = lambda _id, category: category is not S  # noqa: E731
    assert acceptable("GPL-3.0-only WITH Classpath-exception-2.0", not_strong)
    assert not acceptable("GPL-3.0-only", not_strong)
