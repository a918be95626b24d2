from __future__ import annotations

import pytest

from assay.deps.formats.composer_lock import ComposerLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind
from assay.deps.parsers import component

LOCK = """\
{
    "_readme": [
        "This file locks the dependencies of your project to a known state",
        "This file is @generated automatically"
    ],
    "content-hash": "3f2a7c1e9b8d6a5f4e3d2c1b0a9f8e7d",
    "packages": [
        {
            "name": "monolog/monolog",
            "version": "3.5.0",
            "source": {
                "type": "git",
                "url": "https://github.com/Seldaek/monolog.git",
                "reference": "c915e2634718dbc8a4a15c61b0e62e7a44e14448"
            },
            "dist": {
                "type": "zip",
                "url": "https://api.github.com/repos/Seldaek/monolog/zipball/c915e2634718dbc8a4a15c61b0e62e7a44e14448",
                "reference": "c915e2634718dbc8a4a15c61b0e62e7a44e14448",
                "shasum": ""
            },
            "require": {
                "php": ">=8.1",
                "psr/log": "^2.0 || ^3.0"
            },
            "type": "library",
            "license": [
                "MIT"
            ],
            "authors": [
                {
                    "name": "Jordi Boggiano",
                    "email": "j.boggiano@seld.be"
                }
            ],
            "time": "2023-10-27T15:32:31+00:00"
        },
        {
            "name": "symfony\\/console",
            "version": "v6.4.1",
            "source": {
                "type": "git",
                "url": "https://github.com/symfony/console.git",
                "reference": "a550a7c99daeedef3f9d23fb82e3531525ff11fd"
            },
            "type": "library",
            "license": ["MIT"]
        },
        {
            "name": "acme/internal",
            "version": "dev-main",
            "source": {
                "type": "git",
                "url": "git@gitlab.acme.test:php/internal.git",
                "reference": "0d5b1c8a7f2e4c3b9a6d8e1f0c2b4a6d8e0f1a2b"
            },
            "type": "library",
            "license": ["proprietary"]
        },
        {
            "name": "acme/local-tools",
            "version": "1.0.0",
            "dist": {
                "type": "path",
                "url": "../local-tools",
                "reference": "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c"
            },
            "type": "library",
            "license": ["GPL-2.0-only", "GPL-3.0-or-later"]
        },
        {
            "name": "psr/log",
            "version": "3.0.0"
        },
        {
            "name": "psr/log",
            "version": "2.0.0"
        },
        {
            "version": "1.0.0"
        },
        "not a package"
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "10.5.3",
            "type": "library",
            "license": "BSD-3-Clause"
        },
        {
            "name": "vimeo/psalm",
            "version": "5.x-dev",
            "source": {
                "type": "hg",
                "url": "https://hg.example.test/psalm",
                "reference": "4f1c3b"
            }
        }
    ],
    "aliases": [],
    "minimum-stability": "stable",
    "platform": {
        "php": "^8.1"
    },
    "plugin-api-version": "2.6.0"
}
"""


def _locked(
    name: str,
    version: str | None,
    line: int,
    *,
    scope: Scope = Scope.RUNTIME,
    requirement: str | None = None,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
    license: str | None = None,
) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.PACKAGIST,
        declared_in="composer.lock",
        direct=None,
        scope=scope,
        line=line,
        requirement=requirement,
        source=source,
        location=location,
        license=license,
    )


def test_reads_packages_sources_licences_and_dev_packages() -> None:
    parsed = ComposerLockParser().parse("composer.lock", LOCK)
    assert parsed.components == (
        _locked(
            "acme/internal",
            None,
            50,
            requirement="dev-main",
            source=SourceKind.GIT,
            location="git@gitlab.acme.test:php/internal.git",
            license="proprietary",
        ),
        _locked(
            "acme/local-tools",
            "1.0.0",
            61,
            source=SourceKind.PATH,
            location="../local-tools",
            license="GPL-2.0-only OR GPL-3.0-or-later",
        ),
        _locked("monolog/monolog", "3.5.0", 9, license="MIT"),
        _locked("phpunit/phpunit", "10.5.3", 86, scope=Scope.DEV, license="BSD-3-Clause"),
        _locked("psr/log", "2.0.0", 76),
        _locked("psr/log", "3.0.0", 72),
        _locked("symfony/console", "6.4.1", 39, license="MIT"),
        _locked(
            "vimeo/psalm",
            None,
            92,
            scope=Scope.DEV,
            requirement="5.x-dev",
            source=SourceKind.URL,
            location="https://hg.example.test/psalm",
        ),
    )
    assert parsed.problems == (
        Problem(message="skipped packages[6]: no name"),
        Problem(message="skipped packages[7]: not an object"),
    )
    assert (parsed.format, parsed.kind) == ("composer.lock", "lock")
    assert parsed.components[6].purl == "pkg:composer/symfony/console@6.4.1"


def test_a_lock_installed_without_dev_packages_reads() -> None:
    text = '{"packages": [{"name": "psr/container", "version": "v2.0.2"}], "packages-dev": null}'
    parsed = ComposerLockParser().parse("app/composer.lock", text)
    assert parsed.components == (
        component(
            name="psr/container",
            version="2.0.2",
            ecosystem=Ecosystem.PACKAGIST,
            declared_in="app/composer.lock",
            direct=None,
            line=1,
        ),
    )
    assert parsed.problems == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LOCK[:500], "composer.lock:15: invalid JSON: Expecting ',' delimiter"),
        ("", "composer.lock:1: invalid JSON: Expecting value"),
        ("[]", "composer.lock: expected a JSON object, found array"),
        ('{"content-hash": "x"}', 'composer.lock: "packages" must be an array, found nothing'),
        ('{"packages": {}}', 'composer.lock: "packages" must be an array, found object'),
        (
            '{"packages": [], "packages-dev": "none"}',
            'composer.lock: "packages-dev" must be an array, found string',
        ),
    ],
)
def test_unreadable_locks_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        ComposerLockParser().parse("composer.lock", text)
    assert str(caught.value) == message
