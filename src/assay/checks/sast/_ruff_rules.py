"""What ruff's security rules (``S``, its port of bandit) mean: bandit test, CWE, severity.

Ruff reports every diagnostic at one level, and without a CWE. Its ``S`` rules are
re-implementations of bandit's tests with the same numbers (``S602`` is bandit's
``B602``), so each is given here the CWE and the severity bandit gives its test. Where
bandit's severity depends on the code (a shell command that is a literal is rated low,
one built at run time high), the table takes the higher one: ruff does not tell the
two apart in a way that could be read back. Confidence is not lowered either, since
ruff reports none. Written from bandit's plugin and blacklist definitions (bandit 1.9);
``S320`` and ``S410`` (lxml) keep the CWE of the bandit tests bandit has since retired.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.model import Severity

_L, _M, _H = Severity.LOW, Severity.MEDIUM, Severity.HIGH


@dataclass(frozen=True, kw_only=True, slots=True)
class RuffRule:
    bandit_test: str
    cwe: int
    severity: Severity


# ruff code: (bandit test, CWE, severity)
_TABLE: dict[str, tuple[str, int, Severity]] = {
    "S101": ("B101", 703, _L),  # assert used
    "S102": ("B102", 78, _M),  # exec
    "S103": ("B103", 732, _H),  # permissive chmod (high when world-writable)
    "S104": ("B104", 605, _M),  # bind to all interfaces
    "S105": ("B105", 259, _L),  # hard-coded password string
    "S106": ("B106", 259, _L),  # hard-coded password argument
    "S107": ("B107", 259, _L),  # hard-coded password default
    "S108": ("B108", 377, _M),  # hard-coded temporary file
    "S110": ("B110", 703, _L),  # try / except / pass
    "S112": ("B112", 703, _L),  # try / except / continue
    "S113": ("B113", 400, _M),  # request without timeout
    "S201": ("B201", 94, _H),  # Flask debug mode
    "S202": ("B202", 22, _H),  # tarfile extractall without member filter
    "S301": ("B301", 502, _M),  # pickle
    "S302": ("B302", 502, _M),  # marshal
    "S303": ("B303", 327, _M),  # MD5 / SHA-1 through a blacklisted call
    "S304": ("B304", 327, _H),  # insecure cipher
    "S305": ("B305", 327, _M),  # insecure cipher mode
    "S306": ("B306", 377, _M),  # mktemp
    "S307": ("B307", 78, _M),  # eval
    "S308": ("B308", 79, _M),  # mark_safe
    "S310": ("B310", 22, _M),  # urlopen of any scheme
    "S311": ("B311", 330, _L),  # non-cryptographic random
    "S312": ("B312", 319, _H),  # telnet
    "S313": ("B313", 20, _M),  # xml.etree.cElementTree
    "S314": ("B314", 20, _M),  # xml.etree.ElementTree
    "S315": ("B315", 20, _M),  # xml.sax.expatreader
    "S316": ("B316", 20, _M),  # xml.dom.expatbuilder
    "S317": ("B317", 20, _M),  # xml.sax
    "S318": ("B318", 20, _M),  # xml.dom.minidom
    "S319": ("B319", 20, _M),  # xml.dom.pulldom
    "S320": ("B320", 20, _M),  # lxml.etree
    "S321": ("B321", 319, _H),  # FTP
    "S323": ("B323", 295, _M),  # unverified SSL context
    "S324": ("B324", 327, _H),  # insecure hashlib function
    "S401": ("B401", 319, _H),  # import telnetlib
    "S402": ("B402", 319, _H),  # import ftplib
    "S403": ("B403", 502, _L),  # import pickle
    "S404": ("B404", 78, _L),  # import subprocess
    "S405": ("B405", 20, _L),  # import xml.etree
    "S406": ("B406", 20, _L),  # import xml.sax
    "S407": ("B407", 20, _L),  # import xml.dom.expatbuilder
    "S408": ("B408", 20, _L),  # import xml.dom.minidom
    "S409": ("B409", 20, _L),  # import xml.dom.pulldom
    "S410": ("B410", 20, _L),  # import lxml
    "S411": ("B411", 20, _H),  # import xmlrpc
    "S412": ("B412", 284, _H),  # import of the httpoxy-prone CGI handler
    "S413": ("B413", 327, _H),  # import pycrypto
    "S415": ("B415", 319, _H),  # import pyghmi (IPMI)
    "S501": ("B501", 295, _H),  # request without certificate validation
    "S502": ("B502", 327, _H),  # insecure SSL/TLS version
    "S503": ("B503", 327, _M),  # SSL/TLS with bad defaults
    "S504": ("B504", 327, _L),  # SSL/TLS without a version
    "S505": ("B505", 326, _H),  # weak cryptographic key (high below the lower bound)
    "S506": ("B506", 20, _M),  # unsafe yaml.load
    "S507": ("B507", 295, _H),  # SSH without host key verification
    "S508": ("B508", 319, _M),  # SNMP v1/v2
    "S509": ("B509", 319, _M),  # SNMP without authentication and privacy
    "S601": ("B601", 78, _M),  # paramiko exec_command
    "S602": ("B602", 78, _H),  # subprocess with shell=True
    "S603": ("B603", 78, _L),  # subprocess without a shell
    "S604": ("B604", 78, _M),  # any call with shell=True
    "S605": ("B605", 78, _H),  # process started with a shell
    "S606": ("B606", 78, _L),  # process started without a shell
    "S607": ("B607", 78, _L),  # process started with a partial path
    "S608": ("B608", 89, _M),  # SQL built from strings
    "S609": ("B609", 155, _H),  # wildcard in a shell command
    "S610": ("B610", 89, _M),  # Django extra()
    "S611": ("B611", 89, _M),  # Django RawSQL
    "S612": ("B612", 94, _M),  # logging.config.listen
    "S701": ("B701", 94, _H),  # Jinja2 without autoescape
    "S702": ("B702", 80, _M),  # Mako templates
    "S704": ("B704", 79, _M),  # markupsafe Markup of untrusted data
}

RUFF_RULES: dict[str, RuffRule] = {
    code: RuffRule(bandit_test=test, cwe=cwe, severity=severity)
    for code, (test, cwe, severity) in _TABLE.items()
}

# A rule newer than this table: judged medium until the table learns it.
UNKNOWN_RULE_SEVERITY = Severity.MEDIUM
