"""Licence identification against the SPDX texts of the ``spdx`` package."""

from __future__ import annotations

import re
import statistics
import textwrap
import time
from importlib.resources import files

import pytest

from assay.checks.licensing import (
    LicenseMatch,
    canonical_license_id,
    closest_license,
    declared_license_id,
    identify_license,
    known_license_ids,
)

# Current SPDX id -> name of its text in the package (which still uses a few old ids).
SUPPORTED = {
    "MIT": "MIT",
    "Apache-2.0": "Apache-2.0",
    "BSD-2-Clause": "BSD-2-Clause",
    "BSD-3-Clause": "BSD-3-Clause",
    "ISC": "ISC",
    "GPL-2.0-only": "GPL-2.0",
    "GPL-3.0-only": "GPL-3.0",
    "LGPL-2.1-only": "LGPL-2.1",
    "LGPL-3.0-only": "LGPL-3.0",
    "AGPL-3.0-only": "AGPL-3.0",
    "MPL-2.0": "MPL-2.0",
    "Unlicense": "Unlicense",
    "CC0-1.0": "CC0-1.0",
    "BSL-1.0": "BSL-1.0",
    "Zlib": "Zlib",
    "0BSD": "0BSD",
    "EPL-1.0": "EPL-1.0",
    "Artistic-2.0": "Artistic-2.0",
    "EUPL-1.1": "EUPL-1.1",
    "WTFPL": "WTFPL",
    "PostgreSQL": "PostgreSQL",
    "Python-2.0": "Python-2.0",
    "CDDL-1.0": "CDDL-1.0",
}

_VAR = re.compile(r"<<var;.*?;original=(?P<original>.*?);match=.*?>>", re.DOTALL)
_OPTIONAL = re.compile(r"<<beginOptional[^>]*>>|<<endOptional>>")
_PLACEHOLDER = re.compile(
    r"<year>|<copyright holders>|<owner>|<name of author>|\[yyyy\]|\[name of copyright owner\]"
)


def template(name: str) -> str:
    """The licence text as the package ships it."""
    return (files("spdx") / "data" / f"{name}.txt").read_bytes().decode("utf-8")


def resolved(name: str) -> str:
    """The package text with its SPDX template markup resolved to the original wording."""
    return _OPTIONAL.sub("", _VAR.sub(lambda m: m.group("original"), template(name)))


def filled(name: str) -> str:
    """The resolved text with its placeholders ("<year>", "[yyyy]") filled in."""
    return _PLACEHOLDER.sub("2024 Example Corp", resolved(name))


def rewrap(text: str, width: int) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(textwrap.fill(p, width) for p in paragraphs)


def curly(text: str) -> str:
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019")


def as_found_in_a_repository(name: str, *, width: int, title: str) -> str:
    """The licence as a product would commit it: a title, a copyright line, re-wrapped."""
    body = curly(rewrap(filled(name), width))
    return f"{title}\n\nCopyright (c) 2024 Example Corp <legal@example.com>\n\n{body}\n"


@pytest.mark.parametrize("width", [40, 72, 120])
@pytest.mark.parametrize("spdx_id", sorted(SUPPORTED))
def test_each_supported_licence_is_recognised_after_realistic_edits(
    spdx_id: str, width: int
) -> None:
    text = as_found_in_a_repository(SUPPORTED[spdx_id], width=width, title=f"{spdx_id} License")
    match = identify_license(text)
    assert match is not None
    assert (match.spdx_id, match.method) == (spdx_id, "text")
    assert match.similarity >= 0.9


@pytest.mark.parametrize("spdx_id", sorted(SUPPORTED))
def test_the_package_text_itself_is_a_perfect_match(spdx_id: str) -> None:
    match = identify_license(resolved(SUPPORTED[spdx_id]))
    assert match is not None
    assert (match.spdx_id, match.similarity) == (spdx_id, 1.0)


