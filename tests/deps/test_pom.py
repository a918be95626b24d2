from __future__ import annotations

import time

import pytest

from assay.deps.formats.pom import PomParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind
from assay.deps.parsers import component

POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.acme</groupId>
    <artifactId>acme-parent</artifactId>
    <version>2.1.0</version>
  </parent>
  <artifactId>billing</artifactId>
  <properties>
    <jackson.major>2.15</jackson.major>
    <jackson.version>${jackson.major}.2</jackson.version>
    <ping>${pong}</ping>
    <pong>${ping}</pong>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.slf4j</groupId>
        <artifactId>slf4j-api</artifactId>
        <version>2.0.9</version>
      </dependency>
      <dependency>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-dependencies</artifactId>
        <version>3.2.0</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <!--
    <dependency>
      <groupId>commented</groupId>
      <artifactId>out</artifactId>
    </dependency>
    -->
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>billing-model</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>[5.9,6.0)</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>jakarta.servlet</groupId>
      <artifactId>jakarta.servlet-api</artifactId>
      <version>6.0.0</version>
      <scope>provided</scope>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>com.oracle</groupId>
      <artifactId>ojdbc</artifactId>
      <version>19.3</version>
      <scope>system</scope>
      <systemPath>${basedir}/lib/ojdbc.jar</systemPath>
    </dependency>
    <dependency>
      <groupId>io.netty</groupId>
      <artifactId>netty-all</artifactId>
      <version>${ping}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-lang3</artifactId>
      <version>${commons.version}</version>
    </dependency>
    <dependency>
      <artifactId>no-group</artifactId>
      <version>1.0</version>
    </dependency>
  </dependencies>
</project>
"""


def _maven(
    name: str,
    version: str | None,
    line: int,
    *,
    scope: Scope = Scope.RUNTIME,
    requirement: str | None = None,
    source: SourceKind = SourceKind.REGISTRY,
) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.MAVEN,
        declared_in="svc/pom.xml",
        direct=True,
        scope=scope,
        line=line,
        requirement=requirement,
        source=source,
    )


def test_reads_dependencies_with_properties_management_and_scopes() -> None:
    parsed = PomParser().parse("svc/pom.xml", POM)
    assert parsed.components == (
        _maven("com.acme:billing-model", "2.1.0", 50),
        _maven("com.fasterxml.jackson.core:jackson-databind", "2.15.2", 41),
        _maven("com.oracle:ojdbc", "19.3", 68, source=SourceKind.PATH),
        _maven("io.netty:netty-all", None, 75),
        _maven("jakarta.servlet:jakarta.servlet-api", "6.0.0", 61),
        _maven("org.apache.commons:commons-lang3", None, 80),
        _maven(
            "org.junit.jupiter:junit-jupiter", None, 55, scope=Scope.DEV, requirement="[5.9,6.0)"
        ),
        _maven("org.slf4j:slf4j-api", "2.0.9", 46),
    )
    assert parsed.problems == (
        Problem(
            message="systemPath of com.oracle:ojdbc unknown: unresolved property ${basedir}",
            line=68,
        ),
        Problem(
            message="version of io.netty:netty-all unknown: "
            "property cycle ${ping} -> ${pong} -> ${ping}",
            line=75,
        ),
        Problem(
            message="version of org.apache.commons:commons-lang3 unknown: "
            "unresolved property ${commons.version}",
            line=80,
        ),
        Problem(message="skipped a dependency without groupId", line=85),
    )
    assert (parsed.format, parsed.kind, parsed.ecosystem) == (
        "pom.xml",
        "manifest",
        Ecosystem.MAVEN,
    )
    assert (
        parsed.components[1].purl == "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2"
    )


def test_reads_a_pom_without_namespace_and_a_system_path() -> None:
    text = """\
<project>
  <groupId>org.example</groupId>
  <artifactId>tool</artifactId>
  <version>1.0-SNAPSHOT</version>
  <properties><lib.dir>lib</lib.dir></properties>
  <dependencies>
    <dependency>
      <groupId>com.vendor</groupId>
      <artifactId>driver</artifactId>
      <version>${pom.version}</version>
      <scope>system</scope>
      <systemPath>${lib.dir}/driver.jar</systemPath>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>core</artifactId>
      <version>${version}</version>
      <classifier>tests</classifier>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>core</artifactId>
      <version>0.9</version>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>odd</artifactId>
      <version>1</version>
      <scope>bundled</scope>
    </dependency>
  </dependencies>
