"""The hygiene.license check on real git repositories built on the fly."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assay.checks.api import CheckOutput, ProductCheck, fingerprint
from assay.checks.license import LicenseCheck, LicenseParams
from assay.checks.registry import load_registry
from assay.model import Finding, Measure, Severity
from assay.snapshot import open_snapshot
from support import as_data

CHECK = "hygiene.license"


def spdx_text(name: str) -> str:
    return (files("spdx") / "data" / f"{name}.txt").read_text(encoding="utf-8")


MIT = spdx_text("MIT").replace("<year> <copyright holders>", "2024 Example Corp")
GPL_3 = spdx_text("GPL-3.0")
LGPL_3 = spdx_text("LGPL-3.0")
APACHE = spdx_text("Apache-2.0")
# The first two paragraphs of MIT only: a licence cut short.
MIT_CUT_SHORT = "\n\n".join(MIT.split("\n\n")[:3]) + "\n"


def run(repo: Any, params: LicenseParams | None = None, *, path: Path | None = None) -> Any:
    """The whole output of the check on the repository's HEAD (or a plain folder)."""
    snapshot = open_snapshot(path if path is not None else repo.path)
    try:
        output = LicenseCheck().run(snapshot, params if params is not None else LicenseParams())
    finally:
        snapshot.close()
    return as_data(output)


def expect(
    findings: list[Finding] | None = None, measures: list[Measure] | None = None
) -> dict[str, Any]:
    return as_data(CheckOutput(findings=findings or [], measures=measures or []))


def found(rule: str, message: str, severity: Severity, path: str | None, key: str = "") -> Finding:
    return Finding(
        check_id=CHECK,
        rule=f"{CHECK}.{rule}",
        message=message,
        severity=severity,
        path=path,
        fingerprint=fingerprint(CHECK, f"{CHECK}.{rule}", path or "", key),
    )


def recognised(spdx_id: str, path: str) -> Measure:
    return Measure(
        check_id=CHECK,
        name="license.recognised",
        value=1,
        unit="bool",
        labels={"spdx_id": spdx_id, "path": path},
    )


def test_the_check_follows_the_check_api_and_is_registered() -> None:
    check = LicenseCheck()
    assert isinstance(check, ProductCheck)
    assert (check.kind, check.id, check.version, check.cache_scope) == (
        "product",
        "hygiene.license",
        "1",
        "tree",
    )
    assert LicenseParams().model_dump() == {"allowed": None, "max_bytes": 262144}
    assert isinstance(load_registry().get("hygiene.license"), LicenseCheck)


def test_missing_licence(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "# p\n", "docs/LICENSE": MIT})  # not at the root
    assert run(repo) == expect(
        findings=[found("missing", "no LICENSE file at the repository root", Severity.MEDIUM, None)]
    )


