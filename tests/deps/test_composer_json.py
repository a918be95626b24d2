from __future__ import annotations

import pytest

from assay.deps.formats.composer_json import ComposerJsonParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope
from assay.deps.parsers import component

MANIFEST = """\
{
    "name": "acme/shop",
    "type": "project",
    "license": "proprietary",
    "require": {
        "php": ">=8.1",
        "ext-json": "*",
        "ext-mbstring": "*",
        "lib-libxml": ">=2.9",
        "composer-runtime-api": "^2.2",
        "monolog/monolog": "^3.5",
        "guzzlehttp\\/guzzle": "7.8.1",
        "symfony/console": "v6.4.1",
        "doctrine/orm": "~2.17.0",
        "acme/internal": "dev-main",
        "acme/forked": "1.x-dev",
        "ramsey/uuid": "4.*",
        "legacy": "1.0",
        "vendor/odd": ["1.0"]
    },
    "require-dev": {
        "phpunit/phpunit": "^10.5",
        "phpstan/phpstan": "1.10.50",
        "monolog/monolog": ">=3.0 <4.0"
    },
    "suggest": {
        "ext-redis": "for the cache"
    }
}
"""


def _packagist(
    name: str,
    version: str | None,
    line: int,
    *,
    requirement: str | None = None,
    scope: Scope = Scope.RUNTIME,
) -> Component:
    return component(
        name=name,
        version=version,
        requirement=requirement,
        ecosystem=Ecosystem.PACKAGIST,
        declared_in="composer.json",
        direct=True,
        scope=scope,
        line=line,
    )


def test_reads_require_and_require_dev_without_platform_packages() -> None:
    parsed = ComposerJsonParser().parse("composer.json", MANIFEST)
    assert parsed.components == (
        _packagist("acme/forked", None, 16, requirement="1.x-dev"),
        _packagist("acme/internal", None, 15, requirement="dev-main"),
        _packagist("doctrine/orm", None, 14, requirement="~2.17.0"),
        _packagist("guzzlehttp/guzzle", "7.8.1", 12),
        _packagist("monolog/monolog", None, 11, requirement="^3.5"),
        _packagist("monolog/monolog", None, 24, requirement=">=3.0 <4.0", scope=Scope.DEV),
        _packagist("phpstan/phpstan", "1.10.50", 23, scope=Scope.DEV),
        _packagist("phpunit/phpunit", None, 22, requirement="^10.5", scope=Scope.DEV),
        _packagist("ramsey/uuid", None, 17, requirement="4.*"),
        _packagist("symfony/console", "6.4.1", 13),
    )
    assert parsed.problems == (
        Problem(message="skipped 'legacy': not a vendor/package name", line=18),
        Problem(message="skipped vendor/odd: the constraint is not a string", line=19),
    )
    assert (parsed.format, parsed.kind) == ("composer.json", "manifest")
    assert parsed.components[3].purl == "pkg:composer/guzzlehttp/guzzle@7.8.1"


def test_an_empty_php_array_is_an_empty_section() -> None:
    parsed = ComposerJsonParser().parse(
        "composer.json", '{"require": [], "require-dev": {"mockery/mockery": "1.6.7"}}'
    )
    assert parsed.components == (
        component(
            name="mockery/mockery",
            version="1.6.7",
            ecosystem=Ecosystem.PACKAGIST,
            declared_in="composer.json",
            direct=True,
            scope=Scope.DEV,
            line=1,
        ),
    )


def test_a_manifest_without_requirements_has_no_components() -> None:
    parsed = ComposerJsonParser().parse("composer.json", '{"name": "acme/empty"}')
    assert (parsed.components, parsed.problems) == ((), ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MANIFEST[:200], "composer.json:9: invalid JSON: Unterminated string starting at"),
        (
            '{"require": {"a/b": "1.0",}}',
            "composer.json:1: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ('"acme/shop"', "composer.json: expected a JSON object, found string"),
        (
            '{"require": "monolog/monolog"}',
            'composer.json: "require" must be an object, found string',
        ),
        ('{"require-dev": ["a/b"]}', 'composer.json: "require-dev" must be an object, found array'),
    ],
)
def test_unreadable_manifests_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        ComposerJsonParser().parse("composer.json", text)
    assert str(caught.value) == message
