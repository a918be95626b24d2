from __future__ import annotations

import pytest

from assay.deps.formats.go_mod import GoModParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

GO_MOD = """\
// The service's module.
module example.com/shop/api

go 1.22.0

toolchain go1.22.3

godebug default=go1.21

require github.com/google/uuid v1.6.0

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgolang.org/x/net v0.0.0-20230321023759-10a507213a29 // indirect
\t"github.com/quoted/path" v2.0.0+incompatible
\tgithub.com/old/lib v1.0.0 // indirect; pinned for a fix
\texample.com/shop/shared v0.3.0
\tgithub.com/sirupsen/logrus v1.8.1
\tgithub.com/sirupsen/logrus v1.9.3 // indirect
\tgithub.com/broken/entry
\tgithub.com/branch/name master
)

replace github.com/old/lib => github.com/fork/lib v1.0.1

replace (
\texample.com/shop/shared => ../shared
\tgithub.com/sirupsen/logrus v1.8.1 => github.com/sirupsen/logrus v1.8.3
\tgithub.com/not/required => github.com/other v1.0.0
)

exclude golang.org/x/net v0.1.0

retract (
\tv1.0.0 // published by mistake
\t[v1.1.0, v1.1.5]
)

frobnicate everything
"""

PATH = "services/api/go.mod"


def _go(
    name: str,
    version: str | None,
    line: int,
    *,
    direct: bool = True,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
    purl: str | None = None,
) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.GO,
        purl=purl or (f"pkg:golang/{name}@{version}" if version else f"pkg:golang/{name}"),
        direct=direct,
        scope=Scope.RUNTIME,
        declared_in=PATH,
        line=line,
        source=source,
        location=location,
    )


def test_reads_requires_replacements_and_indirect_markers() -> None:
    parsed = GoModParser().parse(PATH, GO_MOD)
    assert (parsed.format, parsed.kind, parsed.ecosystem) == ("go.mod", "manifest", Ecosystem.GO)
    assert parsed.components == (
        _go("example.com/shop/shared", None, 17, source=SourceKind.PATH, location="../shared"),
        _go("github.com/fork/lib", "v1.0.1", 16, direct=False),
        _go("github.com/gin-gonic/gin", "v1.9.1", 13),
        _go("github.com/google/uuid", "v1.6.0", 10),
        _go(
            "github.com/quoted/path",
            "v2.0.0+incompatible",
            15,
            purl="pkg:golang/github.com/quoted/path@v2.0.0%2Bincompatible",
        ),
        # Only v1.8.1 is replaced: the replacement names that version.
        _go("github.com/sirupsen/logrus", "v1.8.3", 18),
        _go("github.com/sirupsen/logrus", "v1.9.3", 19, direct=False),
        _go("golang.org/x/net", "v0.0.0-20230321023759-10a507213a29", 14, direct=False),
    )
    assert parsed.problems == (
        Problem(message="require is not 'module version': 'github.com/broken/entry'", line=20),
        Problem(message="not a Go module version: 'master'", line=21),
        Problem(message="unknown directive 'frobnicate'", line=39),
    )


def test_single_line_replace_with_version_and_local_directory() -> None:
    text = """\
module example.com/app

require (
\tgithub.com/a/a v1.0.0
\tgithub.com/b/b v1.2.0
)

replace github.com/a/a v1.0.0 => ./vendor/a
replace github.com/b/b v1.1.0 => github.com/b/b v1.1.5
replace github.com/b/b v1.1.0 => github.com/b/b v1.1.6
replace github.com/c/c => ./c v1.0.0
replace github.com/d/d => github.com/d/fork
replace github.com/e/e github.com/e/fork v1.0.0
"""
    parsed = GoModParser().parse("go.mod", text)
    assert [(c.name, c.version, c.source, c.location) for c in parsed.components] == [
        ("github.com/a/a", None, SourceKind.PATH, "./vendor/a"),
        # The replacement is for another version, so v1.2.0 stays.
        ("github.com/b/b", "v1.2.0", SourceKind.REGISTRY, None),
    ]
    assert parsed.problems == (
        Problem(message="github.com/b/b is replaced more than once", line=10),
        Problem(
            message="a local replacement takes no version: 'github.com/c/c => ./c v1.0.0'",
            line=11,
        ),
        Problem(message="replacement module 'github.com/d/fork' has no version", line=12),
        Problem(message="replace without '=>': 'github.com/e/e github.com/e/fork v1.0.0'", line=13),
    )


def test_arrow_and_comments_need_no_spaces() -> None:
    text = 'module m\nrequire x.org/y v1.0.0//indirect\nreplace x.org/y=>"x.org/z" v1.1.0\n'
    parsed = GoModParser().parse("go.mod", text)
    assert [(c.name, c.version, c.direct, c.line) for c in parsed.components] == [
        ("x.org/z", "v1.1.0", False, 2)
    ]


def test_a_module_without_requirements_has_no_components() -> None:
    parsed = GoModParser().parse("go.mod", "module example.com/tool\n\ngo 1.21\n")
    assert parsed.components == ()
    assert parsed.problems == ()


def test_an_empty_file_has_nothing() -> None:
    parsed = GoModParser().parse("go.mod", "\n// nothing yet\n")
    assert (parsed.components, parsed.problems) == ((), ())


def test_an_unclosed_block_is_an_error() -> None:
    truncated = "module m\n\nrequire (\n\tgithub.com/a/a v1.0.0\n"
    with pytest.raises(ManifestError) as caught:
        GoModParser().parse("go.mod", truncated)
    assert str(caught.value) == "go.mod:3: require block is not closed"


def test_an_unterminated_quote_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        GoModParser().parse("go.mod", 'module m\nrequire "github.com/a/a v1.0.0\n')
    assert str(caught.value) == "go.mod:2: unterminated quoted string"


def test_a_file_without_module_directive_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        GoModParser().parse("go.mod", "\n[package]\nname = 'not go'\n")
    assert str(caught.value) == "go.mod:2: no module directive"
