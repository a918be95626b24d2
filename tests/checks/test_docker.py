"""The Docker checks, and the Dockerfile parser under them."""

from __future__ import annotations

from typing import Any

from assay.checks.docker import (
    NO_DOCKERFILE,
    AddUrlCheck,
    BaseImagePinnedCheck,
    Instruction,
    NonRootCheck,
    SecretsInEnvCheck,
    UnpinnedPackagesCheck,
    parse_dockerfile,
)
from assay.model import Finding, Measure, Severity
from support import expect, finding_with_cwe
from support import run_product_check as run

DIGEST = "sha256:" + "cd" * 32

# The weakness each check's findings stand for; files it cannot read carry none.
CWE = {
    "docker.base-image-pinned": [829],
    "docker.non-root": [250],
    "docker.add-url": [494],
    "docker.secrets-in-env": [798],
    "docker.unpinned-packages": [1357],
}


finding = finding_with_cwe(CWE)


def files_measure(count: int) -> Measure:
    return Measure(check_id="docker.base-image-pinned", name="docker.files", value=count,
                   unit="files")  # fmt: skip


# the parser


def test_parser_joins_continuations_drops_comments_and_skips_heredocs() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "# escape=\\\n"
        "FROM alpine AS base\n"
        "RUN apk add \\\n"
        "    # a comment inside the continuation\n"
        "    curl \\\n"
        "\n"
        "    git\n"
        "RUN <<EOF\n"
        "USER root\n"
        "EOF\n"
        'CMD ["sh", "-c", "echo hi"]\n'
    )
    assert parse_dockerfile(text) == [
        Instruction(keyword="FROM", arguments="alpine AS base", line=3, end_line=3),
        Instruction(keyword="RUN", arguments="apk add curl git", line=4, end_line=8),
        Instruction(keyword="RUN", arguments="<<EOF", line=9, end_line=9),
        Instruction(keyword="CMD", arguments='["sh", "-c", "echo hi"]', line=12, end_line=12),
    ]


def test_parser_honours_the_backtick_escape_directive() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\n"
    assert parse_dockerfile(text)[1] == Instruction(
        keyword="RUN", arguments="dir c:\\", line=3, end_line=4
    )


# docker.base-image-pinned

MULTI_STAGE = f"""\
ARG PY=3.12
ARG PINNED=python@{DIGEST}
FROM --platform=$BUILDPLATFORM python:${{PY}}-slim AS build
RUN pip wheel .
FROM ${{PINNED}} AS test
FROM build AS again
FROM scratch
COPY --from=build /app /app
FROM $UNKNOWN
FROM registry.example.com:5000/team/app:1.0
FROM ubuntu@{DIGEST}
"""


def test_base_images_multi_stage_platform_arguments_and_scratch(make_repo: Any) -> None:
    repo = make_repo("p", {"Dockerfile": MULTI_STAGE})
    check = "docker.base-image-pinned"
    assert run(BaseImagePinnedCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.unpinned",
                    "Dockerfile:3: FROM python:3.12-slim is not pinned by digest (@sha256:)",
                    severity=Severity.MEDIUM, path="Dockerfile", start_line=3, key="python"),
            finding(check, f"{check}.unresolved",
                    "Dockerfile:9: FROM $UNKNOWN names its image through an ARG without a "
                    "default; it cannot be shown pinned",
                    severity=Severity.MEDIUM, path="Dockerfile", start_line=9, key="$UNKNOWN"),
            finding(check, f"{check}.unpinned",
                    "Dockerfile:10: FROM registry.example.com:5000/team/app:1.0 is not pinned "
                    "by digest (@sha256:)", severity=Severity.MEDIUM, path="Dockerfile",
                    start_line=10, key="registry.example.com:5000/team/app"),
        ],
        measures=[files_measure(1)],
    )  # fmt: skip


def test_dockerfile_names_and_not_applicable(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "docker/Dockerfile.dev": f"FROM alpine@{DIGEST}\n",
            "api.Dockerfile": f"FROM alpine@{DIGEST}\n",
            "Containerfile": f"FROM alpine@{DIGEST}\n",
            "Dockerfile.md": "not a Dockerfile, by name only\n",
            "notes/dockerfile-tips.txt": "FROM alpine\n",
        },
    )
    # Dockerfile.md matches Dockerfile.*, and has no FROM at all: nothing to judge.
    assert run(BaseImagePinnedCheck(), repo) == expect(measures=[files_measure(4)])
    empty = make_repo("e", {"README.md": "x\n"})
    for check in (BaseImagePinnedCheck(), NonRootCheck(), AddUrlCheck(), SecretsInEnvCheck(),
                  UnpinnedPackagesCheck()):  # fmt: skip
        assert run(check, empty) == expect(not_applicable=NO_DOCKERFILE)


def test_symlinked_dockerfile_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p", {"build/real": "FROM alpine\n"})
    repo.symlink("Dockerfile", "build/real")
    repo.commit()
    check = "docker.non-root"
    assert run(NonRootCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.unreadable", "Dockerfile is a symlink; it is not read",
                    severity=Severity.MEDIUM, path="Dockerfile")
        ]
    )  # fmt: skip


# docker.non-root


