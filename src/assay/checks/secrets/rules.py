"""The built-in secret rules, as data.

Each rule's pattern has exactly one capture group: the secret value. Patterns are
RE2 syntax (no backreferences, no lookaround), so they run in linear time. A
pattern ends in ``_END`` (or ``\\b``) rather than a lookahead to say that the value
stops there; the ending character is part of the match but not of the value.

Order matters: when two rules capture overlapping values, the earlier rule keeps
it (a GitHub token assigned to ``token =`` is a GitHub token, not a generic one).
The generic assignment rules come last.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.model import Severity

CRITICAL, HIGH, MEDIUM, LOW = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """One kind of credential: how to find it and how bad it is to leak."""

    id: str
    title: str
    severity: Severity
    pattern: str
    # Lowercase literals; the rule is tried only when one of them is in the lowercased file.
    keywords: tuple[str, ...] = ()
    # Shannon entropy (bits per character) the value must reach; None: no such test.
    min_entropy: float | None = None
    # Judge the value's entropy against a threshold for its character set (generic rules).
    charset_entropy: bool = False
    # File names (globs on the base name) the rule is limited to; empty: every file.
    files: tuple[str, ...] = ()


# The value stops at a character outside a token alphabet with ``-``/``_`` (or the end).
_END = r"(?:[^A-Za-z0-9_-]|\z)"
_ASSIGN = r"""["']?\s*(?::=|=>|=|:)\s*["'`]?"""
# Between a PEM header and the body: real line breaks, or "\n" escapes inside a JSON string.
_GAP = r"(?:\\[rn]|\s)+"
_PEM_HEADERS = r"(?:[A-Za-z-]+:[^\n\\]*" + _GAP + r")*"
_KEY_BODY = r"([A-Za-z0-9+/=]{32,64})"


def _pem(label: str) -> str:
    return rf"-----BEGIN {label}-----{_GAP}{_PEM_HEADERS}{_KEY_BODY}"


def _token(prefix: str, body: str, end: str = r"\b") -> str:
    return rf"\b({prefix}{body}){end}"


_GITHUB = [
    ("ghp", "github-pat", "GitHub personal access token (classic)"),
    ("gho", "github-oauth-token", "GitHub OAuth access token"),
    ("ghu", "github-user-token", "GitHub user-to-server token"),
    ("ghs", "github-app-token", "GitHub app installation token"),
    ("ghr", "github-refresh-token", "GitHub refresh token"),
]
_SHOPIFY = [
    ("shpat", "shopify-access-token", "Shopify admin API access token"),
    ("shpss", "shopify-shared-secret", "Shopify app shared secret"),
    ("shpca", "shopify-custom-app-token", "Shopify custom app access token"),
    ("shppa", "shopify-private-app-token", "Shopify private app access token"),
]
_PRIVATE_KEYS = [
    ("RSA PRIVATE KEY", "private-key-rsa", "RSA private key", CRITICAL),
    ("EC PRIVATE KEY", "private-key-ec", "EC private key", CRITICAL),
    ("DSA PRIVATE KEY", "private-key-dsa", "DSA private key", CRITICAL),
    ("OPENSSH PRIVATE KEY", "private-key-openssh", "OpenSSH private key", CRITICAL),
    ("PGP PRIVATE KEY BLOCK", "private-key-pgp", "PGP private key block", CRITICAL),
    ("PRIVATE KEY", "private-key-pkcs8", "PKCS#8 private key", CRITICAL),
    # Useless without its passphrase, which is often next to it: high, not critical.
    ("ENCRYPTED PRIVATE KEY", "private-key-encrypted", "encrypted PKCS#8 private key", HIGH),
]
_DSN_SCHEMES = (
    r"postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle"
    r"|cockroachdb|clickhouse"
)
_URL_SCHEMES = r"https?|ftps?|sftp|smtps?|ldaps?|ssh"
_USERINFO = r"""[^\s:/@"'<>]{1,128}:([^\s:/@"'<>]{3,128})@[A-Za-z0-9._\[-]"""
_PASSWORD_NAMES = r"(?i:[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase))"  # noqa: S105
# Patterns that match names of secrets; neither holds one.
_SECRET_NAMES = (
    r"(?i:[A-Za-z0-9_.-]*?(?:secret|token|api_?key|access_?key|private_?key"  # noqa: S105
    r"|client_?secret"
    r"|auth|auth_?token|credentials?)(?:_?(?:key|value|string))?)"
)
_GENERIC_VALUE = r"""([^\s"'`,;<>(){}\[\]\\]{%d,200})(?:["'`,;\s)}\]]|\z)"""


def _builtin() -> list[Rule]:
    rules = [
        Rule(
            id="secrets.aws-access-key-id",
            title="AWS access key id",
            severity=CRITICAL,
            pattern=_token("(?:AKIA|ASIA|ABIA|ACCA)", "[A-Z0-9]{16}"),
            keywords=("akia", "asia", "abia", "acca"),
            min_entropy=3.0,
        ),
        Rule(
            id="secrets.aws-secret-access-key",
            title="AWS secret access key",
            severity=CRITICAL,
            pattern=r"(?i:(?:aws_?)?secret_?access_?key|aws_?secret_?key)"
            + _ASSIGN
            + r"([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|\z)",
            keywords=("secret",),
            min_entropy=3.5,
        ),
        Rule(
            id="secrets.gcp-service-account",
            title="GCP service-account key",
            severity=CRITICAL,
            pattern=r'"type"\s*:\s*"service_account"[^{}]*"private_key"\s*:\s*"'
            + _pem("PRIVATE KEY"),
            keywords=("service_account",),
        ),
        Rule(
            id="secrets.google-api-key",
            title="Google API key",
            severity=HIGH,
            pattern=_token("AIza", "[0-9A-Za-z_-]{35}", _END),
            keywords=("aiza",),
        ),
        Rule(
            id="secrets.gcp-oauth-client-secret",
            title="Google OAuth client secret",
            severity=HIGH,
            pattern=_token("GOCSPX-", "[0-9A-Za-z_-]{28}", _END),
            keywords=("gocspx-",),
        ),
        Rule(
            id="secrets.azure-storage-key",
            title="Azure storage account key",
            severity=CRITICAL,
            pattern=r"(?i:AccountKey)\s*=\s*([A-Za-z0-9+/]{86}==)",
            keywords=("accountkey",),
        ),
        Rule(
            id="secrets.azure-connection-string",
            title="Azure shared access key in a connection string",
            severity=CRITICAL,
            pattern=r"(?i:SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{43}=)",
            keywords=("sharedaccesskey",),
        ),
        Rule(
            id="secrets.azure-sas-token",
            title="Azure shared access signature",
            severity=HIGH,
            pattern=r"""[?&]sv=\d{4}-\d\d-\d\d&[^\s"'<>]*?&sig=([A-Za-z0-9%+/]{40,120})""",
            keywords=("sig=",),
        ),
    ]
    rules += [
        Rule(
            id=f"secrets.{name}",
            title=title,
            severity=CRITICAL,
            pattern=_token(f"{prefix}_", "[A-Za-z0-9]{36}"),
            keywords=(f"{prefix}_",),
        )
        for prefix, name, title in _GITHUB
    ]
    rules += [
        Rule(
            id="secrets.github-fine-grained-pat",
            title="GitHub fine-grained personal access token",
            severity=CRITICAL,
            pattern=_token("github_pat_", "[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
            keywords=("github_pat_",),
        ),
        Rule(
            id="secrets.gitlab-pat",
            title="GitLab personal access token",
            severity=CRITICAL,
            pattern=_token("glpat-", "[A-Za-z0-9_-]{20}", _END),
            keywords=("glpat-",),
        ),
        Rule(
            id="secrets.gitlab-runner-token",
            title="GitLab runner authentication token",
            severity=HIGH,
            pattern=_token("glrt-", "[A-Za-z0-9_-]{20}", _END),
            keywords=("glrt-",),
        ),
        Rule(
            id="secrets.bitbucket-token",
            title="Bitbucket app password or access token",
            severity=CRITICAL,
            pattern=_token("ATBB", "[A-Za-z0-9]{32,64}"),
            keywords=("atbb",),
        ),
        Rule(
            id="secrets.slack-bot-token",
            title="Slack bot token",
            severity=HIGH,
            pattern=_token("xoxb-", "[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}"),
            keywords=("xoxb-",),
        ),
        Rule(
            id="secrets.slack-user-token",
            title="Slack user token",
            severity=HIGH,
            pattern=_token("xoxp-", "[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}"),
            keywords=("xoxp-",),
        ),
        Rule(
            id="secrets.slack-app-token",
            title="Slack workspace app token",
            severity=HIGH,
            pattern=_token("xoxa-", "(?:[0-9]+-){1,4}[A-Za-z0-9]{24,64}"),
            keywords=("xoxa-",),
        ),
        Rule(
            id="secrets.slack-refresh-token",
            title="Slack refresh token",
            severity=HIGH,
            pattern=_token("xoxr-", "(?:[0-9]+-){1,4}[A-Za-z0-9]{24,64}"),
            keywords=("xoxr-",),
        ),
        Rule(
            id="secrets.slack-webhook",
            title="Slack incoming webhook URL",
            severity=HIGH,
            pattern=r"hooks\.slack\.com/(?:services|workflows)/"
            r"(T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})\b",
            keywords=("hooks.slack.com",),
        ),
        Rule(
            id="secrets.stripe-live-key",
            title="Stripe live secret key",
            severity=CRITICAL,
            pattern=_token("sk_live_", "[A-Za-z0-9]{24,99}"),
            keywords=("sk_live_",),
        ),
        Rule(
            id="secrets.stripe-restricted-key",
            title="Stripe live restricted key",
            severity=CRITICAL,
            pattern=_token("rk_live_", "[A-Za-z0-9]{24,99}"),
            keywords=("rk_live_",),
        ),
        Rule(
            id="secrets.stripe-test-key",
            title="Stripe test secret key",
            severity=LOW,
            pattern=_token("sk_test_", "[A-Za-z0-9]{24,99}"),
            keywords=("sk_test_",),
        ),
        Rule(
            id="secrets.twilio-api-key",
            title="Twilio API key",
            severity=HIGH,
            pattern=_token("SK", "[0-9a-f]{32}"),
            min_entropy=3.0,
        ),
        Rule(
            id="secrets.twilio-auth-token",
            title="Twilio auth token",
            severity=HIGH,
            pattern=r"(?i:twilio[A-Za-z0-9_.-]{0,20}(?:auth_?token|secret|token))"
            + _ASSIGN
            + r"([0-9a-f]{32})\b",
            keywords=("twilio",),
            min_entropy=3.0,
        ),
        Rule(
            id="secrets.twilio-sid-and-token",
            title="Twilio auth token after its account SID",
            severity=HIGH,
            pattern=r"""\bAC[0-9a-f]{32}["']?[\s,:;/]+["']?([0-9a-f]{32})\b""",
            min_entropy=3.0,
        ),
        Rule(
            id="secrets.sendgrid-api-key",
            title="SendGrid API key",
            severity=HIGH,
            pattern=_token(r"SG\.", r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}", _END),
            keywords=("sg.",),
        ),
        Rule(
            id="secrets.mailgun-api-key",
            title="Mailgun API key",
            severity=HIGH,
            pattern=_token("key-", "[0-9a-f]{32}"),
            keywords=("key-",),
            min_entropy=3.0,
        ),
    ]
    rules += [
        Rule(
            id=f"secrets.{name}",
            title=title,
            severity=HIGH,
            pattern=_token(f"{prefix}_", "[a-fA-F0-9]{32}"),
            keywords=(f"{prefix}_",),
        )
        for prefix, name, title in _SHOPIFY
    ]
    rules += [
        Rule(
            id="secrets.npm-token",
            title="npm access token",
            severity=HIGH,
            pattern=_token("npm_", "[A-Za-z0-9]{36}"),
            keywords=("npm_",),
        ),
        Rule(
            id="secrets.pypi-token",
            title="PyPI upload token",
            severity=HIGH,
            pattern=_token("pypi-AgEIcHlwaS5vcmc", "[A-Za-z0-9_-]{50,}", _END),
            keywords=("pypi-ageicHlwas5vcmc".lower(),),
        ),
        Rule(
            id="secrets.dockerhub-token",
            title="Docker Hub personal access token",
            severity=HIGH,
            pattern=_token("dckr_pat_", "[A-Za-z0-9_-]{27}", _END),
            keywords=("dckr_pat_",),
        ),
        Rule(
            id="secrets.huggingface-token",
            title="Hugging Face access token",
            severity=HIGH,
            pattern=_token("hf_", "[A-Za-z]{34}"),
            keywords=("hf_",),
        ),
        Rule(
            id="secrets.anthropic-api-key",
            title="Anthropic API key",
            severity=HIGH,
            pattern=_token("sk-ant-", "(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_-]{80,120}", _END),
            keywords=("sk-ant-",),
        ),
        Rule(
            id="secrets.openai-api-key",
            title="OpenAI API key",
            severity=HIGH,
            pattern=r"\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}"
            r"|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})" + _END,
            keywords=("sk-",),
        ),
    ]
    rules += [
        Rule(
            id=f"secrets.{name}",
            title=title,
            severity=severity,
            pattern=_pem(label),
            keywords=(f"begin {label.lower()}",),
        )
        for label, name, title, severity in _PRIVATE_KEYS
    ]
    rules += [
        Rule(
            id="secrets.jwt",
            title="JSON Web Token",
            severity=HIGH,
            pattern=_token(
                r"eyJ", r"[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", _END
            ),
            keywords=("eyj",),
        ),
        Rule(
            id="secrets.npmrc-auth-token",
            title="npm registry credential (.npmrc)",
            severity=HIGH,
            pattern=r"_auth(?:Token)?\s*=\s*([A-Za-z0-9._~+/=-]{16,})",
            keywords=("_auth",),
            # Only in npm config files (.npmrc, templates of it): `wgs84_auth = Spatial…` is code.
            files=("*npmrc*",),
        ),
        Rule(
            id="secrets.pypirc-password",
            title="package index password (.pypirc)",
            severity=HIGH,
            pattern=r"(?im)^[ \t]*password[ \t]*[=:][ \t]*(\S{6,})",
            keywords=("password",),
            files=(".pypirc",),
        ),
        Rule(
            id="secrets.netrc-password",
            title="password in .netrc",
            severity=HIGH,
            pattern=r"\bpassword[ \t]+(\S{3,})",
            keywords=("password",),
            files=(".netrc", "_netrc"),
        ),
        Rule(
            id="secrets.git-credentials",
            title="forge credential in .git-credentials",
            severity=HIGH,
            pattern=r"https?://[^\s:/@]+:([^\s@]{3,})@",
            keywords=("://",),
            files=(".git-credentials",),
        ),
        Rule(
            id="secrets.dsn-password",
            title="password in a database or broker URL",
            severity=HIGH,
            pattern=rf"\b(?:{_DSN_SCHEMES})(?:\+[a-z0-9]+)?://{_USERINFO}",
            keywords=("://",),
        ),
        Rule(
            id="secrets.url-password",
            title="password in a URL",
            severity=HIGH,
            pattern=rf"\b(?:{_URL_SCHEMES})://{_USERINFO}",
            keywords=("://",),
        ),
    ]
    return rules


BUILTIN_RULES: tuple[Rule, ...] = tuple(_builtin())

# Last of all, after the company's own rules: any more specific rule wins a value.
GENERIC_RULES: tuple[Rule, ...] = (
    Rule(
        id="secrets.generic-password",
        title="password assigned in code or configuration",
        severity=MEDIUM,
        pattern=_PASSWORD_NAMES + _ASSIGN + _GENERIC_VALUE % 8,
        keywords=("pass", "pwd"),
        charset_entropy=True,
    ),
    Rule(
        id="secrets.generic-secret",
        title="secret, token or key assigned in code or configuration",
        severity=MEDIUM,
        pattern=_SECRET_NAMES + _ASSIGN + _GENERIC_VALUE % 12,
        keywords=("secret", "token", "key", "auth", "credential"),
        charset_entropy=True,
    ),
)

SUPPRESSION_RULE = "secrets.suppression-without-reason"
ALL_RULE_IDS: frozenset[str] = frozenset(
    [r.id for r in BUILTIN_RULES + GENERIC_RULES] + [SUPPRESSION_RULE]
)
