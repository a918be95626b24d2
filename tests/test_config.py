"""Loading YAML configuration into pydantic models, and the exact errors users see."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Annotated, Literal

import pytest
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from assay.config import (
    format_path,
    format_problem,
    load_yaml_model,
    parse_yaml_document,
    parse_yaml_model,
    position_of,
)
from assay.errors import ConfigError, ExitCode

SOURCE = "policy.yaml"


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_size: int = 1_000_000
    timeout: float | None = None


class Control(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    severity: Literal["low", "medium", "high"] = "medium"
    owner: str | None = None


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lead: str
    members: list[str] = []


class RegexMatcher(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["regex"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("the pattern is empty")
        return value


class GlobMatcher(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["glob"]
    patterns: list[str]


Matcher = Annotated[RegexMatcher | GlobMatcher, Field(discriminator="kind")]


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    limits: Limits = Field(default_factory=Limits)
    controls: list[Control] = []
    teams: dict[str, Team] = {}
    matchers: list[Matcher] = []
    fallback: Matcher | None = None


class Aliased(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_class: str = Field(alias="data-class")


def error_of(text: str, model: type[BaseModel] = Policy) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_yaml_model(dedent(text), SOURCE, model)
    assert caught.value.exit_code is ExitCode.USAGE
    return caught.value.message


# --------------------------------------------------------------------------- success


def test_valid_document_becomes_the_model() -> None:
    text = """\
        # the company policy
        name: acme
        limits:
          max_file_size: 2048
          timeout: 1.5
        controls:
          - id: hygiene.readme
            severity: high
          - id: hygiene.license
            owner: null
        teams:
          payments: {lead: ana, members: [bo, cy]}
        matchers:
          - kind: regex
            pattern: 'AKIA[0-9A-Z]{16}'
          - kind: glob
            patterns: ["*.pem", "*.key"]
        fallback: {kind: glob, patterns: []}
        """
    policy = parse_yaml_model(dedent(text), SOURCE, Policy)

    assert policy == Policy(
        name="acme",
        limits=Limits(max_file_size=2048, timeout=1.5),
        controls=[
            Control(id="hygiene.readme", severity="high"),
            Control(id="hygiene.license", owner=None),
        ],
        teams={"payments": Team(lead="ana", members=["bo", "cy"])},
        matchers=[
            RegexMatcher(kind="regex", pattern="AKIA[0-9A-Z]{16}"),
            GlobMatcher(kind="glob", patterns=["*.pem", "*.key"]),
        ],
        fallback=GlobMatcher(kind="glob", patterns=[]),
    )


def test_values_reach_pydantic_as_plain_python_types() -> None:
    text = """\
        name: x
        anchored: &yes true
        again: *yes
        number: 0x10
        ratio: 1.50
        day: 2024-03-01
        literal: |
          two
          lines
        tagged: !!str 5
        1: one
        """
    document = parse_yaml_document(dedent(text), SOURCE)

    assert document.data == {
        "name": "x",
        "anchored": True,
        "again": True,
        "number": 16,
        "ratio": 1.5,
        "day": "2024-03-01",
        "literal": "two\nlines\n",
        "tagged": "5",
        "1": "one",
    }
    assert [type(value) for value in document.data.values()] == [
        str,
        bool,
        bool,
        int,
        float,
        str,
        str,
        str,
        str,
    ]


def test_load_yaml_model_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("name: acme\ncontrols: [{id: a}]\n", encoding="utf-8")

    assert load_yaml_model(path, Policy) == Policy(name="acme", controls=[Control(id="a")])


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: acme\n")

    assert load_yaml_model(path, Policy) == Policy(name="acme")


# --------------------------------------------------------------------------- validation errors


def test_unknown_key_with_a_close_match_suggests_it() -> None:
    text = """\
        name: acme
        controls:
          - id: a
          - id: b
            severty: high
        """
    assert error_of(text) == (
        "policy.yaml:5:5: controls[1].severty: unknown key 'severty'; did you mean 'severity'?"
    )


def test_unknown_key_without_a_close_match_lists_the_expected_keys() -> None:
    text = """\
        name: acme
        limits:
          zzz: 1
        """
    assert error_of(text) == (
        "policy.yaml:3:3: limits.zzz: unknown key 'zzz'; expected one of: max_file_size, timeout"
    )


def test_unknown_key_suggestions_use_aliases() -> None:
    assert error_of("data_clas: x\n", Aliased) == (
        "policy.yaml:1:1: data-class: missing required key 'data-class'\n"
        "policy.yaml:1:1: data_clas: unknown key 'data_clas'; did you mean 'data-class'?"
    )
    assert error_of("zzz: x\n", Aliased) == (
        "policy.yaml:1:1: data-class: missing required key 'data-class'\n"
        "policy.yaml:1:1: zzz: unknown key 'zzz'; expected one of: data-class"
    )


def test_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    text = """\
        name: acme
        teams:
          payments:
            members: [ana]
        """
    assert error_of(text) == "policy.yaml:4:5: teams.payments.lead: missing required key 'lead'"


def test_missing_key_at_the_top_level() -> None:
    assert error_of("# policy\ncontrols: []\n") == (
        "policy.yaml:2:1: name: missing required key 'name'"
    )


def test_wrong_type_in_a_nested_list_item_points_at_the_value() -> None:
    text = """\
        name: acme
        limits: {max_file_size: big}
        controls:
          - id: a
          - id: b
            severity: urgent
          - id: [c]
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:2:25: limits.max_file_size: Input should be a valid integer, "
            "unable to parse string as an integer (got 'big')",
            "policy.yaml:6:15: controls[1].severity: Input should be 'low', 'medium' or 'high' "
            "(got 'urgent')",
            "policy.yaml:7:9: controls[2].id: Input should be a valid string (got ['c'])",
        ]
    )


