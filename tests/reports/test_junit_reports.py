"""JUnit-style test reports as each tool writes them, compared whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assay.reports.junit import parse_junit
from assay.reports.model import ReportError, TestCase, TestReport, TestStatus

PASSED, FAILED, ERROR, SKIPPED = (
    TestStatus.PASSED,
    TestStatus.FAILED,
    TestStatus.ERROR,
    TestStatus.SKIPPED,
)

PYTEST = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1" \
tests="5" time="0.512" timestamp="2024-05-01T12:00:00.250000+02:00" hostname="ci-runner-7">\
<testcase classname="tests.test_calc" name="test_add" file="tests/test_calc.py" line="3" \
time="0.001" /><testcase classname="tests.test_calc" name="test_divide[0]" \
file="tests/test_calc.py" line="7" time="0.004"><failure message="ZeroDivisionError: division \
by zero">def test_divide():
&gt;       assert divide(1, 0) == 0
E       ZeroDivisionError: division by zero

tests/test_calc.py:9: ZeroDivisionError</failure></testcase><testcase classname="tests.test_db" \
name="test_query" file="tests/test_db.py" line="12" time="0.010"><error message="failed on setup \
with &quot;ConnectionRefusedError: [Errno 111] Connection refused&quot;">@pytest.fixture
    def db():
&gt;       return connect()
E       ConnectionRefusedError: [Errno 111] Connection refused</error></testcase><testcase \
classname="tests.test_db" name="test_migration" file="tests/test_db.py" line="20" time="0.000">\
<skipped type="pytest.skip" message="needs PostgreSQL">tests/test_db.py:21: needs PostgreSQL\
</skipped></testcase><testcase classname="tests.test_db" name="test_pool" file="tests/test_db.py" \
line="30" time="0.120"><system-out>--- captured ---</system-out></testcase></testsuite></testsuites>
"""


def test_pytest_report() -> None:
    report = parse_junit(PYTEST, "reports/pytest.xml")
    common = {"suite": "pytest"}
    assert report == TestReport(
        source="reports/pytest.xml",
        timestamp=datetime(2024, 5, 1, 10, 0, 0, 250000, tzinfo=UTC),
        cases=(
            TestCase(
                **common,
                classname="tests.test_calc",
                name="test_add",
                file="tests/test_calc.py",
                status=PASSED,
                duration_s=0.001,
                message=None,
            ),
            TestCase(
                **common,
                classname="tests.test_calc",
                name="test_divide[0]",
                file="tests/test_calc.py",
                status=FAILED,
                duration_s=0.004,
                message="ZeroDivisionError: division by zero",
            ),
            TestCase(
                **common,
                classname="tests.test_db",
                name="test_query",
                file="tests/test_db.py",
                status=ERROR,
                duration_s=0.010,
                message='failed on setup with "ConnectionRefusedError: [Errno 111] '
                'Connection refused"',
            ),
            TestCase(
                **common,
                classname="tests.test_db",
                name="test_migration",
                file="tests/test_db.py",
                status=SKIPPED,
                duration_s=0.0,
                message="needs PostgreSQL",
            ),
            TestCase(
                **common,
                classname="tests.test_db",
                name="test_pool",
                file="tests/test_db.py",
                status=PASSED,
                duration_s=0.120,
                message=None,
            ),
        ),
        declared_duration_s=None,
    )
    counts = (report.tests, report.passed, report.failed, report.errored, report.skipped)
    assert counts == (5, 2, 1, 1, 1)
    assert report.duration_s == pytest.approx(0.135)


JEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="4" failures="1" errors="0" time="2.31">
  <testsuite name="sum" errors="0" failures="1" skipped="1" timestamp="2024-05-01T09:15:30" \
time="1.02" tests="3">
    <testcase classname="sum adds 1 + 2 to equal 3" name="sum adds 1 + 2 to equal 3" \
time="0.004" file="src/sum.test.js">
    </testcase>
    <testcase classname="sum adds negatives" name="sum adds negatives" time="0.013" \
