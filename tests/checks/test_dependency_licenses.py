from __future__ import annotations

import json
from typing import Any

from assay.checks.api import fingerprint
from assay.checks.dependency_licenses import DependencyLicensesCheck, LicenseParams
from support import run_product_check


def composer_lock(*packages: tuple[str, str, list[str]]) -> str:
    return json.dumps(
        {
            "_readme": ["This file locks the dependencies of your project"],
            "content-hash": "0" * 32,
            "packages": [
                {"name": name, "version": version, "license": licences, "type": "library"}
                for name, version, licences in packages
            ],
            "packages-dev": [],
        },
        indent=4,
    )


LOCK = composer_lock(
    ("monolog/monolog", "3.5.0", ["MIT"]),
    ("acme/gpl-lib", "1.0.0", ["GPL-3.0-only"]),
    ("acme/dual", "2.0.0", ["GPL-3.0-only", "MIT"]),
    ("acme/closed", "1.1.0", ["proprietary"]),
    ("acme/odd", "0.1.0", ["Do What You Like"]),
    ("acme/bare", "0.2.0", []),
)
PYPROJECT = """\
[tool.poetry]
name = "app"
version = "1.0"

[tool.poetry.dependencies]
python = "^3.11"
shared = { path = "libs/shared" }
"""
SHARED = '[project]\nname = "shared"\nversion = "0.1"\nlicense = "AGPL-3.0-only"\n'


def licence_finding(*, rule: str, path: str, purl: str, declared: str, category: str,
                    message: str, severity: str, line: int) -> dict[str, Any]:  # fmt: skip
    return {
        "check_id": "license.dependencies", "rule": rule, "message": message,
        "severity": severity, "path": path, "start_line": line, "end_line": line,
        "fingerprint": fingerprint("license.dependencies", rule, path,
                                   f"{purl.split('@', maxsplit=1)[0]}|{declared}"),
        "cwe": [], "properties": {"purl": purl, "category": category},
    }  # fmt: skip


def test_denied_and_unknown_licences_are_findings(make_repo: Any) -> None:
    repo = make_repo("shop", {"composer.lock": LOCK, "pyproject.toml": PYPROJECT,
                              "libs/shared/pyproject.toml": SHARED})  # fmt: skip
    output = run_product_check(DependencyLicensesCheck(), repo)
    findings = sorted(output["findings"], key=lambda f: f["message"])
    assert [(f["message"], f["severity"]) for f in findings] == [
        ("acme/closed 1.1.0 (Packagist) is licensed 'proprietary': "
         "proprietary licences are denied by the policy", "high"),
        ("acme/gpl-lib 1.0.0 (Packagist) is licensed 'GPL-3.0-only': "
         "strong-copyleft licences are denied by the policy", "high"),
        ("acme/odd 0.1.0 (Packagist) is licensed 'Do What You Like': "
         "not a recognised SPDX licence expression", "low"),
        ("shared (PyPI) is licensed 'AGPL-3.0-only': strong-copyleft licences are denied "
         "by the policy", "high"),
    ]  # fmt: skip
    assert findings[1] == licence_finding(
        rule="license.denied",
        path="composer.lock",
        purl="pkg:composer/acme/gpl-lib@1.0.0",
        declared="GPL-3.0-only",
        category="strong-copyleft",
        message=findings[1]["message"],
        severity="high",
        line=16,
    )
    assert output["measures"] == [
        {"check_id": "license.dependencies", "name": "license.components", "value": value,
         "unit": "components", "labels": {"category": category}}
        for category, value in [("permissive", 2), ("proprietary", 1), ("strong-copyleft", 2),
                                ("undeclared", 1), ("unknown", 1)]
    ]  # fmt: skip


def test_an_allow_list_accepts_only_what_it_names(make_repo: Any) -> None:
    repo = make_repo("shop", {"composer.lock": LOCK})
    params = LicenseParams(allow=["MIT", "weak-copyleft"], report_unknown=False)
    output = run_product_check(DependencyLicensesCheck(), repo, params)
    assert sorted(f["message"] for f in output["findings"]) == [
        "acme/closed 1.1.0 (Packagist) is licensed 'proprietary': "
        "not in the allowed licences (MIT, weak-copyleft)",
        "acme/gpl-lib 1.0.0 (Packagist) is licensed 'GPL-3.0-only': "
        "not in the allowed licences (MIT, weak-copyleft)",
    ]


def test_without_dependencies_the_check_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("plain", {"README.md": "x\n"})
    assert run_product_check(DependencyLicensesCheck(), repo)["not_applicable"] == (
        "no dependency declared in the repository"
    )


NUGET_LOCK = json.dumps(
    {
        "version": 1,
        "dependencies": {
            "net8.0": {
                "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.3, )",
                                    "resolved": "13.0.3", "contentHash": "x"},
                "Acme.Copyleft": {"type": "Direct", "requested": "[2.1.0, )",
                                  "resolved": "2.1.0", "contentHash": "y"},
                "Acme.LicenseFile": {"type": "Transitive", "resolved": "1.0.0",
                                     "contentHash": "z"},
                "Acme.Elsewhere": {"type": "Transitive", "resolved": "4.0.0",
                                   "contentHash": "w"},
            }
        },
    },
    indent=2,
)  # fmt: skip


def nuspec(package: str, version: str, licence: str, *, namespace: str = "") -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<package{xmlns}>\n  <metadata>\n'
        f"    <id>{package}</id>\n    <version>{version}</version>\n    {licence}\n"
        "  </metadata>\n</package>\n"
    )


def test_nuget_packages_kept_in_the_tree_give_their_nuspec_licence(make_repo: Any) -> None:
    ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"
    repo = make_repo("dotnet", {
        "src/App/packages.lock.json": NUGET_LOCK,
        # Ids and versions compare without case, as NuGet compares them.
        "packages/newtonsoft.json.13.0.3/newtonsoft.json.nuspec": nuspec(
            "newtonsoft.json", "13.0.3", '<license type="expression">MIT</license>',
            namespace=ns),
        "packages/Acme.Copyleft.2.1.0/Acme.Copyleft.nuspec": nuspec(
            "Acme.Copyleft", "2.1.0", '<license type="expression">GPL-3.0-or-later</license>'),
        # A licence file in the package, or only a URL, is no expression: undeclared.
        "packages/Acme.LicenseFile.1.0.0/Acme.LicenseFile.nuspec": nuspec(
            "Acme.LicenseFile", "1.0.0", '<license type="file">LICENSE.txt</license>'),
        # Another version of a package is not this version's licence.
        "vendor/Acme.Elsewhere.3.9.0/Acme.Elsewhere.nuspec": nuspec(
            "Acme.Elsewhere", "3.9.0", '<license type="expression">Apache-2.0</license>'),
        # Nor is a nuspec outside the folder NuGet restores the package to (a fixture).
        "tests/fixtures/Acme.Elsewhere.nuspec": nuspec(
            "Acme.Elsewhere", "4.0.0", '<license type="expression">MIT</license>'),
        "packages/broken.nuspec": "<package><metadata><id>Acme.Elsewhere</id>",
    })  # fmt: skip
    output = run_product_check(DependencyLicensesCheck(), repo)
    assert [f["message"] for f in output["findings"]] == [
        "Acme.Copyleft 2.1.0 (NuGet) is licensed 'GPL-3.0-or-later': "
        "strong-copyleft licences are denied by the policy"
    ]
    assert {m["labels"]["category"]: m["value"] for m in output["measures"]} == {
        "permissive": 1, "strong-copyleft": 1, "undeclared": 2,
    }  # fmt: skip
