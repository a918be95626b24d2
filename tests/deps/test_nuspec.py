"""Reading a NuGet package's .nuspec for its licence expression."""

from __future__ import annotations

import pytest

from assay.deps.nuspec import NuspecLicense, package_key, read_nuspec

NS = "http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd"


def test_an_expression_licence_with_a_schema_namespace() -> None:
    data = (
        f'<package xmlns="{NS}"><metadata><id> Serilog </id><version>3.1.1</version>'
        '<license type="expression">Apache-2.0</license></metadata></package>'
    ).encode()
    assert read_nuspec(data) == NuspecLicense(
        package="Serilog", version="3.1.1", expression="Apache-2.0"
    )


@pytest.mark.parametrize(
    "licence",
    ['<license type="file">LICENSE.md</license>',
     "<licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>", ""],
)  # fmt: skip
def test_no_expression_leaves_the_package_undeclared(licence: str) -> None:
    data = f"<package><metadata><id>A</id><version>1.0.0</version>{licence}</metadata></package>"
    nuspec = read_nuspec(data.encode())
    assert nuspec is not None
    assert nuspec.expression is None


@pytest.mark.parametrize(
    "data",
    [
        b"<package><metadata><id>A</id>",  # truncated
        b"<project><metadata><id>A</id><version>1</version></metadata></project>",  # not nuspec
        b"<package><metadata><version>1.0</version></metadata></package>",  # no id
        b"\xff\xfe<\x00p\x00",  # invalid UTF-16
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<package><metadata><id>&b;</id><version>1</version></metadata></package>",
    ],
)
def test_what_is_no_readable_nuspec_gives_nothing(data: bytes) -> None:
    assert read_nuspec(data) is None


def test_ids_and_versions_compare_without_case() -> None:
    assert package_key("Newtonsoft.Json", "13.0.3-Beta") == package_key(
        "newtonsoft.json", "13.0.3-beta"
    )
