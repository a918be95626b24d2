"""The policy schema: sizes, defaults, conditions, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from assay.model import Severity
from assay.policy.model import (
    Control,
    Enforcement,
    Limits,
    MeasureBound,
    MeasureCondition,
    NoFindings,
    NoFindingsCondition,
    Policy,
    _parse_size,
)

SIZE_PROBLEM = "expected a size such as 2097152, '2 MiB' or '500 KB'"


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("2 MiB", 2 * 1024 * 1024),
        ("500KB", 500_000),
        ("500 KB", 500_000),
        ("1.5 GiB", 1_610_612_736),
        ("3 GB", 3_000_000_000),
        ("64 KiB", 65_536),
        ("7 MB", 7_000_000),
        ("12 B", 12),
        ("  42  ", 42),
        ("1.5 KiB", 1536),
        (2097152, 2097152),
    ],
)
def test_parse_size(value: object, size: int) -> None:
    assert _parse_size(value) == size


@pytest.mark.parametrize("value", ["big", "2 mib", "2 TB", "-1", "1e3", "", "2 MiB extra"])
def test_parse_size_refuses_what_is_not_a_size(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        _parse_size(value)
    assert str(caught.value) == SIZE_PROBLEM


def test_non_strings_are_left_to_the_integer_validation() -> None:
    assert _parse_size(1.5) == 1.5
    assert _parse_size(None) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1.5", "'1.5' is not a whole number of bytes"),
        ("1.0005 KB", "'1.0005 KB' is not a whole number of bytes"),
        (True, "expected a size such as 2097152, '2 MiB' or '500 KB', not true/false"),
    ],
)
def test_fractions_of_a_byte_and_booleans_are_refused(value: object, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        _parse_size(value)
    assert str(caught.value) == problem


def errors(error: ValidationError) -> list[tuple[tuple[int | str, ...], str, str]]:
    return [(e["loc"], e["type"], e["msg"]) for e in error.errors()]


def test_limits_take_sizes_and_refuse_nonsense() -> None:
    assert Limits() == Limits(max_file_size=2 * 1024 * 1024, check_timeout=60.0)
    assert Limits.model_validate({"max_file_size": "500 KB"}).max_file_size == 500_000
    with pytest.raises(ValidationError) as caught:
        Limits.model_validate({"max_file_size": "big", "check_timeout": 0})
    assert errors(caught.value) == [
        (("max_file_size",), "value_error", f"Value error, {SIZE_PROBLEM}"),
        (("check_timeout",), "greater_than", "Input should be greater than 0"),
    ]
    with pytest.raises(ValidationError) as caught:
        Limits.model_validate({"max_file_size": "0 KB"})
    assert errors(caught.value) == [
        (("max_file_size",), "greater_than", "Input should be greater than 0"),
    ]
    with pytest.raises(ValidationError) as caught:
        Limits.model_validate({"max_file_size": 1.5})
    assert errors(caught.value) == [
        (
            ("max_file_size",),
            "int_from_float",
            "Input should be a valid integer, got a number with a fractional part",
        ),
    ]


def test_a_control_defaults_to_enforced_no_findings() -> None:
    control = Control.model_validate({"id": "C-1", "title": "T"})
    assert control == Control(
        id="C-1",
        title="T",
        objective=None,
        severity=Severity.MEDIUM,
        enforcement=Enforcement.ENFORCE,
        checks=[],
        condition=NoFindingsCondition(
            no_findings=NoFindings(rules=["*"], min_severity=Severity.INFO)
        ),
        pass_reason=None,
        manual=False,
    )


def test_conditions_are_told_apart_by_their_key() -> None:
    measured = Control.model_validate(
        {
            "id": "C-1",
            "title": "T",
            "condition": {"measure": {"name": "days", "max": 365, "labels": {"k": "v"}}},
        }
    )
    assert measured.condition == MeasureCondition(
        measure=MeasureBound(name="days", labels={"k": "v"}, min=None, max=365.0)
    )
    findings = Control.model_validate(
        {
            "id": "C-2",
            "title": "T",
            "condition": {"no_findings": {"rules": ["a.*"], "min_severity": "high"}},
        }
    )
    assert findings.condition == NoFindingsCondition(
        no_findings=NoFindings(rules=["a.*"], min_severity=Severity.HIGH)
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"id": "", "title": "T"},
            [(("id",), "string_too_short", "String should have at least 1 character")],
        ),
        (
            {"id": "C", "title": "T", "colour": "red"},
            [(("colour",), "extra_forbidden", "Extra inputs are not permitted")],
        ),
        (
            {"id": "C", "title": "T", "enforcement": "block"},
            [(("enforcement",), "enum", "Input should be 'enforce' or 'warn'")],
        ),
        (
            {"id": "C", "title": "T", "severity": "urgent"},
            [
                (
                    ("severity",),
                    "enum",
                    "Input should be 'info', 'low', 'medium', 'high' or 'critical'",
                )
            ],
        ),
    ],
)
def test_a_control_refuses(data: dict[str, Any], expected: list[Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        Control.model_validate(data)
    assert errors(caught.value) == expected


def test_a_policy_needs_its_schema_version_under_its_alias() -> None:
    policy = Policy.model_validate({"assay-policy": 1, "id": "p", "title": "P"})
    assert policy == Policy(
        assay_policy=1, id="p", title="P", description=None, limits=Limits(), checks={},
        controls=[],
    )  # fmt: skip
    assert policy.model_dump(mode="json", by_alias=True)["assay-policy"] == 1
    with pytest.raises(ValidationError) as caught:
        Policy.model_validate({"assay-policy": 2, "id": "p", "title": "P"})
    assert errors(caught.value) == [(("assay-policy",), "literal_error", "Input should be 1")]
    with pytest.raises(ValidationError) as caught:
        Policy.model_validate({"id": "p", "title": "P"})
    assert errors(caught.value) == [(("assay-policy",), "missing", "Field required")]