def test_whole_match_of_an_mit_file() -> None:
    text = "MIT License\n\nCopyright (c) 2024 Example Corp\n\n" + filled("MIT").split("\n", 3)[3]
    assert identify_license(text) == LicenseMatch(
        spdx_id="MIT", name="MIT License", similarity=1.0, method="text"
    )


def test_windows_line_endings_and_markdown_do_not_matter() -> None:
    text = "# MIT License\n\n" + rewrap(filled("MIT"), 60).replace("\n", "\r\n")
    match = identify_license(text.replace("THE SOFTWARE IS", "**THE SOFTWARE IS"))
    assert match is not None and match.spdx_id == "MIT"


def test_the_supported_ids_are_known() -> None:
    known = known_license_ids()
    assert set(SUPPORTED) <= set(known)
    assert {"GPL-2.0-or-later", "LGPL-2.1-or-later", "BSD-4-Clause", "X11"} <= set(known)
    # Old ids of the package are reported under their current names only.
    assert not {"GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0"} & set(known)


# Near misses: licences that differ by a clause or a sentence.

MIT_0 = filled("MIT").replace(
    ", subject to the following conditions:\n\nThe above copyright notice and this permission "
    "notice shall be included in all copies or substantial portions of the Software.",
    ".",
)
# The ISC text as most projects carry it: "THE AUTHOR" where the SPDX text says "ISC".
ISC_AS_USED = (
    filled("ISC")
    .replace("AND ISC DISCLAIMS", "AND THE AUTHOR DISCLAIMS")
    .replace("SHALL ISC BE", "SHALL THE AUTHOR BE")
)
BSD_3_WITHOUT_CLAUSE_3 = re.sub(
    r"\n\n3\. Neither the name.*?permission\.", "", filled("BSD-3-Clause")
)


def test_near_miss_texts_are_built_as_intended() -> None:
    assert filled("MIT") != MIT_0
    assert filled("ISC") != ISC_AS_USED
    assert filled("BSD-3-Clause") != BSD_3_WITHOUT_CLAUSE_3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (filled("MIT"), "MIT"),
        (MIT_0, None),  # MIT-0 is not in the package; it must not pass for MIT
        (filled("ISC"), "ISC"),
        (ISC_AS_USED, "ISC"),  # holds all of 0BSD, plus the notice condition
        (filled("0BSD"), "0BSD"),
        (filled("BSD-2-Clause"), "BSD-2-Clause"),
        (filled("BSD-3-Clause"), "BSD-3-Clause"),
        (BSD_3_WITHOUT_CLAUSE_3, "BSD-2-Clause"),
        (filled("BSD-4-Clause"), "BSD-4-Clause"),  # holds all of BSD-3-Clause
        (filled("GPL-2.0"), "GPL-2.0-only"),
        (filled("GPL-3.0"), "GPL-3.0-only"),
        (filled("LGPL-2.1"), "LGPL-2.1-only"),
        (filled("LGPL-3.0"), "LGPL-3.0-only"),
        (filled("AGPL-3.0"), "AGPL-3.0-only"),
        (filled("EUPL-1.0"), "EUPL-1.0"),
        (filled("EUPL-1.1"), "EUPL-1.1"),
        (filled("CDDL-1.1"), "CDDL-1.1"),
        (filled("CPL-1.0"), "CPL-1.0"),  # EPL-1.0 is CPL-1.0 reworded
        (filled("X11"), "X11"),  # MIT plus a clause on the X Consortium's name
    ],
)
def test_close_licences_are_told_apart(text: str, expected: str | None) -> None:
    match = identify_license(text)
    assert (match.spdx_id if match else None) == expected


def test_mit_0_reports_mit_as_closest_but_not_recognised() -> None:
    closest = closest_license(MIT_0)
    assert closest is not None
    assert closest.spdx_id == "MIT"
    assert 0.8 < closest.similarity < 0.9


def test_apache_without_its_appendix_is_still_apache() -> None:
    text = filled("Apache-2.0")
    without_appendix = text[: text.index("APPENDIX: How to apply")]
    match = identify_license(without_appendix)
    assert match is not None
    assert (match.spdx_id, match.similarity) == ("Apache-2.0", 1.0)