def test_long_inputs_are_truncated_to_forty_characters() -> None:
    text = "name: acme\ncontrols: {id: a, severity: high, owner: somebody-with-a-long-name}\n"
    assert error_of(text) == (
        "policy.yaml:2:11: controls: Input should be a valid list "
        "(got {'id': 'a', 'severity': 'high', 'owne...)"
    )
    assert len("{'id': 'a', 'severity': 'high', 'owne...") == 40


def test_an_empty_value_is_reported_at_its_key() -> None:
    text = """\
        name: acme
        limits:
        controls: []
        """
    assert error_of(text) == (
        "policy.yaml:2:1: limits: Input should be a valid dictionary or instance of Limits "
        "(got None)"
    )


def test_discriminated_union_tags_are_not_part_of_the_key_path() -> None:
    text = """\
        name: acme
        matchers:
          - kind: regex
            patern: x
          - kind: glob
            patterns: "*.pem"
          - kind: regex
            pattern: ''
          - kind: semgrep
          - pattern: x
        fallback: {kind: glob, patterns: [1]}
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:3:5: matchers[0].pattern: missing required key 'pattern'",
            "policy.yaml:4:5: matchers[0].patern: unknown key 'patern'; did you mean 'pattern'?",
            "policy.yaml:6:15: matchers[1].patterns: Input should be a valid list (got '*.pem')",
            "policy.yaml:8:14: matchers[2].pattern: Value error, the pattern is empty (got '')",
            "policy.yaml:9:11: matchers[3].kind: Input tag 'semgrep' found using 'kind' does not "
            "match any of the expected tags: 'regex', 'glob' (got 'semgrep')",
            "policy.yaml:10:5: matchers[4].kind: missing required key 'kind'",
            "policy.yaml:11:35: fallback.patterns[0]: Input should be a valid string (got 1)",
        ]
    )


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("must be positive")
    return value


class Quota(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bytes: int


class Quotas(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quotas: list[Annotated[int, AfterValidator(_positive)] | Quota]


def test_smart_union_member_names_are_not_part_of_the_key_path() -> None:
    # pydantic reports these at ('quotas', 1, 'function-after[_positive(), int]') and
    # ('quotas', 2, 'Quota', 'bites'): one error per union member it tried.
    assert error_of("quotas: [1, -2, {bites: 3}]\n", Quotas) == "\n".join(
        [
            "policy.yaml:1:13: quotas[1]: Value error, must be positive (got -2)",
            "policy.yaml:1:13: quotas[1]: Input should be a valid dictionary or instance of Quota "
            "(got -2)",
            "policy.yaml:1:17: quotas[2]: Input should be a valid integer (got {'bites': 3})",
            "policy.yaml:1:17: quotas[2].bytes: missing required key 'bytes'",
            "policy.yaml:1:18: quotas[2].bites: unknown key 'bites'; did you mean 'bytes'?",
        ]
    )


def test_several_errors_are_reported_together_sorted_by_position() -> None:
    text = """\
        controls:
          - id: a
            severity: low
          - severity: extreme
        limits:
          timeout: soon
          max_file_size: 10
        teams:
          ops: {lead: ana, memebrs: [bo]}
        name: [acme]
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:4:5: controls[1].id: missing required key 'id'",
            "policy.yaml:4:15: controls[1].severity: Input should be 'low', 'medium' or 'high' "
            "(got 'extreme')",
            "policy.yaml:6:12: limits.timeout: Input should be a valid number, "
            "unable to parse string as a number (got 'soon')",
            "policy.yaml:9:20: teams.ops.memebrs: unknown key 'memebrs'; did you mean 'members'?",
            "policy.yaml:10:7: name: Input should be a valid string (got ['acme'])",
        ]
    )