file="src/sum.test.js">
      <failure>Error: expect(received).toBe(expected) // Object.is equality

Expected: -3
Received: 3
    at Object.toBe (/home/runner/work/app/app/src/sum.test.js:9:22)</failure>
    </testcase>
    <testcase classname="sum handles bigint" name="sum handles bigint" time="0" \
file="src/sum.test.js">
      <skipped/>
    </testcase>
  </testsuite>
  <testsuite name="format" errors="0" failures="0" skipped="0" timestamp="2024-05-01T09:15:31" \
time="0.4" tests="1">
    <testcase classname="format pads numbers" name="format pads numbers" time="0.002" \
file="src/format.test.js">
    </testcase>
  </testsuite>
</testsuites>
"""


def test_jest_report() -> None:
    assert parse_junit(JEST, "junit.xml") == TestReport(
        source="junit.xml",
        timestamp=datetime(2024, 5, 1, 9, 15, 30, tzinfo=UTC),
        cases=(
            TestCase(
                suite="sum",
                classname="sum adds 1 + 2 to equal 3",
                name="sum adds 1 + 2 to equal 3",
                file="src/sum.test.js",
                status=PASSED,
                duration_s=0.004,
                message=None,
            ),
            TestCase(
                suite="sum",
                classname="sum adds negatives",
                name="sum adds negatives",
                file="src/sum.test.js",
                status=FAILED,
                duration_s=0.013,
                message="Error: expect(received).toBe(expected) // Object.is equality",
            ),
            TestCase(
                suite="sum",
                classname="sum handles bigint",
                name="sum handles bigint",
                file="src/sum.test.js",
                status=SKIPPED,
                duration_s=0.0,
                message=None,
            ),
            TestCase(
                suite="format",
                classname="format pads numbers",
                name="format pads numbers",
                file="src/format.test.js",
                status=PASSED,
                duration_s=0.002,
                message=None,
            ),
        ),
        declared_duration_s=2.31,
    )


MOCHA = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Mocha Tests" time="0.0130" tests="3" failures="1" skipped="1">
  <testsuite name="Root Suite" timestamp="2024-05-01T08:00:00" tests="0" \
file="test/array.spec.js" time="0.0000" failures="0">
  </testsuite>
  <testsuite name="Array" timestamp="2024-05-01T08:00:00" tests="0" file="test/array.spec.js" \
time="0.0000" failures="0">
  </testsuite>
  <testsuite name="#indexOf()" timestamp="2024-05-01T08:00:00" tests="3" \
file="test/array.spec.js" time="0.0130" failures="1" skipped="1">
    <testcase name="Array #indexOf() should return -1 when the value is not present" \
time="0.0010" classname="should return -1 when the value is not present">
    </testcase>
    <testcase name="Array #indexOf() should return the index" time="0.0120" \
classname="should return the index">
      <failure message="expected -1 to equal 1" type="AssertionError"><![CDATA[AssertionError: \
expected -1 to equal 1
    at Context.<anonymous> (test/array.spec.js:12:30)]]></failure>
    </testcase>
    <testcase name="Array #indexOf() is pending" time="0.0000" classname="is pending">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_mocha_report_takes_the_file_from_the_suite() -> None:
    common = {"suite": "#indexOf()", "file": "test/array.spec.js"}
    assert parse_junit(MOCHA, "test-results.xml") == TestReport(
        source="test-results.xml",
        timestamp=datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
        cases=(
            TestCase(
                **common,
                classname="should return -1 when the value is not present",
                name="Array #indexOf() should return -1 when the value is not present",
                status=PASSED,
                duration_s=0.001,
                message=None,
            ),
            TestCase(
                **common,
                classname="should return the index",
                name="Array #indexOf() should return the index",
                status=FAILED,
                duration_s=0.012,
                message="expected -1 to equal 1",
            ),
            TestCase(
                **common,
                classname="is pending",
                name="Array #indexOf() is pending",
                status=SKIPPED,
                duration_s=0.0,
                message=None,
            ),
        ),
        declared_duration_s=0.013,
    )


SUREFIRE = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/\
surefire-test-report-3.0.xsd" version="3.0" name="com.example.cart.CartTest" time="2.043" \
tests="5" errors="1" skipped="1" failures="1">
  <properties>
    <property name="java.version" value="17.0.10"/>
    <property name="maven.repo.local" value="/home/runner/.m2/repository"/>
  </properties>
  <testcase name="addsItems" classname="com.example.cart.CartTest" time="0.012"/>
  <testcase name="appliesDiscount" classname="com.example.cart.CartTest" time="0.031">
    <failure message="expected: &lt;90&gt; but was: &lt;100&gt;" \
type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: \
expected: <90> but was: <100>
\tat com.example.cart.CartTest.appliesDiscount(CartTest.java:31)
]]></failure>
    <rerunFailure message="expected: &lt;90&gt; but was: &lt;100&gt;" \
type="org.opentest4j.AssertionFailedError">
      <stackTrace><![CDATA[org.opentest4j.AssertionFailedError: expected: <90> but was: <100>
\tat com.example.cart.CartTest.appliesDiscount(CartTest.java:31)
]]></stackTrace>
    </rerunFailure>
    <system-out><![CDATA[discount=10%
]]></system-out>
  </testcase>
  <testcase name="checksOut" classname="com.example.cart.CartTest" time="1.5">
    <error message="Connection refused" type="java.net.ConnectException">\
java.net.ConnectException: Connection refused
\tat com.example.cart.PaymentClient.charge(PaymentClient.java:44)
</error>
  </testcase>
  <testcase name="exportsCsv" classname="com.example.cart.CartTest" time="0">
    <skipped message="not implemented yet"/>
  </testcase>
  <testcase name="savesCart" classname="com.example.cart.CartTest" time="0.4">
    <flakyFailure message="Timed out after 200 ms" type="java.util.concurrent.TimeoutException">
      <stackTrace><![CDATA[java.util.concurrent.TimeoutException: Timed out after 200 ms
\tat com.example.cart.CartTest.savesCart(CartTest.java:58)
]]></stackTrace>
      <system-out><![CDATA[saving...]]></system-out>
    </flakyFailure>
  </testcase>
</testsuite>
"""