def test_gpl_without_how_to_apply_is_still_gpl() -> None:
    text = filled("GPL-3.0")
    match = identify_license(text[: text.index("How to Apply These Terms")])
    assert match is not None
    assert (match.spdx_id, match.similarity) == ("GPL-3.0-only", 1.0)


APACHE_NOTICE = """Copyright 2024 Example Corp

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
"""


def test_the_apache_notice_alone_is_not_a_licence_text() -> None:
    assert identify_license(APACHE_NOTICE) is None


def test_the_apache_notice_with_an_spdx_identifier_is_identified_by_it() -> None:
    match = identify_license("SPDX-License-Identifier: Apache-2.0\n\n" + APACHE_NOTICE)
    assert match is not None
    assert (match.spdx_id, match.name, match.method) == (
        "Apache-2.0",
        "Apache License 2.0",
        "spdx-identifier",
    )
    assert match.similarity < 0.2  # the text itself is far from the licence


GPL_2_OR_LATER_NOTICE = """\
This program is free software; you can redistribute it and/or modify it under
the terms of the GNU General Public License as published by the Free Software
Foundation; either version 2 of the License, or (at your option) any later
version.

"""


def test_gpl_text_says_only_unless_a_notice_says_or_later() -> None:
    full = filled("GPL-2.0")
    without_appendix = full[: full.index("How to Apply These Terms")]
    # The appendix carries the "or any later version" sentence once, as an example.
    assert identify_license(full) == LicenseMatch(
        spdx_id="GPL-2.0-only",
        name="GNU General Public License v2.0 only",
        similarity=1.0,
        method="text",
    )
    for text in (full, without_appendix):
        match = identify_license(GPL_2_OR_LATER_NOTICE + text)
        assert match is not None
        assert (match.spdx_id, match.name, match.method) == (
            "GPL-2.0-or-later",
            "GNU General Public License v2.0 or later",
            "text",
        )


def test_gpl_and_lgpl_3_concatenated_is_the_gpl() -> None:
    # COPYING and COPYING.LESSER pasted into one file: the best single match.
    match = identify_license(filled("GPL-3.0") + "\n\n" + filled("LGPL-3.0"))
    assert match is not None and match.spdx_id == "GPL-3.0-only"


def test_dual_licence_file_gives_the_best_single_licence() -> None:
    text = filled("MIT") + "\n\n---\n\n" + filled("Apache-2.0")
    match = identify_license(text)
    assert match is not None and match.spdx_id == "Apache-2.0"  # the longer text dominates
    # The longer of two short texts is the one that accounts for more of the file.
    match = identify_license(filled("MIT") + "\n\n" + filled("BSL-1.0"))
    assert match is not None and match.spdx_id == "BSL-1.0"


# SPDX-License-Identifier lines.


def test_identifier_agreeing_with_the_text_keeps_the_text_match() -> None:
    match = identify_license("SPDX-License-Identifier: MIT\n\n" + filled("MIT"))
    assert match == LicenseMatch(spdx_id="MIT", name="MIT License", similarity=1.0, method="text")


def test_identifier_refines_a_gnu_text_to_or_later() -> None:
    match = identify_license("SPDX-License-Identifier: GPL-3.0-or-later\n\n" + filled("GPL-3.0"))
    assert match is not None
    assert (match.spdx_id, match.method) == ("GPL-3.0-or-later", "text")


def test_identifier_disagreeing_with_the_text_wins_and_keeps_the_text_score() -> None:
    plain = identify_license(filled("MIT"))
    match = identify_license("SPDX-License-Identifier: Apache-2.0\n" + filled("MIT"))
    assert plain is not None
    assert match == LicenseMatch(
        spdx_id="Apache-2.0",
        name="Apache License 2.0",
        similarity=plain.similarity,
        method="spdx-identifier",
    )