def test_recognised_licence_gives_a_measure_and_no_finding(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": "MIT License\n\n" + MIT})
    assert run(repo) == expect(measures=[recognised("MIT", "LICENSE")])


@pytest.mark.parametrize(
    "name", ["license.md", "Licence.txt", "COPYING", "UNLICENSE", "LICENSE.rst"]
)
def test_licence_file_names_are_matched_in_any_case(make_repo: Any, name: str) -> None:
    repo = make_repo("p", {name: MIT})
    assert run(repo) == expect(measures=[recognised("MIT", name)])


def test_recognised_licence_in_the_allowed_list(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": APACHE})
    params = LicenseParams(allowed=["MIT", "apache-2.0"])  # ids are compared in canonical form
    assert run(repo, params) == expect(measures=[recognised("Apache-2.0", "LICENSE")])


def test_licence_not_in_the_allowed_list(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": GPL_3})
    params = LicenseParams(allowed=["MIT", "Apache-2.0"])
    assert run(repo, params) == expect(
        findings=[
            found(
                "not-allowed",
                "LICENSE: GPL-3.0-only is not in the allowed licences (MIT, Apache-2.0)",
                Severity.HIGH,
                "LICENSE",
                key="GPL-3.0-only",
            )
        ],
        measures=[recognised("GPL-3.0-only", "LICENSE")],
    )


def test_old_gnu_id_in_the_allowed_list_means_the_only_variant(make_repo: Any) -> None:
    repo = make_repo("p", {"COPYING": GPL_3})
    assert run(repo, LicenseParams(allowed=["GPL-3.0"])) == expect(
        measures=[recognised("GPL-3.0-only", "COPYING")]
    )


def test_unrecognised_licence_names_the_closest_one(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": MIT_CUT_SHORT})
    assert run(repo) == expect(
        findings=[
            found(
                "unrecognised",
                "LICENSE: licence text not recognised as any known SPDX licence "
                "(best match MIT at 51%)",
                Severity.LOW,
                "LICENSE",
            )
        ]
    )


def test_unrecognised_text_like_no_licence_at_all(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": "Proprietary. Ask the legal team before you share it.\n"})
    assert run(repo) == expect(
        findings=[
            found(
                "unrecognised",
                "LICENSE: licence text not recognised as any known SPDX licence",
                Severity.LOW,
                "LICENSE",
            )
        ]
    )


def test_symlinked_licence_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p", {"docs/LICENSE.txt": MIT})
    repo.symlink("LICENSE", "docs/LICENSE.txt")
    repo.commit("link")
    assert run(repo) == expect(
        findings=[
            found(
                "symlink",
                "LICENSE is a symlink; it is not read (commit the licence text itself)",
                Severity.MEDIUM,
                "LICENSE",
            )
        ]
    )


def test_symlink_out_of_the_tree_is_not_followed(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.symlink("COPYING", "/etc/passwd")
    repo.commit("link")
    output = run(repo)
    assert [f["rule"] for f in output["findings"]] == ["hygiene.license.symlink"]
    assert "root:" not in repr(output)


def test_symlink_in_a_plain_directory_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "real-license.txt").write_text(MIT, encoding="utf-8")
    (folder / "LICENSE").symlink_to("real-license.txt")
    assert run(None, path=folder)["findings"] == [
        found(
            "symlink",
            "LICENSE is a symlink; it is not read (commit the licence text itself)",
            Severity.MEDIUM,
            "LICENSE",
        ).model_dump()
    ]


def test_licence_over_the_size_limit_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": MIT})
    size = len(MIT.encode())
    assert run(repo, LicenseParams(max_bytes=500)) == expect(
        findings=[
            found(
                "too-large",
                f"LICENSE is {size} bytes, over the limit of 500; not read",
                Severity.LOW,
                "LICENSE",
            )
        ]
    )


def test_undecodable_bytes_do_not_prevent_recognition(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": b"MIT License \xff\xfe\x80\n\n" + MIT.encode()})
    assert run(repo) == expect(measures=[recognised("MIT", "LICENSE")])


def test_reuse_licences_folder(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "LICENSES/MIT.txt": MIT,
            "LICENSES/Apache-2.0.txt": APACHE,
            # REUSE names the file after its id; the text alone is only a notice.
            "LICENSES/LicenseRef-Acme.txt": "Acme internal licence, see the intranet.\n",
            "LICENSES/sub/GPL-3.0.txt": GPL_3,  # not directly in LICENSES/: ignored
        },
    )
    assert run(repo, LicenseParams(allowed=["MIT", "Apache-2.0"])) == expect(
        findings=[
            found(
                "not-allowed",
                "LICENSES/LicenseRef-Acme.txt: LicenseRef-Acme is not in the allowed licences "
                "(MIT, Apache-2.0)",
                Severity.HIGH,
                "LICENSES/LicenseRef-Acme.txt",
                key="LicenseRef-Acme",
            )
        ],
        measures=[
            recognised("Apache-2.0", "LICENSES/Apache-2.0.txt"),
            recognised("LicenseRef-Acme", "LICENSES/LicenseRef-Acme.txt"),
            recognised("MIT", "LICENSES/MIT.txt"),
        ],
    )


def test_lgpl_3_with_its_gpl_companion_is_reported_as_lgpl(make_repo: Any) -> None:
    repo = make_repo("p", {"COPYING": GPL_3, "COPYING.LESSER": LGPL_3})
    params = LicenseParams(allowed=["LGPL-3.0-only"])
    assert run(repo, params) == expect(measures=[recognised("LGPL-3.0-only", "COPYING.LESSER")])


def test_every_licence_file_at_the_root_is_judged(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "LICENSE": GPL_3,
            "COPYING": MIT_CUT_SHORT,
            "LICENSE-MIT": MIT,
            "NOTICE": MIT,  # not a licence file name
            "src/LICENSE": MIT,  # not at the root
        },
    )
    output = run(repo, LicenseParams(allowed=["MIT"]))
    assert [(f["rule"], f["path"]) for f in output["findings"]] == [
        ("hygiene.license.unrecognised", "COPYING"),
        ("hygiene.license.not-allowed", "LICENSE"),
    ]
    assert output["measures"] == [
        recognised("GPL-3.0-only", "LICENSE").model_dump(),
        recognised("MIT", "LICENSE-MIT").model_dump(),
    ]


def test_dual_licensed_product_with_one_file_per_licence(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE-APACHE": APACHE, "LICENSE-MIT": MIT})
    assert run(repo, LicenseParams(allowed=["MIT", "Apache-2.0"])) == expect(
        measures=[recognised("Apache-2.0", "LICENSE-APACHE"), recognised("MIT", "LICENSE-MIT")]
    )


def test_allowed_list_rejects_what_is_not_an_spdx_id() -> None:
    with pytest.raises(ValidationError) as caught:
        LicenseParams(allowed=["MIT", "MIT License"])
    errors = caught.value.errors()
    assert [(e["loc"], e["msg"]) for e in errors] == [
        (
            ("allowed",),
            "Value error, 'MIT License' is not an SPDX licence id (e.g. MIT, Apache-2.0)",
        )
    ]


def test_empty_allowed_list_allows_nothing(make_repo: Any) -> None:
    repo = make_repo("p", {"LICENSE": MIT})
    assert run(repo, LicenseParams(allowed=[])) == expect(
        findings=[
            found(
                "not-allowed",
                "LICENSE: MIT is not in the allowed licences (none)",
                Severity.HIGH,
                "LICENSE",
                key="MIT",
            )
        ],
        measures=[recognised("MIT", "LICENSE")],
    )