def test_surefire_report_with_reruns() -> None:
    common = {"suite": "com.example.cart.CartTest", "classname": "com.example.cart.CartTest"}
    assert parse_junit(SUREFIRE, "target/surefire-reports/TEST-CartTest.xml") == TestReport(
        source="target/surefire-reports/TEST-CartTest.xml",
        timestamp=None,
        cases=(
            TestCase(
                **common,
                name="addsItems",
                file=None,
                status=PASSED,
                duration_s=0.012,
                message=None,
            ),
            TestCase(
                **common,
                name="appliesDiscount",
                file=None,
                status=FAILED,
                duration_s=0.031,
                message="expected: <90> but was: <100>",
                flaky=False,
            ),
            TestCase(
                **common,
                name="checksOut",
                file=None,
                status=ERROR,
                duration_s=1.5,
                message="Connection refused",
            ),
            TestCase(
                **common,
                name="exportsCsv",
                file=None,
                status=SKIPPED,
                duration_s=0.0,
                message="not implemented yet",
            ),
            TestCase(
                **common,
                name="savesCart",
                file=None,
                status=PASSED,
                duration_s=0.4,
                message="Timed out after 200 ms",
                flaky=True,
            ),
        ),
        declared_duration_s=2.043,
    )


GRADLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.calc.CalculatorTest" tests="3" skipped="1" failures="1" errors="0" \
timestamp="2024-05-01T07:30:12" hostname="runner-1" time="0.041">
  <properties/>
  <testcase name="adds()" classname="com.example.calc.CalculatorTest" time="0.002"/>
  <testcase name="divides by zero()" classname="com.example.calc.CalculatorTest" time="0.037">
    <failure message="java.lang.AssertionError: expected exception" \
