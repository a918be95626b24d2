from __future__ import annotations

import pytest

from assay.deps.formats.gradle_lockfile import GradleLockfileParser
from assay.deps.model import Component, ManifestError, Problem, Scope

LOCK = """\
# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath
org.junit.jupiter:junit-jupiter:5.9.0=testCompileClasspath,testRuntimeClasspath
org.example:broken=runtimeClasspath
empty=annotationProcessor
"""


def test_reads_coordinates_scopes_and_problems() -> None:
    parsed = GradleLockfileParser().parse("app/gradle.lockfile", LOCK)
    assert parsed.components == (
        Component(
            name="com.google.guava:guava",
            version="31.1-jre",
            ecosystem=parsed.ecosystem,
            purl="pkg:maven/com.google.guava/guava@31.1-jre",
            direct=None,
            scope=Scope.RUNTIME,
            declared_in="app/gradle.lockfile",
            line=4,
        ),
        Component(
            name="org.junit.jupiter:junit-jupiter",
            version="5.9.0",
            ecosystem=parsed.ecosystem,
            purl="pkg:maven/org.junit.jupiter/junit-jupiter@5.9.0",
            direct=None,
            scope=Scope.DEV,
            declared_in="app/gradle.lockfile",
            line=5,
        ),
    )
    assert parsed.problems == (
        Problem(message="not group:artifact:version: 'org.example:broken'", line=6),
    )


def test_a_file_with_no_readable_line_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        GradleLockfileParser().parse("gradle.lockfile", "not a lock\n")
    assert str(caught.value) == "gradle.lockfile:1: no dependency line could be read"