def test_dict_key_errors_point_at_the_key() -> None:
    class Tiers(BaseModel):
        model_config = ConfigDict(extra="forbid")

        thresholds: dict[int, float]

    text = """\
        thresholds:
          1: 0.9
          two: 0.8
        """
    assert error_of(text, Tiers) == (
        "policy.yaml:3:3: thresholds.two: Input should be a valid integer, "
        "unable to parse string as an integer (got 'two')"
    )


def test_the_hint_is_passed_through() -> None:
    hint = "fix the file and run `assay policy validate FILE` to check it"
    for text in ["name: [x]\n", "- x\n", "name: x\nname: y\n", "a: b: c\n", "a: !x y\n"]:
        with pytest.raises(ConfigError) as caught:
            parse_yaml_model(text, SOURCE, Policy, hint=hint)
        assert caught.value.hint == hint
    with pytest.raises(ConfigError) as caught:
        parse_yaml_model("name: [x]\n", SOURCE, Policy)
    assert caught.value.hint is None


# --------------------------------------------------------------------------- YAML errors


def test_malformed_yaml_names_the_position_and_the_problem() -> None:
    assert error_of("name: acme\nlimits: timeout: 3\n") == (
        "policy.yaml:2:16: invalid YAML: mapping values are not allowed here"
    )
    assert error_of("name: acme\ncontrols: [a, b\n") == (
        "policy.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>'"
    )


def test_duplicate_keys_are_all_reported() -> None:
    text = """\
        name: acme
        limits:
          timeout: 1
          timeout: 2
        name: other
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:4:3: limits.timeout: duplicate key 'timeout'",
            "policy.yaml:5:1: name: duplicate key 'name'",
        ]
    )


def test_an_integer_key_and_its_text_are_duplicates() -> None:
    assert error_of("name: acme\n1: a\n'1': b\n") == "policy.yaml:3:1: 1: duplicate key '1'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- name: acme\n",
            "policy.yaml:1:1: expected a mapping at the top level, found a sequence",
        ),
        ("acme\n", "policy.yaml:1:1: expected a mapping at the top level, found a string"),
        ("42\n", "policy.yaml:1:1: expected a mapping at the top level, found a number"),
        (
            "# comments only\n",
            "policy.yaml:1:1: expected a mapping at the top level, found an empty document",
        ),
    ],
)
def test_the_top_level_must_be_a_mapping(text: str, expected: str) -> None:
    assert error_of(text) == expected


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")

    with pytest.raises(ConfigError) as caught:
        load_yaml_model(path, Policy)
    assert caught.value.message == (
        f"{path}:1:1: expected a mapping at the top level, found an empty document"
    )


def test_python_tags_are_rejected_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"""\
        name: !!python/object/apply:os.system ["touch {marker}"]
        limits: !!python/object:builtins.dict {{timeout: 1}}
        controls:
          - !!python/name:os.system
        teams: !local {{}}
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:1:7: name: unsupported YAML tag '!!python/object/apply:os.system'",
            "policy.yaml:2:9: limits: unsupported YAML tag '!!python/object:builtins.dict'",
            "policy.yaml:4:5: controls[0]: unsupported YAML tag '!!python/name:os.system'",
            "policy.yaml:5:8: teams: unsupported YAML tag '!local'",
        ]
    )
    assert not marker.exists()