type="java.lang.AssertionError">java.lang.AssertionError: expected exception
\tat com.example.calc.CalculatorTest.dividesByZero(CalculatorTest.java:22)
</failure>
  </testcase>
  <testcase name="rounds()" classname="com.example.calc.CalculatorTest" time="0.0">
    <skipped/>
  </testcase>
  <system-out><![CDATA[]]></system-out>
  <system-err><![CDATA[]]></system-err>
</testsuite>
"""


def test_gradle_report() -> None:
    common = {
        "suite": "com.example.calc.CalculatorTest",
        "classname": "com.example.calc.CalculatorTest",
        "file": None,
    }
    assert parse_junit(GRADLE, "build/test-results/test/TEST-x.xml") == TestReport(
        source="build/test-results/test/TEST-x.xml",
        timestamp=datetime(2024, 5, 1, 7, 30, 12, tzinfo=UTC),
        cases=(
            TestCase(**common, name="adds()", status=PASSED, duration_s=0.002, message=None),
            TestCase(
                **common,
                name="divides by zero()",
                status=FAILED,
                duration_s=0.037,
                message="java.lang.AssertionError: expected exception",
            ),
            TestCase(**common, name="rounds()", status=SKIPPED, duration_s=0.0, message=None),
        ),
        declared_duration_s=0.041,
    )


GO_JUNIT_REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1">
\t<testsuite name="example.com/calc" tests="3" failures="1" errors="0" id="0" hostname="ci" \
time="0.012" timestamp="2024-05-01T10:00:00Z">
\t\t<properties>
\t\t\t<property name="go.version" value="go1.22.2 linux/amd64"></property>
\t\t</properties>
\t\t<testcase name="TestAdd" classname="example.com/calc" time="0.000"></testcase>
\t\t<testcase name="TestDiv" classname="example.com/calc" time="0.010">
\t\t\t<failure message="Failed"><![CDATA[    calc_test.go:15: Div(6, 3) = 3, want 2]]></failure>
\t\t</testcase>
\t\t<testcase name="TestNetwork" classname="example.com/calc" time="0.000">
\t\t\t<skipped message="Skipped"><![CDATA[    calc_test.go:20: needs network]]></skipped>
\t\t</testcase>
\t</testsuite>
</testsuites>
"""


def test_go_junit_report() -> None:
    common = {"suite": "example.com/calc", "classname": "example.com/calc", "file": None}
    assert parse_junit(GO_JUNIT_REPORT, "report.xml") == TestReport(
        source="report.xml",
        timestamp=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        cases=(
            TestCase(**common, name="TestAdd", status=PASSED, duration_s=0.0, message=None),
            TestCase(**common, name="TestDiv", status=FAILED, duration_s=0.010, message="Failed"),
            TestCase(
                **common, name="TestNetwork", status=SKIPPED, duration_s=0.0, message="Skipped"
            ),
        ),
        declared_duration_s=None,
    )


DOTNET = b"""\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="Calc.Tests.dll" tests="3" skipped="1" failures="1" errors="0" time="0.4521" \
timestamp="2024-05-01T06:45:00" hostname="build-agent" id="0" package="Calc.Tests.dll">
    <properties />
    <testcase classname="Calc.Tests.CalculatorTests" name="Add_ReturnsSum" time="0.0012" />
    <testcase classname="Calc.Tests.CalculatorTests" name="Divide_ByZero_Throws" time="0.0301">
      <failure type="failure" message="Assert.Throws() Failure&#xD;&#xA;Expected: \
typeof(System.DivideByZeroException)&#xD;&#xA;Actual:   (No exception was thrown)">   at \
Calc.Tests.CalculatorTests.Divide_ByZero_Throws() in /src/Calc.Tests/CalculatorTests.cs:line 21\
</failure>
    </testcase>
    <testcase classname="Calc.Tests.CalculatorTests" name="Slow_Integration" time="0">
      <skipped />
    </testcase>
    <system-out>Junit logger 3.1.0</system-out>
    <system-err></system-err>
  </testsuite>
</testsuites>
"""