def test_identifier_of_a_licence_the_package_lacks_is_kept_as_written() -> None:
    match = identify_license("// SPDX-License-Identifier: MIT-0\n" + MIT_0)
    assert match is not None
    assert (match.spdx_id, match.name, match.method) == ("MIT-0", "MIT-0", "spdx-identifier")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SPDX-License-Identifier: MIT", "MIT"),
        ("# SPDX-License-Identifier: mit", "MIT"),
        ("/* SPDX-License-Identifier: GPL-2.0+ */", "GPL-2.0-or-later"),
        ("<!-- SPDX-License-Identifier: Apache-2.0 -->", "Apache-2.0"),
        ("spdx-license-identifier: lgpl-2.1", "LGPL-2.1-only"),
        ("SPDX-License-Identifier: LicenseRef-Acme-Proprietary", "LicenseRef-Acme-Proprietary"),
        ("SPDX-License-Identifier: MIT OR Apache-2.0", None),  # an expression, not an id
        ("SPDX-License-Identifier: NOASSERTION", None),
        ("SPDX-License-Identifier:", None),
        ("no identifier here", None),
    ],
)
def test_declared_license_id(line: str, expected: str | None) -> None:
    assert declared_license_id(f"first line\n{line}\nlast line\n") == expected


def test_declared_id_from_elsewhere_is_used_when_the_text_has_none() -> None:
    match = identify_license(APACHE_NOTICE, declared="Apache-2.0")
    assert match is not None and (match.spdx_id, match.method) == ("Apache-2.0", "spdx-identifier")
    match = identify_license(filled("MIT"), declared="MIT")
    assert match is not None and (match.spdx_id, match.method) == ("MIT", "text")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MIT", "MIT"),
        ("apache-2.0", "Apache-2.0"),
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("gpl-3.0-or-later", "GPL-3.0-or-later"),
        ("AGPL-3.0-only", "AGPL-3.0-only"),
        ("MIT-0", "MIT-0"),
        (" 0BSD ", "0BSD"),
        ("MIT License", None),
        ("", None),
        ("-MIT", None),
        ("NONE", None),
    ],
)
def test_canonical_license_id(raw: str, expected: str | None) -> None:
    assert canonical_license_id(raw) == expected


# Texts that are no licence.

README = """# Widget service

Widget service keeps the inventory of widgets and tells the shop how many are
left. It runs as a small web application behind the company gateway.

## Running it

    make run

## Licence

This project is released under the MIT licence; see LICENSE for the full text.
Contributions are welcome: open a pull request and describe the change.
"""

PROSE = (
    "The committee met on a rainy Tuesday to review the quarterly figures. After a short "
    "discussion of the budget, the chair asked each team to report on its progress, and "
    "the meeting ended with a plan to visit the new warehouse before the end of the month."
)


@pytest.mark.parametrize(
    "text", [README, PROSE, "", "   \n\n", "Copyright (c) 2024 Example Corp\n"]
)
def test_text_that_is_no_licence_is_not_recognised(text: str) -> None:
    assert identify_license(text) is None


def test_closest_licence_of_nothing_is_none() -> None:
    assert closest_license("") is None
    assert closest_license(PROSE) is None


def test_truncated_licence_reports_how_close_it_came() -> None:
    text = filled("MIT")
    half = text[: len(text) // 2]
    assert identify_license(half) is None
    closest = closest_license(half)
    assert closest is not None
    assert closest.spdx_id == "MIT"
    assert closest.similarity < 0.9


def test_identification_is_fast_after_warm_up() -> None:
    gpl = as_found_in_a_repository("GPL-3.0", width=72, title="GNU GENERAL PUBLIC LICENSE")
    mit = as_found_in_a_repository("MIT", width=72, title="MIT License")
    identify_license(mit)  # builds the reference index once
    for text in (mit, gpl):
        timings = []
        for _ in range(5):
            # CPU time of this process: other processes on a busy machine do not count.
            start = time.process_time()
            identify_license(text)
            timings.append(time.process_time() - start)
        assert min(timings) < 0.020, statistics.median(timings)
