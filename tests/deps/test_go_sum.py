from __future__ import annotations

import pytest

from assay.deps.formats.go_sum import GoSumParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope

GO_SUM = """\
github.com/davecgh/go-spew v1.1.0/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
github.com/davecgh/go-spew v1.1.1 h1:vj9j/u1bqnvCEfJOwUhtlOARqs3+rkHYY13jYWTU97c=
github.com/davecgh/go-spew v1.1.1/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 h1:0A+M6Uqn+Eje4kHMK80dtF3JCXC4ykBgQG4Fj4qnXwA=
golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8/go.mod h1:oPkhp1MJrh7nUepCBck5+mAzfO9JrbApNNgaTdGDITg=
golang.org/x/sys v0.15.0 h1:h48lPFYpsTvQJZF4EKyI4aLHaev3CxivZmv7yZig9pc=
golang.org/x/sys v0.15.0/go.mod h1:/VUhepiaJMQUp4+oa/7Zr1D23ma6VTLIYjOOTFZPUcA=
github.com/hashicorp/hcl v1.0.1-vault-5 h1:kI3hhbbyzr4dldA8UdTb7ZlVVlI2DACdCfz31RPDgJM=
gopkg.in/yaml.v2 v2.4.0 h1:D8xgwECY7CYvx+Y2n4sBz93Jn9JRvxdiyyo8CTfuKDY=
github.com/no/hash v1.0.0
github.com/bad/version latest h1:abc=
github.com/bad/hash v1.0.0 deadbeef
github.com/davecgh/go-spew v1.1.1 h1:vj9j/u1bqnvCEfJOwUhtlOARqs3+rkHYY13jYWTU97c=
"""  # noqa: E501 (real go.sum lines are long)


def _go(name: str, version: str, line: int, purl: str) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.GO,
        purl=purl,
        direct=None,
        scope=Scope.RUNTIME,
        declared_in="go.sum",
        line=line,
    )


def test_reads_built_versions_once_each() -> None:
    parsed = GoSumParser().parse("go.sum", GO_SUM)
    assert (parsed.format, parsed.kind, parsed.ecosystem) == ("go.sum", "lock", Ecosystem.GO)
    # go-spew v1.1.0 only has a go.mod checksum: read during selection, never built.
    assert parsed.components == (
        _go(
            "github.com/davecgh/go-spew",
            "v1.1.1",
            2,
            "pkg:golang/github.com/davecgh/go-spew@v1.1.1",
        ),
        _go(
            "github.com/hashicorp/hcl",
            "v1.0.1-vault-5",
            8,
            "pkg:golang/github.com/hashicorp/hcl@v1.0.1-vault-5",
        ),
        _go(
            "golang.org/x/sys",
            "v0.0.0-20220715151400-c0bba94af5f8",
            4,
            "pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8",
        ),
        _go("golang.org/x/sys", "v0.15.0", 6, "pkg:golang/golang.org/x/sys@v0.15.0"),
        _go("gopkg.in/yaml.v2", "v2.4.0", 9, "pkg:golang/gopkg.in/yaml.v2@v2.4.0"),
    )
    assert parsed.problems == (
        Problem(message="not 'module version hash': 'github.com/no/hash v1.0.0'", line=10),
        Problem(message="not a Go module version: 'latest'", line=11),
        Problem(message="not an 'algorithm:hash' checksum: 'deadbeef'", line=12),
    )


def test_go_mod_only_lines_give_no_component_and_no_problem() -> None:
    text = "github.com/a/b v1.0.0/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=\n"
    parsed = GoSumParser().parse("go.sum", text)
    assert (parsed.components, parsed.problems) == ((), ())


def test_an_empty_file_has_nothing() -> None:
    parsed = GoSumParser().parse("go.sum", "")
    assert (parsed.components, parsed.problems) == ((), ())


def test_a_file_with_no_readable_line_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        GoSumParser().parse("go.sum", "\nmodule example.com/app\ngo 1.22\n")
    assert str(caught.value) == "go.sum:2: no go.sum line could be read"


def test_a_truncated_last_line_is_a_problem() -> None:
    text = (
        "golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\n"
        "golang.org/x/text v0.14."
    )
    parsed = GoSumParser().parse("go.sum", text)
    assert [(c.name, c.version) for c in parsed.components] == [("golang.org/x/text", "v0.14.0")]
    assert parsed.problems == (
        Problem(message="not 'module version hash': 'golang.org/x/text v0.14.'", line=2),
    )