def test_a_python_tag_on_the_top_level_is_rejected(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system\n- touch {marker}\n"
    assert error_of(text) == (
        "policy.yaml:1:1: unsupported YAML tag '!!python/object/apply:os.system'"
    )
    assert not marker.exists()


def test_values_without_a_plain_equivalent_are_rejected() -> None:
    text = """\
        name: acme
        blob: !!binary aGVsbG8=
        set: !!set {a, b}
        ? [complex, key]
        : x
        2.5: float key
        """
    assert error_of(text) == "\n".join(
        [
            "policy.yaml:2:7: blob: binary values (!!binary) are not supported",
            "policy.yaml:3:6: set: sets (!!set) are not supported; use a sequence",
            "policy.yaml:4:3: complex mapping keys are not supported",
            "policy.yaml:6:1: mapping keys must be strings or integers (got 2.5)",
        ]
    )


def test_alias_bombs_are_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    assert error_of("\n".join(lines) + "\n") == (
        "policy.yaml:1:1: too many values once aliases are expanded (more than 1000000)"
    )


def test_deeply_nested_flow_collections_are_refused_before_parsing() -> None:
    text = "name: " + "[" * 40 + "]" * 40 + "\n"
    assert error_of(text) == (
        "policy.yaml:1:39: invalid YAML: flow collections ([ ], { }) are nested more than 32 deep"
    )


def test_brackets_in_strings_and_comments_do_not_count_as_nesting() -> None:
    text = dedent(
        f"""\
        # {"[" * 40}
        name: '{"[" * 40}'
        limits: {{max_file_size: 1}}  # {"{" * 40}
        controls: [{{id: "{"[" * 40}\\"", owner: 'it''s [['}}]
        """
    )
    policy = parse_yaml_model(text, SOURCE, Policy)
    assert policy.name == "[" * 40
    assert policy.controls == [Control(id="[" * 40 + '"', owner="it's [[")]


def test_deeply_nested_block_collections_are_refused() -> None:
    text = "name:\n  " + "- " * 2000 + "x\n"
    assert error_of(text) == "policy.yaml:1:1: invalid YAML: the document is nested too deeply"


def test_control_characters_are_invalid_yaml() -> None:
    assert error_of("name: acme\nowner: a\x01b\n") == (
        "policy.yaml:2:9: invalid YAML: unacceptable character #x0001: "
        "special characters are not allowed"
    )


# --------------------------------------------------------------------------- unreadable files


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(ConfigError) as caught:
        load_yaml_model(path, Policy, hint="create it")
    assert caught.value.message == f"{path}: cannot read: no such file"
    assert caught.value.hint == "create it"


def test_a_directory_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml_model(tmp_path, Policy)
    assert caught.value.message == f"{tmp_path}: cannot read: is a directory"


def test_a_file_that_is_not_utf8_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: acme\nowner: Jos\u00e9\n".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_yaml_model(path, Policy)
    assert caught.value.message == f"{path}: cannot read: not valid UTF-8 (byte 0xe9 on line 2)"


# --------------------------------------------------------------------------- helpers


def test_positions_follow_key_paths() -> None:
    text = "name: acme\ncontrols:\n  - id: a\n  - id: b\n    severity: low\n"
    document = parse_yaml_document(text, SOURCE)

    assert position_of(document.root, ()) == (1, 1)
    assert position_of(document.root, ("controls", 1, "severity")) == (5, 15)
    assert position_of(document.root, ("controls", 1, "severity"), key=True) == (5, 5)
    assert position_of(document.root, ("controls", 1, "owner")) == (4, 5)
    assert document.problem_at(("controls", 0, "id"), "unknown control 'a'") == (
        "policy.yaml:3:9: controls[0].id: unknown control 'a'"
    )


def test_key_paths_quote_keys_that_are_not_plain_words() -> None:
    assert format_path(("checks", "hygiene.readme", "severity")) == (
        "checks['hygiene.readme'].severity"
    )
    assert format_path(("controls", 2, "id")) == "controls[2].id"
    assert format_problem("f.yaml", (3, 4), (), "bad") == "f.yaml:3:4: bad"
