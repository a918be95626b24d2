from __future__ import annotations

import pytest

from assay.deps.formats.gemfile_lock import GemfileLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

GEMFILE_LOCK = """\
GIT
  remote: https://github.com/rails/rails.git
  revision: 7c70791470fc517deb7c640bead9f1b47efb5539
  branch: main
  specs:
    actionpack (7.2.0.alpha)
      rack (>= 2.2.4)
    activesupport (7.2.0.alpha)

PATH
  remote: engines/billing
  specs:
    billing (0.1.0)
      activesupport

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.15.5-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.15.5-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    rack (2.2.8)
    rack (3.0.8)
    rspec (3.12.0)
    broken-line
    this is not a spec (1.0)

GEM
  remote: https://gems.acme.example/
  specs:
    acme-auth (2.1.0)

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  actionpack!
  acme-auth (~> 2.1)
  billing!
  nokogiri (>= 1.15, < 2)
  rack (~> 3.0)
  rspec

CHECKSUMS
  racc (1.7.3) sha256=b785ab8a30ec43bce073c51dbbe791fd27000f68d1c996c95da98bf685316905

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.5.3
"""

PATH = "Gemfile.lock"


def _gem(
    name: str,
    version: str,
    line: int,
    *,
    direct: bool,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.RUBYGEMS,
        purl=f"pkg:gem/{name}@{version}",
        direct=direct,
        scope=Scope.UNKNOWN,
        declared_in=PATH,
        line=line,
        source=source,
        location=location,
    )


RAILS = "https://github.com/rails/rails.git#7c70791470fc517deb7c640bead9f1b47efb5539"


def test_reads_sources_specs_and_direct_dependencies() -> None:
    parsed = GemfileLockParser().parse(PATH, GEMFILE_LOCK)
    assert (parsed.format, parsed.kind, parsed.ecosystem) == (
        "Gemfile.lock",
        "lock",
        Ecosystem.RUBYGEMS,
    )
    assert parsed.components == (
        _gem("acme-auth", "2.1.0", 33, direct=True, location="https://gems.acme.example/"),
        _gem("actionpack", "7.2.0.alpha", 6, direct=True, source=SourceKind.GIT, location=RAILS),
        _gem(
            "activesupport",
            "7.2.0.alpha",
            8,
            direct=False,
            source=SourceKind.GIT,
            location=RAILS,
        ),
        _gem(
            "billing", "0.1.0", 13, direct=True, source=SourceKind.PATH, location="engines/billing"
        ),
        # Two platform builds of one version make one component, at the first line.
        _gem("nokogiri", "1.15.5", 19, direct=True),
        _gem("racc", "1.7.3", 23, direct=False),
        # Bundler resolves one version per gem; a hand-merged lock may hold two: both kept.
        _gem("rack", "2.2.8", 24, direct=True),
        _gem("rack", "3.0.8", 25, direct=True),
        _gem("rspec", "3.12.0", 26, direct=True),
    )
    assert parsed.problems == (
        Problem(message="unexpected line in GEM: 'broken-line'", line=27),
        Problem(message="unexpected line in GEM: 'this is not a spec (1.0)'", line=28),
    )


def test_unknown_sections_are_problems() -> None:
    text = """\
GEM
  remote: https://rubygems.org/
  specs:
    rake (13.1.0)

PLATFORMS
  ruby

DEPENDENCIES
  rake

<<<<<<< HEAD
"""
    parsed = GemfileLockParser().parse(PATH, text)
    assert parsed.components == (_gem("rake", "13.1.0", 4, direct=True),)
    assert parsed.problems == (Problem(message="unknown section '<<<<<<< HEAD'", line=12),)


def test_an_empty_file_has_nothing() -> None:
    parsed = GemfileLockParser().parse(PATH, "\n")
    assert (parsed.components, parsed.problems) == ((), ())


def test_a_lock_cut_before_dependencies_is_an_error() -> None:
    truncated = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.1.0)\n"
    with pytest.raises(ManifestError) as caught:
        GemfileLockParser().parse(PATH, truncated)
    assert str(caught.value) == "Gemfile.lock: no DEPENDENCIES section; the file looks truncated"


def test_a_gemfile_is_not_a_lock() -> None:
    gemfile = 'source "https://rubygems.org"\n\ngem "rails", "~> 7.1"\n'
    with pytest.raises(ManifestError) as caught:
        GemfileLockParser().parse(PATH, gemfile)
    assert str(caught.value) == "Gemfile.lock: no GEM, GIT, PATH or DEPENDENCIES section"


def test_an_indented_first_line_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        GemfileLockParser().parse("gems.locked", "\n    rake (13.1.0)\n")
    assert str(caught.value) == (
        "gems.locked:2: expected a section name such as GEM, found an indented line"
    )