def test_dotnet_junit_logger_report() -> None:
    common = {
        "suite": "Calc.Tests.dll",
        "classname": "Calc.Tests.CalculatorTests",
        "file": None,
    }
    assert parse_junit(DOTNET, "TestResults/results.xml") == TestReport(
        source="TestResults/results.xml",
        timestamp=datetime(2024, 5, 1, 6, 45, tzinfo=UTC),
        cases=(
            TestCase(
                **common, name="Add_ReturnsSum", status=PASSED, duration_s=0.0012, message=None
            ),
            TestCase(
                **common,
                name="Divide_ByZero_Throws",
                status=FAILED,
                duration_s=0.0301,
                message="Assert.Throws() Failure\r\n"
                "Expected: typeof(System.DivideByZeroException)\r\n"
                "Actual:   (No exception was thrown)",
            ),
            TestCase(
                **common, name="Slow_Integration", status=SKIPPED, duration_s=0.0, message=None
            ),
        ),
        declared_duration_s=None,
    )


PHPUNIT = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="Application Test Suite" tests="4" assertions="6" errors="1" failures="0" \
skipped="1" time="0.021">
    <testsuite name="App\\Tests\\CartTest" file="/home/ci/app/tests/CartTest.php" tests="4" \
assertions="6" errors="1" failures="0" skipped="1" time="0.021">
      <testcase name="testTotal" file="/home/ci/app/tests/CartTest.php" line="12" \
class="App\\Tests\\CartTest" classname="App.Tests.CartTest" assertions="3" time="0.004"/>
      <testsuite name="App\\Tests\\CartTest::testDiscount" tests="1" assertions="2" errors="0" \
failures="0" skipped="0" time="0.002">
        <testcase name="testDiscount with data set &quot;ten percent&quot;" \
file="/home/ci/app/tests/CartTest.php" line="20" class="App\\Tests\\CartTest" \
classname="App.Tests.CartTest" assertions="2" time="0.002"/>
      </testsuite>
      <testcase name="testCheckout" file="/home/ci/app/tests/CartTest.php" line="28" \
class="App\\Tests\\CartTest" classname="App.Tests.CartTest" assertions="1" time="0.015">
        <error type="RuntimeException">App\\Tests\\CartTest::testCheckout
RuntimeException: payment gateway down

/home/ci/app/src/Cart.php:40
/home/ci/app/tests/CartTest.php:30</error>
      </testcase>
      <testcase name="testRefund" file="/home/ci/app/tests/CartTest.php" line="35" \
class="App\\Tests\\CartTest" classname="App.Tests.CartTest" assertions="0" time="0.000">
        <skipped/>
      </testcase>
    </testsuite>
  </testsuite>
</testsuites>
"""


def test_phpunit_report_with_nested_suites() -> None:
    common = {"classname": "App.Tests.CartTest", "file": "/home/ci/app/tests/CartTest.php"}
    assert parse_junit(PHPUNIT, "build/logs/junit.xml") == TestReport(
        source="build/logs/junit.xml",
        timestamp=None,
        cases=(
            TestCase(
                **common,
                suite="App\\Tests\\CartTest",
                name="testTotal",
                status=PASSED,
                duration_s=0.004,
                message=None,
            ),
            TestCase(
                **common,
                suite="App\\Tests\\CartTest::testDiscount",
                name='testDiscount with data set "ten percent"',
                status=PASSED,
                duration_s=0.002,
                message=None,
            ),
            TestCase(
                **common,
                suite="App\\Tests\\CartTest",
                name="testCheckout",
                status=ERROR,
                duration_s=0.015,
                message="App\\Tests\\CartTest::testCheckout",
            ),
            TestCase(
                **common,
                suite="App\\Tests\\CartTest",
                name="testRefund",
                status=SKIPPED,
                duration_s=0.0,
                message=None,
            ),
        ),
        declared_duration_s=None,
    )


BAZEL_GTEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1" disabled="1" errors="0" time="0.012" \
timestamp="2024-05-01T05:00:00.123" name="AllTests">
  <testsuite name="MathTest" tests="3" failures="1" disabled="1" skipped="0" errors="0" \
time="0.012" timestamp="2024-05-01T05:00:00.123">
    <testcase name="Adds" file="math/math_test.cc" line="5" status="run" result="completed" \
time="0.001" timestamp="2024-05-01T05:00:00.123" classname="MathTest" />
    <testcase name="Divides" file="math/math_test.cc" line="10" status="run" \
result="completed" time="0.011" timestamp="2024-05-01T05:00:00.124" classname="MathTest">
      <failure message="math/math_test.cc:12&#x0A;Expected equality of these values:&#x0A;  \
Divide(6, 3)&#x0A;    Which is: 3&#x0A;  2" type=""><![CDATA[math/math_test.cc:12
Expected equality of these values:
  Divide(6, 3)
    Which is: 3
  2
]]></failure>
    </testcase>
    <testcase name="DISABLED_Overflows" file="math/math_test.cc" line="15" status="notrun" \
result="suppressed" time="0" timestamp="2024-05-01T05:00:00.135" classname="MathTest" />
  </testsuite>
</testsuites>
"""


