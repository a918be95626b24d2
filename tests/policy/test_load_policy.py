"""load_policy, its hash, needed_check_ids and bind_checks, with exact error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from pydantic import BaseModel, ConfigDict

from assay.checks.api import CheckOutput, NoParams
from assay.checks.registry import Registry, load_registry
from assay.engine import Limits
from assay.errors import ConfigError
from assay.policy import LoadedPolicy, bind_checks, load_policy, needed_check_ids
from assay.policy.model import Policy

HINT = "fix the file, then check it with `assay policy validate FILE`"

BASELINE_CHECKS = [
    "hygiene.readme",
    "hygiene.license",
    "hygiene.security-policy",
    "secrets.scan",
    "hygiene.codeowners",
    "hygiene.contributing",
    "hygiene.changelog",
    "hygiene.gitignore",
    "hygiene.ci-config",
    "hygiene.tests-present",
    "hygiene.lockfiles",
    "inventory.binary-artifacts",
    "activity.git",
    "deps.inventory",
    "license.dependencies",
    "pipeline.actions-pinned",
    "pipeline.permissions",
    "pipeline.dangerous-triggers",
    "pipeline.script-injection",
    "pipeline.gitlab-images-pinned",
    "pipeline.dependency-updates",
    "docker.base-image-pinned",
    "docker.non-root",
    "docker.add-url",
    "docker.secrets-in-env",
    "docker.unpinned-packages",
    "sast.ruff",
    "vulns.osv",
    "maint.complexity",
    "maint.duplication",
    "maint.readme-sections",
    "maint.docstrings",
    "tests.junit",
    "coverage.report",
    "process.review",
    "process.releases",
    "process.maintenance",
    "inventory.languages",
    "maint.lint",
    "process.signatures",
]


def write_policy(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(location: str | Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_policy(location)
    return caught.value


# --------------------------------------------------------------------------- the baseline


def test_the_baseline_loads_and_binds_to_the_installed_checks() -> None:
    loaded = load_policy()
    assert loaded.source == "assay-baseline (built-in)"
    assert loaded.policy.id == "assay-baseline"
    assert loaded.limits == Limits(max_file_size=2 * 1024 * 1024, check_timeout_s=60.0)
    assert needed_check_ids(loaded.policy) == BASELINE_CHECKS
    registry = load_registry()
    assert registry.broken == {}
    bound = bind_checks(loaded, registry)
    assert [b.check.id for b in bound] == BASELINE_CHECKS
    assert [b.check for b in bound] == [registry.checks[c] for c in BASELINE_CHECKS]
    readme = bound[0].params.model_dump()
    assert readme == {"min_lines": 10}
    assert load_policy("assay-baseline") == loaded


def test_the_hash_is_stable_and_follows_the_content(tmp_path: Path) -> None:
    first, second = load_policy(), load_policy()
    assert first.hash == second.hash
    assert len(first.hash) == 64
    text = (Path(__file__).parents[2] / "src/assay/policy/assay-baseline.yaml").read_text()
    # The hash is of the validated policy: comments, layout and key order do not count.
    reformatted = "# a comment\n" + text.replace("check_timeout: 60", "check_timeout: 60.0")
    assert load_policy(write_policy(tmp_path, reformatted, "same.yaml")).hash == first.hash
    tightened = text.replace("max: 365", "max: 180")
    assert tightened != text
    assert load_policy(write_policy(tmp_path, tightened, "other.yaml")).hash != first.hash
    renamed = text.replace("title: Assay baseline", "title: Our baseline")
    assert load_policy(write_policy(tmp_path, renamed, "renamed.yaml")).hash != first.hash


# --------------------------------------------------------------------------- needed checks


def test_needed_check_ids_keeps_order_and_adds_parameterised() -> None:
    policy = Policy.model_validate(
        {
            "assay-policy": 1,
            "id": "p",
            "title": "P",
            "checks": {"zeta.params-only": {}, "beta.two": {"x": 1}},
            "controls": [
                {"id": "C-1", "title": "T", "checks": ["beta.two", "alpha.one"]},
                {"id": "C-2", "title": "T", "checks": ["manual.evidence"], "manual": True},
                {"id": "C-3", "title": "T", "checks": ["alpha.one", "gamma.three"]},
            ],
        }
    )
    # A manual control's checks run too: its attestation completes them.
    assert needed_check_ids(policy) == ["beta.two", "alpha.one", "manual.evidence",
                                        "gamma.three", "zeta.params-only"]  # fmt: skip


# --------------------------------------------------------------------------- load errors


def test_a_missing_policy_file(tmp_path: Path) -> None:
    error = config_error(tmp_path / "nope.yaml")
    assert error.message == f"{tmp_path / 'nope.yaml'}: cannot read: no such file"
    assert error.hint == HINT


def test_duplicate_control_ids_are_named_where_they_repeat(tmp_path: Path) -> None:
    path = write_policy(
        tmp_path,
        "assay-policy: 1\n"
        "id: p\n"
        "title: P\n"
        "controls:\n"
        "  - id: C-1\n"
        "    title: first\n"
        "  - id: C-2\n"
        "    title: second\n"
        "  - {title: third, id: C-1}\n",
    )
    error = config_error(path)
    assert error.message == f"{path}:9:24: controls[2].id: duplicate control id 'C-1'"
    assert error.hint == HINT


def test_a_schema_problem_names_file_line_and_key(tmp_path: Path) -> None:
    path = write_policy(
        tmp_path,
        "assay-policy: 1\n"
        "id: p\n"
        "title: P\n"
        "limits:\n"
        "  max_file_size: big\n"
        "controls:\n"
        "  - id: C-1\n"
        "    title: T\n"
        "    enforcment: warn\n",
    )
    assert config_error(path).message == (
        f"{path}:5:18: limits.max_file_size: Value error, expected a size such as 2097152, "
        "'2 MiB' or '500 KB' (got 'big')\n"
        f"{path}:9:5: controls[0].enforcment: unknown key 'enforcment'; did you mean "
        "'enforcement'?"
    )


# --------------------------------------------------------------------------- bind_checks


class StrictParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_lines: int = 10
    pattern: str


class ProductStub:
    kind: ClassVar[Literal["product"]] = "product"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "stub"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, check_id: str, params: type[BaseModel] = NoParams) -> None:
        self.id = check_id  # type: ignore[misc]
        self.Params = params  # type: ignore[misc]

    def run(self, snapshot: Any, params: Any) -> CheckOutput:
        return CheckOutput()


def registry(*checks: ProductStub, broken: dict[str, str] | None = None) -> Registry:
    return Registry(checks={c.id: c for c in checks}, broken=broken)


def load_text(tmp_path: Path, text: str) -> tuple[Path, LoadedPolicy]:
    path = write_policy(tmp_path, text)
    return path, load_policy(path)


def bind_error(loaded: LoadedPolicy, installed: Registry) -> str:
    with pytest.raises(ConfigError) as caught:
        bind_checks(loaded, installed)
    assert caught.value.hint == HINT
    return caught.value.message


def test_unknown_checks_with_and_without_a_close_match(tmp_path: Path) -> None:
    path, loaded = load_text(
        tmp_path,
        "assay-policy: 1\n"
        "id: p\n"
        "title: P\n"
        "checks:\n"
        "  hygiene.licence: {}\n"
        "controls:\n"
        "  - id: C-1\n"
        "    title: T\n"
        "    checks: [hygiene.readmee, nothing.like.this]\n",
    )
    installed = registry(ProductStub("hygiene.readme"), ProductStub("hygiene.license"))
    assert bind_error(loaded, installed) == (
        f"{path}:9:14: controls[0].checks[0]: unknown check 'hygiene.readmee'; "
        "did you mean 'hygiene.readme'?\n"
        f"{path}:9:31: controls[0].checks[1]: unknown check 'nothing.like.this'; "
        "`assay checks` lists the installed checks\n"
        f"{path}:5:20: checks['hygiene.licence']: unknown check 'hygiene.licence'; "
        "did you mean 'hygiene.license'?"
    )


def test_a_broken_check_is_suggested_and_left_out(tmp_path: Path) -> None:
    _, loaded = load_text(
        tmp_path,
        "assay-policy: 1\nid: p\ntitle: P\n"
        "controls:\n  - {id: C-1, title: T, checks: [tiny.todo, other.ok]}\n",
    )
    installed = registry(ProductStub("other.ok"), broken={"tiny.todo": "cannot load"})
    assert [b.check.id for b in bind_checks(loaded, installed)] == ["other.ok"]
    _, typo = load_text(
        tmp_path,
        "assay-policy: 1\nid: p\ntitle: P\n"
        "controls:\n  - {id: C-1, title: T, checks: [tiny.tod]}\n",
    )
    assert bind_error(typo, installed).endswith(
        "controls[0].checks[0]: unknown check 'tiny.tod'; did you mean 'tiny.todo'?"
    )


def test_bad_parameters_name_file_line_and_parameter(tmp_path: Path) -> None:
    path, loaded = load_text(
        tmp_path,
        "assay-policy: 1\n"
        "id: p\n"
        "title: P\n"
        "checks:\n"
        "  strict.one:\n"
        "    min_lines: many\n"
        "    colour: red\n"
        "    pattern: x\n"
        "  strict.two:\n"
        "    min_lines: 3\n"
        "controls:\n"
        "  - id: C-1\n"
        "    title: T\n"
        "    checks: [strict.one, strict.two]\n",
    )
    installed = registry(
        ProductStub("strict.one", StrictParams), ProductStub("strict.two", StrictParams)
    )
    assert bind_error(loaded, installed) == (
        f"{path}:6:16: checks['strict.one'].min_lines: Input should be a valid integer, "
        "unable to parse string as an integer (got 'many')\n"
        f"{path}:7:5: checks['strict.one'].colour: unknown parameter 'colour'\n"
        f"{path}:10:5: checks['strict.two'].pattern: missing required parameter"
    )


def test_parameters_are_validated_into_the_checks_model(tmp_path: Path) -> None:
    _, loaded = load_text(
        tmp_path,
        "assay-policy: 1\nid: p\ntitle: P\n"
        "checks:\n  strict.one: {pattern: 'x+', min_lines: '7'}\n  plain: {}\n",
    )
    installed = registry(ProductStub("strict.one", StrictParams), ProductStub("plain"))
    bound = bind_checks(loaded, installed)
    assert [(b.check.id, b.params) for b in bound] == [
        ("strict.one", StrictParams(min_lines=7, pattern="x+")),
        ("plain", NoParams()),
    ]


def test_a_problem_without_positions_names_the_source() -> None:
    policy = Policy.model_validate({"assay-policy": 1, "id": "p", "title": "P"})
    loaded = LoadedPolicy(policy=policy, source="inline", hash="h")
    assert loaded.problem_at(("checks", "a.b", "x"), "bad") == "inline: checks['a.b'].x: bad"