def test_non_root_final_stage(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "a/Dockerfile": "FROM alpine AS build\nUSER app\nFROM alpine\nRUN true\n",
            "b/Dockerfile": "FROM alpine\nUSER app\nUSER 0:0\n",
            "c/Dockerfile": "FROM alpine\nUSER root\nRUN apk add x\nUSER app\n",
            "d/Dockerfile": "FROM alpine AS base\nUSER 1000\nFROM base\nRUN true\n",
            "e/Dockerfile": "FROM alpine\nUSER root\n",
        },
    )
    check = "docker.non-root"
    assert run(NonRootCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.missing",
                    "a/Dockerfile:3: the final stage sets no USER; its processes run as root",
                    severity=Severity.MEDIUM, path="a/Dockerfile", start_line=3),
            finding(check, f"{check}.root", "b/Dockerfile:3: the final stage runs as USER 0",
                    severity=Severity.MEDIUM, path="b/Dockerfile", start_line=3),
            finding(check, f"{check}.root", "e/Dockerfile:2: the final stage runs as USER root",
                    severity=Severity.MEDIUM, path="e/Dockerfile", start_line=2),
        ]
    )  # fmt: skip


# docker.add-url


def test_add_from_url(make_repo: Any) -> None:
    dockerfile = (
        "FROM alpine\n"
        "ADD https://example.com/tool.tar.gz /opt/\n"
        "ADD --checksum=sha256:abc https://example.com/ok.tar.gz /opt/\n"
        'ADD ["http://example.com/a b.txt", "/opt/"]\n'
        "ADD local.tar.gz /opt/\n"
        "COPY https://example.com/not-fetched /opt/\n"
    )
    repo = make_repo("p", {"Dockerfile": dockerfile})
    check = "docker.add-url"
    assert run(AddUrlCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.url",
                    "Dockerfile:2: ADD fetches https://example.com/tool.tar.gz without "
                    "--checksum", severity=Severity.MEDIUM, path="Dockerfile", start_line=2,
                    key="https://example.com/tool.tar.gz"),
            finding(check, f"{check}.url",
                    "Dockerfile:4: ADD fetches http://example.com/a b.txt without --checksum",
                    severity=Severity.MEDIUM, path="Dockerfile", start_line=4,
                    key="http://example.com/a b.txt"),
        ]
    )  # fmt: skip


# docker.secrets-in-env


def test_secrets_in_env_and_arg_never_show_the_value(make_repo: Any) -> None:
    dockerfile = (
        "ARG GITHUB_TOKEN\n"
        "FROM alpine\n"
        "ARG NPM_TOKEN=abc123\n"
        'ENV DB_PASSWORD="hunter2" APP_MODE=prod\n'
        "ENV API_KEY ${API_KEY}\n"
        "ENV SECRET_KEY=${BASE}-suffix\n"
        "ENV PASSWORD_FILE=/run/secrets/db\n"
        'ENV EMPTY_SECRET=""\n'
        "ENV AWS_SECRET_ACCESS_KEY literal value with spaces\n"
    )
    repo = make_repo("p", {"Dockerfile": dockerfile})
    check = "docker.secrets-in-env"

    def literal(line: int, keyword: str, name: str) -> Finding:
        return finding(check, f"{check}.literal",
                       f"Dockerfile:{line}: {keyword} {name} sets a secret-looking variable to "
                       "a literal value (kept in the image and its history)",
                       severity=Severity.HIGH, path="Dockerfile", start_line=line,
                       key=f"{keyword}:{name}")  # fmt: skip

    output = run(SecretsInEnvCheck(), repo)
    assert output == expect(
        findings=[
            literal(3, "ARG", "NPM_TOKEN"),
            literal(4, "ENV", "DB_PASSWORD"),
            literal(6, "ENV", "SECRET_KEY"),
            literal(9, "ENV", "AWS_SECRET_ACCESS_KEY"),
        ]
    )
    assert "hunter2" not in repr(output) and "abc123" not in repr(output)


# docker.unpinned-packages


def test_unpinned_packages(make_repo: Any) -> None:
    dockerfile = (
        "FROM debian\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
        "      curl=7.88.1-10 git ca-certificates \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "RUN apk add --no-cache --virtual .deps build-base musl-dev=1.2.4-r2\n"
        "RUN pip install requests==2.32.3 flask -r requirements.txt\n"
        "RUN python -m pip install --upgrade pip flask==3.0.0 ./local\n"
        'RUN ["/bin/sh", "-c", "dnf install -y httpd-2.4.6 nginx"]\n'
        "RUN yum install -y $PACKAGES\n"
        "RUN <<EOF\napt-get install -y hidden\nEOF\n"
    )
    repo = make_repo("p", {"Dockerfile": dockerfile})
    check = "docker.unpinned-packages"

    def unpinned(line: int, listed: str) -> Finding:
        return finding(check, f"{check}.unpinned",
                       f"Dockerfile:{line}: RUN installs packages without a version: {listed}",
                       severity=Severity.LOW, path="Dockerfile", start_line=line,
                       key=listed)  # fmt: skip

    assert run(UnpinnedPackagesCheck(), repo) == expect(
        findings=[
            unpinned(2, "apt-get git, ca-certificates"),
            unpinned(5, "apk build-base"),
            unpinned(7, "pip pip"),
            unpinned(8, "dnf nginx"),
        ]
    )