def test_bazel_googletest_report() -> None:
    common = {"suite": "MathTest", "classname": "MathTest", "file": "math/math_test.cc"}
    assert parse_junit(BAZEL_GTEST, "bazel-testlogs/math/math_test/test.xml") == TestReport(
        source="bazel-testlogs/math/math_test/test.xml",
        timestamp=datetime(2024, 5, 1, 5, 0, 0, 123000, tzinfo=UTC),
        cases=(
            TestCase(**common, name="Adds", status=PASSED, duration_s=0.001, message=None),
            TestCase(
                **common,
                name="Divides",
                status=FAILED,
                duration_s=0.011,
                message="math/math_test.cc:12\nExpected equality of these values:\n"
                "  Divide(6, 3)\n    Which is: 3\n  2",
            ),
            TestCase(
                **common, name="DISABLED_Overflows", status=SKIPPED, duration_s=0.0, message=None
            ),
        ),
        declared_duration_s=0.012,
    )


BAZEL_GENERATED = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
<testsuite name="//tools:lint_test" tests="1" failures="0" errors="1">
<testcase name="//tools:lint_test" status="run" duration="2" time="2"><error \
message="exited with error code 1"></error></testcase>
<system-out>
Generated test.log (if the file is not UTF-8, then this may be unreadable):
<![CDATA[exec ${PAGER:-/usr/bin/less} "$0" || exit 1
lint: 3 problems]]>
</system-out>
</testsuite>
</testsuites>
"""


def test_bazel_generated_report() -> None:
    assert parse_junit(BAZEL_GENERATED, "test.xml") == TestReport(
        source="test.xml",
        timestamp=None,
        cases=(
            TestCase(
                suite="//tools:lint_test",
                classname=None,
                name="//tools:lint_test",
                file=None,
                status=ERROR,
                duration_s=2.0,
                message="exited with error code 1",
            ),
        ),
    )


MINIMAL = b"""<testsuite>
  <testcase name="first"/>
  <testcase name="second" classname="">
    <failure message="first assertion"/>
    <failure message="second assertion"/>
  </testcase>
  <testcase name="third"><skipped>
     skipped: the fixture is missing
     (second line)
  </skipped></testcase>