</project>
"""
    parsed = PomParser().parse("pom.xml", text)
    assert parsed.components == (
        component(
            name="com.vendor:driver",
            version="1.0-SNAPSHOT",
            ecosystem=Ecosystem.MAVEN,
            declared_in="pom.xml",
            direct=True,
            line=7,
            source=SourceKind.PATH,
            location="lib/driver.jar",
        ),
        component(
            name="org.example:core",
            version="0.9",
            ecosystem=Ecosystem.MAVEN,
            declared_in="pom.xml",
            direct=True,
            line=21,
        ),
        component(
            name="org.example:core",
            version="1.0-SNAPSHOT",
            ecosystem=Ecosystem.MAVEN,
            declared_in="pom.xml",
            direct=True,
            scope=Scope.DEV,
            line=14,
        ),
        component(
            name="org.example:odd",
            version="1",
            ecosystem=Ecosystem.MAVEN,
            declared_in="pom.xml",
            direct=True,
            scope=Scope.UNKNOWN,
            line=26,
        ),
    )
    assert parsed.problems == (
        Problem(message="unknown scope 'bundled' of org.example:odd", line=26),
    )


def test_exponential_properties_are_cut_off() -> None:
    levels = "".join(f"<p{n}>${{p{n + 1}}}${{p{n + 1}}}</p{n}>" for n in range(30))
    text = f"""\
<project>
  <properties>{levels}<p30>xxxxxxxxxx</p30></properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{p0}}</version></dependency>
  </dependencies>
</project>
"""
    parsed = PomParser().parse("pom.xml", text)
    assert parsed.components == (
        component(
            name="g:a",
            version=None,
            ecosystem=Ecosystem.MAVEN,
            declared_in="pom.xml",
            direct=True,
            line=4,
        ),
    )
    assert parsed.problems == (
        Problem(
            message="version of g:a unknown: property expansion longer than 4096 characters",
            line=4,
        ),
    )


def test_deeply_nested_properties_are_cut_off() -> None:
    chain = "".join(f"<q{n}>${{q{n + 1}}}</q{n}>" for n in range(100))
    text = f"""\
<project><properties>{chain}<q100>1</q100></properties><dependencies>
<dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{q0}}</version></dependency>
</dependencies></project>
"""
    parsed = PomParser().parse("pom.xml", text)
    assert [c.version for c in parsed.components] == [None]
    assert parsed.problems == (
        Problem(message="version of g:a unknown: properties nested deeper than 32", line=2),
    )


def test_an_unresolvable_group_skips_the_dependency() -> None:
    text = """<project><dependencies><dependency>
<groupId>${vendor}</groupId><artifactId>a</artifactId></dependency></dependencies></project>"""
    parsed = PomParser().parse("pom.xml", text)
    assert parsed.components == ()
    assert parsed.problems == (
        Problem(message="skipped ${vendor}:a: unresolved property ${vendor}", line=1),
    )


def test_a_pom_without_dependencies_has_no_components() -> None:
    parsed = PomParser().parse("pom.xml", "<project><artifactId>x</artifactId></project>")
    assert (parsed.components, parsed.problems) == ((), ())


def test_truncated_xml_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        PomParser().parse("svc/pom.xml", POM[:400])
    assert str(caught.value) == "svc/pom.xml:9: invalid XML: no element found"


def test_mismatched_tags_are_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        PomParser().parse("pom.xml", "<project>\n<dependencies></project>\n")
    assert str(caught.value) == "pom.xml:2: invalid XML: mismatched tag"


def test_another_root_element_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        PomParser().parse("pom.xml", '<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"/>')
    assert str(caught.value) == "pom.xml: the root element is <settings>, not <project>"


BILLION_LAUGHS = """\
<?xml version="1.0"?>
<!DOCTYPE project [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<project><properties><v>&lol9;</v></properties></project>
"""


def test_a_billion_laughs_pom_is_refused_fast() -> None:
    started = time.monotonic()
    with pytest.raises(ManifestError) as caught:
        PomParser().parse("pom.xml", BILLION_LAUGHS)
    assert time.monotonic() - started < 1
    assert str(caught.value) == "pom.xml:3: refused unsafe XML: it declares the entity 'lol'"


def test_an_external_entity_is_refused() -> None:
    text = """<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<project><name>&xxe;</name></project>
"""
    with pytest.raises(ManifestError) as caught:
        PomParser().parse("pom.xml", text)
    assert str(caught.value) == "pom.xml:2: refused unsafe XML: it declares the entity 'xxe'"
