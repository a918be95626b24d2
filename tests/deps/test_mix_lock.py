from __future__ import annotations

import pytest

from assay.deps.formats.mix_lock import MixLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind
from assay.deps.parsers import component

LOCK = """\
%{
  "castore": {:hex, :castore, "1.0.5", "9eeebb394cc9a0f3ae56b813459f990abb0a3dedee1be6b27fdb50301930502f", [:mix], [], "hexpm", "8d7c597c3e4a64c395980882d4bca3cebb8d74197c590dc272cfd3b6a6310578"},
  "cowboy": {:hex, :cowboy, "2.10.0", "ff9ffeff91dae4ae270dd975642997afe2a1179d94b1887863e43f681a203e26", [:make, :rebar3], [{:cowlib, "2.12.1", [hex: :cowlib, repo: "hexpm", optional: false]}, {:ranch, "1.8.0", [hex: :ranch, repo: "hexpm", optional: false]}], "hexpm", "3afdccb7183cc6f143cb14d3cf51fa00e53db9ec80cdcd525482f5e99bc41d6b"},
  "heroicons": {:git, "https://github.com/tailwindlabs/heroicons.git", "88ab3a0d790e6a47404cba02800a6b25d2afae50", [tag: "v2.1.1", sparse: "optimized"]},
  "my_json": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"},
  "shared": {:path, "../shared", []},
  "old_style": {:hex, :poison, "3.1.0"},
  "private": {:hex, :acme_auth, "0.4.2", "0f1e2d3c", [:mix], [], "hexpm:acme", "4b5a6978"},
  "weird": {:svn, "https://svn.example.test/weird", "r42"},
  "broken": {:hex, "not-an-atom", "1.0.0"},
  "nothing": [],
  "cowboy": {:hex, :cowboy, "2.12.0", "f276d521a1ff88b2b9b4c54d0e753da6c66dd7be6c9fca3d9418b561828a3731", [:make, :rebar3], [], "hexpm", "8a7abe6d183372ceb21caa2709bec928ab2b72e18a3911aa1771639bef82651e"},
}
"""  # noqa: E501 (real mix.lock lines are this long)


def _hex(
    name: str,
    version: str | None,
    line: int,
    *,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.HEX,
        declared_in="mix.lock",
        direct=None,
        scope=Scope.UNKNOWN,
        line=line,
        source=source,
        location=location,
    )


def test_reads_hex_git_and_path_entries() -> None:
    parsed = MixLockParser().parse("mix.lock", LOCK)
    assert parsed.components == (
        _hex("acme_auth", "0.4.2", 8),
        _hex("castore", "1.0.5", 2),
        _hex("cowboy", "2.12.0", 12),
        _hex(
            "heroicons",
            None,
            4,
            source=SourceKind.GIT,
            location="https://github.com/tailwindlabs/heroicons.git",
        ),
        _hex("jason", "1.4.1", 5),
        _hex("poison", "3.1.0", 7),
        _hex("shared", None, 6, source=SourceKind.PATH, location="../shared"),
    )
    assert parsed.problems == (
        Problem(message="duplicate key 'cowboy', replaces line 3", line=12),
        Problem(message="skipped weird: unknown source :svn", line=9),
        Problem(message="skipped broken: malformed :hex entry", line=10),
        Problem(message="skipped nothing: not a {:scm, ...} tuple", line=11),
    )
    assert (parsed.format, parsed.kind, parsed.ecosystem) == ("mix.lock", "lock", Ecosystem.HEX)
    assert parsed.components[4].purl == "pkg:hex/jason@1.4.1"


def test_reads_other_key_spellings_comments_and_escapes() -> None:
    text = """\
# written by hand
%{:plug => {:hex, :plug, "1.15.2", "94cf1fa375526f30ff8770837cb804798e0045fd97185f0bb9e5fcd858c792a3", [:mix], [], "hexpm", "02731fa0c2dcb03d8d21a1d941bdbbe99c2946c0db098eee31008e04c6283615"},
  telemetry: {:hex, :telemetry, "1.2.1", "68fdfe8d8f05a8428483a97d7aab2f268aaff24b49e0f599faa091f1d4e7f61c", [:rebar3], [], "hexpm", "dad9ce9d8effc621708f99eac538ef1cbe05d6a874dd741de2e689c47feafed5"},
  "tricky\\"name": {:git, "https://example.test/a\\"b.git", "0000000", [branch: "main", submodules: true]},
  "fine": {:hex, :fine, "0.1.0", "00", [:mix], [], "hexpm", "00", 1_000, nil, false},}
"""  # noqa: E501
    parsed = MixLockParser().parse("mix.lock", text)
    assert parsed.components == (
        _hex("fine", "0.1.0", 5),
        _hex("plug", "1.15.2", 2),
        _hex("telemetry", "1.2.1", 3),
        _hex(
            'tricky"name',
            None,
            4,
            source=SourceKind.GIT,
            location='https://example.test/a"b.git',
        ),
    )
    assert parsed.problems == ()


def test_an_empty_map_has_no_components() -> None:
    parsed = MixLockParser().parse("mix.lock", "%{}\n")
    assert (parsed.components, parsed.problems) == ((), ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            LOCK[: LOCK.index("9eeebb") + 5],
            "mix.lock:2: unterminated string, or string interpolation (not data)",
        ),
        (LOCK[: LOCK.index('"heroicons"')], "mix.lock:4: unexpected end of file"),
        ("", "mix.lock:1: expected a map %{...} at the top"),
        ('["cowboy"]', "mix.lock:1: expected a map %{...} at the top"),
        ('%{"a": {:hex, :a, "1.0.0"}} %{}', "mix.lock:1: unexpected '%{' after the map"),
        ('%{"a": {:hex, :a, "1.0.0"} "b": 1}', "mix.lock:1: expected '}', found '\"b\":'"),
        ('%{"a" {:hex, :a, "1.0.0"}}', "mix.lock:1: expected '=>', found '{'"),
        (
            '%{"a": {:hex, :a, System.cmd("rm", ["-rf", "/"])}}',
            "mix.lock:1: unexpected 'System'",
        ),
        (
            '%{"a": {:hex, :a, "#{File.read!("/etc/passwd")}"}}',
            "mix.lock:1: unterminated string, or string interpolation (not data)",
        ),
        ('%{"a": {:hex, :a, ~s(1.0)}}', "mix.lock:1: unexpected character '~'"),
        ("%{a: " + "[" * 40 + "]" * 40 + "}", "mix.lock:1: nested deeper than 32 levels"),
    ],
)
def test_unreadable_locks_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        MixLockParser().parse("mix.lock", text)
    assert str(caught.value) == message