</testsuite>
"""


def test_missing_attributes_are_tolerated_and_several_failures_count_once() -> None:
    report = parse_junit(MINIMAL, "min.xml")
    common = {"suite": "", "classname": None, "file": None, "duration_s": None}
    assert report == TestReport(
        source="min.xml",
        timestamp=None,
        cases=(
            TestCase(**common, name="first", status=PASSED, message=None),
            TestCase(**common, name="second", status=FAILED, message="first assertion"),
            TestCase(
                **common,
                name="third",
                status=SKIPPED,
                message="skipped: the fixture is missing",
            ),
        ),
    )
    assert (report.tests, report.failed, report.skipped, report.duration_s) == (3, 1, 1, None)


def test_duration_falls_back_to_the_roots_time() -> None:
    report = parse_junit(b'<testsuite time="1,024.5"><testcase name="t"/></testsuite>', "r.xml")
    assert (report.declared_duration_s, report.duration_s) == (1024.5, 1024.5)


def test_suites_nest_to_any_depth() -> None:
    data = b"""<testsuites>
      <testsuite name="a"><testsuite name="b"><testsuite name="c">
        <testcase name="deep"/>
      </testsuite><testcase name="in-b"/></testsuite></testsuite>
      <testcase name="loose"/>
    </testsuites>"""
    cases = parse_junit(data, "n.xml").cases
    assert [(case.suite, case.name) for case in cases] == [
        ("c", "deep"),
        ("b", "in-b"),
        ("", "loose"),
    ]


def test_flaky_error_and_rerun_error() -> None:
    data = b"""<testsuite name="s">
      <testcase name="flaky-error"><flakyError message="NPE" type="NullPointerException"/>
        <flakyError message="NPE again" type="NullPointerException"/></testcase>
      <testcase name="always-errors"><error message="NPE"/><rerunError message="NPE"/></testcase>
    </testsuite>"""
    cases = parse_junit(data, "t.xml").cases
    assert [(c.status, c.flaky, c.message) for c in cases] == [
        (PASSED, True, "NPE"),
        (ERROR, False, "NPE"),
    ]


def test_long_messages_are_trimmed() -> None:
    long = "x" * 600
    data = f'<testsuite><testcase name="t"><failure message="{long}"/></testcase></testsuite>'
    (case,) = parse_junit(data.encode(), "t.xml").cases
    assert case.message == "x" * 500


def test_timestamp_with_an_offset_is_converted_to_utc() -> None:
    data = b'<testsuite name="s" timestamp="2024-05-01T23:30:00-04:00"/>'
    assert parse_junit(data, "t.xml").timestamp == datetime(2024, 5, 2, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "ci/junit.xml: the report is empty"),
        (b"  \n\t\n", "ci/junit.xml: the report is empty"),
        (
            b'<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="s">\n    <testcase',
            "ci/junit.xml:4: invalid XML: unclosed token",
        ),
        (
            b'<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="s">\n',
            "ci/junit.xml:4: invalid XML: no element found",
        ),
        (b"Tests run: 3, Failures: 0", "ci/junit.xml:1: invalid XML: syntax error"),
        (
            b'<?xml version="1.0"?>\n<!-- saved from the browser -->\n<html><body/></html>',
            "ci/junit.xml:3: not a JUnit report: the root element is <html>",
        ),
        (
            b'<testsuite>\n<testcase name="t" time="fast"/></testsuite>',
            'ci/junit.xml:2: <testcase> time="fast" is not a number of seconds',
        ),
        (
            b'<testsuite>\n<testcase name="t" time="-0.5"/></testsuite>',
            'ci/junit.xml:2: <testcase> time="-0.5" is negative',
        ),
        (
            b'<testsuite>\n<testcase name="t" time="nan"/></testsuite>',
            'ci/junit.xml:2: <testcase> time="nan" is not a number of seconds',
        ),
        (
            b'<testsuite>\n<testcase name="t" time="1e999"/></testsuite>',
            'ci/junit.xml:2: <testcase> time="1e999" is not a finite number of seconds',
        ),
        (
            b'<testsuites>\n<testsuite timestamp="yesterday"/></testsuites>',
            'ci/junit.xml:2: <testsuite> timestamp="yesterday" is not an ISO 8601 date and time',
        ),
        (
            b'<testsuite>\n\n<testcase classname="c" time="1"/></testsuite>',
            "ci/junit.xml:3: <testcase> has no name attribute",
        ),
    ],
)
def test_bad_reports_are_refused_with_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_junit(data, "ci/junit.xml")
    assert caught.value.message == message


def test_a_report_over_the_size_limit_is_refused_before_parsing() -> None:
    # Not even well-formed: the size is checked before the XML is looked at.
    with pytest.raises(ReportError) as caught:
        parse_junit(b"<testsuite>" + b" " * 100, "big.xml", max_bytes=100)
    assert caught.value.message == (
        "big.xml: refused: the report is 111 bytes, over the limit of 100 bytes"
    )
