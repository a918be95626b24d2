"""A labelled corpus for ``secrets.scan``: realistic tokens per rule, near-misses, placeholders.

Deterministic (seeded): the same samples on every run. A *positive* must be found with
exactly its rule id and nothing else; a *near-miss* (wrong length, prefix or character
set, or missing context) and a *placeholder* must not be found at all. Near-misses sit
under neutral names (``build_ref``), since a near-miss token assigned to ``token =``
would rightly be a generic secret.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

DIGITS = string.digits
HEX = string.digits + "abcdef"
UPPER_HEX = string.digits + "ABCDEF"
LOWER = string.ascii_lowercase
LETTERS = string.ascii_letters
UPPER_ALNUM = string.digits + string.ascii_uppercase
ALNUM = string.digits + string.ascii_letters
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
PASSWORD = ALNUM + "!#%&*+-.^~"

Body = Callable[[str, int], str]
Make = Callable[[Body], str]
Context = Callable[[str], tuple[str, str]]
Kind = Literal["positive", "near-miss", "placeholder"]


@dataclass(frozen=True)
class Sample:
    rule: str  # the rule the sample is about
    kind: Kind
    path: str
    text: str
    value: str

    @property
    def expected(self) -> str | None:
        return self.rule if self.kind == "positive" else None


def env(name: str, path: str = ".env") -> Context:
    return lambda v: (path, f"# service settings\nDEBUG=false\n{name}={v}\nPORT=8080\n")


def yaml(name: str, path: str = "deploy/values.yaml") -> Context:
    return lambda v: (path, f'service:\n  replicas: 2\n  {name}: "{v}"\n  region: eu-west-1\n')


def jsonc(name: str, path: str = "config/app.json") -> Context:
    return lambda v: (path, json.dumps({"name": "billing", name: v, "retries": 3}, indent=2))


def python(name: str, path: str = "app/settings.py") -> Context:
    return lambda v: (path, f'import os\n\nTIMEOUT = 30\n{name} = "{v}"\nDEBUG = False\n')


def js(name: str, path: str = "web/src/client.js") -> Context:
    return lambda v: (path, f"const base = '/api';\nconst {name} = '{v}';\nexport default base;\n")


def plain(template: str, path: str) -> Context:
    return lambda v: (path, template.replace("@@", v))


def pem(label: str, path: str = "deploy/key.pem") -> Context:
    def build(body: str) -> tuple[str, str]:
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        return path, f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"

    return build


def pem_in_yaml(label: str) -> Context:
    def build(body: str) -> tuple[str, str]:
        lines = "".join(f"    {body[i : i + 64]}\n" for i in range(0, len(body), 64))
        text = f"tls:\n  key: |\n    -----BEGIN {label}-----\n{lines}    -----END {label}-----\n"
        return "k8s/secret.yaml", text

    return build


def pem_in_json(label: str) -> Context:
    def build(body: str) -> tuple[str, str]:
        key = f"-----BEGIN {label}-----\n{body[:64]}\n{body[64:]}\n-----END {label}-----\n"
        return "config/signing.json", json.dumps({"kid": "k1", "pem": key})

    return build


def gcp_json(body: str) -> tuple[str, str]:
    key = f"-----BEGIN PRIVATE KEY-----\n{body[:64]}\n{body[64:]}\n-----END PRIVATE KEY-----\n"
    document = {
        "type": "service_account", "project_id": "billing-prod",
        "private_key_id": "4f1c0d2e9a", "private_key": key,
        "client_email": "ci@billing-prod.iam.gserviceaccount.com",
    }  # fmt: skip
    return "secrets/gcp.json", json.dumps(document, indent=2)


def b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


NEUTRAL_PY = plain('build_ref = "@@"\n', "ci/build.py")


@dataclass(frozen=True)
class Spec:
    rule: str
    make: Make
    contexts: tuple[Context, ...]
    near: tuple[Make, ...]
    neutral: Context = field(default=NEUTRAL_PY)


def _key_body(first: str) -> Make:
    return lambda b: first + b(B64, 124) + "=="


NEUTRAL_PEM = pem("CERTIFICATE", "deploy/cert.pem")


def _specs() -> list[Spec]:
    specs = [
        Spec(
            "secrets.aws-access-key-id",
            lambda b: "AKIA" + b(UPPER_ALNUM, 16),
            (env("AWS_ACCESS_KEY_ID"), yaml("aws_access_key_id"), python("AWS_KEY_ID")),
            (
                lambda b: "AKIA" + b(UPPER_ALNUM, 15),
                lambda b: "AKIB" + b(UPPER_ALNUM, 16),
                lambda b: "AKIA" + b(LOWER, 16),
            ),
        ),
        Spec(
            "secrets.aws-secret-access-key",
            lambda b: b(B64, 40),
            (
                env("AWS_SECRET_ACCESS_KEY"),
                yaml("aws_secret_access_key"),
                plain("[default]\naws_secret_access_key = @@\n", ".aws/credentials"),
            ),
            (lambda b: b(B64, 39), lambda b: b(B64, 41), lambda b: b(B64, 40)),
            neutral=env("AWS_REGION_SUFFIX"),
        ),
        Spec(
            "secrets.gcp-service-account",
            _key_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
            (gcp_json, gcp_json, gcp_json),
            (lambda b: "MIIE" + b(B64, 20),),
            neutral=lambda v: (
                "secrets/gcp.json",
                json.dumps({"type": "service_account", "key_ref": v}),
            ),
        ),
        Spec(
            "secrets.google-api-key",
            lambda b: "AIza" + b(URLSAFE, 35),
            (env("GOOGLE_MAPS_KEY"), js("mapsKey"), jsonc("maps_key")),
            (lambda b: "AIza" + b(URLSAFE, 30), lambda b: "AIzb" + b(URLSAFE, 35)),
        ),
        Spec(
            "secrets.gcp-oauth-client-secret",
            lambda b: "GOCSPX-" + b(URLSAFE, 28),
            (env("GOOGLE_CLIENT_SECRET"), jsonc("client_secret"), yaml("oauthSecret")),
            (lambda b: "GOCSPX-" + b(URLSAFE, 20), lambda b: "GOCSPY-" + b(URLSAFE, 28)),
        ),
        Spec(
            "secrets.azure-storage-key",
            lambda b: b(B64, 86) + "==",
            tuple(
                plain(
                    "Storage=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=@@;"
                    "EndpointSuffix=core.windows.net\n",
                    p,
                )
                for p in (".env", "appsettings.txt", "deploy/storage.cfg")
            ),
            (lambda b: b(B64, 60) + "==", lambda b: b(B64, 86) + "="),
        ),
        Spec(
            "secrets.azure-connection-string",
            lambda b: b(B64, 43) + "=",
            tuple(
                plain(
                    "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName="
                    "RootManageSharedAccessKey;SharedAccessKey=@@\n",
                    p,
                )
                for p in (".env", "local.settings.txt", "conf/bus.ini")
            ),
            (lambda b: b(B64, 30) + "=", lambda b: b(B64, 43)),
        ),
        Spec(
            "secrets.azure-sas-token",
            lambda b: b(ALNUM, 40) + "%2B" + b(ALNUM, 2) + "%3D",
            tuple(
                plain(
                    "BLOB_URL=https://acme.blob.core.windows.net/reports?sv=2022-11-02"
                    "&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=@@\n",
                    p,
                )
                for p in (".env", "scripts/upload.sh", "config/blob.txt")
            ),
            (lambda b: b(ALNUM, 20),),
        ),
    ]
    github = [("ghp", "github-pat"), ("gho", "github-oauth-token"), ("ghu", "github-user-token"),
              ("ghs", "github-app-token"), ("ghr", "github-refresh-token")]  # fmt: skip
    for prefix, name in github:
        specs.append(Spec(
            f"secrets.{name}", lambda b, p=prefix: f"{p}_" + b(ALNUM, 36),
            (env("GITHUB_TOKEN"), yaml("github_token"), js("ghToken")),
            (lambda b, p=prefix: f"{p}_" + b(ALNUM, 35), lambda b: "ghx_" + b(ALNUM, 36),
             lambda b, p=prefix: f"{p}_" + b(ALNUM, 20) + "-" + b(ALNUM, 15)),
        ))  # fmt: skip
    specs += [
        Spec(
            "secrets.github-fine-grained-pat",
            lambda b: "github_pat_" + b(ALNUM, 22) + "_" + b(ALNUM, 59),
            (env("GH_PAT"), yaml("token"), python("GITHUB_PAT")),
            (
                lambda b: "github_pat_" + b(ALNUM, 22) + "_" + b(ALNUM, 50),
                lambda b: "github_pak_" + b(ALNUM, 22) + "_" + b(ALNUM, 59),
            ),
        ),
        Spec(
            "secrets.gitlab-pat",
            lambda b: "glpat-" + b(URLSAFE, 20),
            (env("GITLAB_TOKEN"), yaml("gitlab_token"), python("GL_TOKEN")),
            (lambda b: "glpat-" + b(URLSAFE, 12), lambda b: "glpad-" + b(URLSAFE, 20)),
        ),
        Spec(
            "secrets.gitlab-runner-token",
            lambda b: "glrt-" + b(URLSAFE, 20),
            (
                env("RUNNER_TOKEN"),
                yaml("runner_token"),
                plain('[[runners]]\n  name = "ci"\n  token = "@@"\n', "gitlab-runner/config.toml"),
            ),
            (lambda b: "glrt-" + b(URLSAFE, 10), lambda b: "glrx-" + b(URLSAFE, 20)),
        ),
        Spec(
            "secrets.bitbucket-token",
            lambda b: "ATBB" + b(ALNUM, 32),
            (env("BITBUCKET_APP_PASSWORD"), yaml("bitbucket_password"), python("BB_TOKEN")),
            (lambda b: "ATBB" + b(ALNUM, 20), lambda b: "ATBX" + b(ALNUM, 32)),
        ),
        Spec(
            "secrets.slack-bot-token",
            lambda b: "xoxb-" + b(DIGITS, 12) + "-" + b(DIGITS, 13) + "-" + b(ALNUM, 24),
            (env("SLACK_BOT_TOKEN"), yaml("slack_token"), js("slackToken")),
            (
                lambda b: "xoxb-" + b(DIGITS, 12) + "-" + b(DIGITS, 13) + "-" + b(ALNUM, 20),
                lambda b: "xoxz-" + b(DIGITS, 12) + "-" + b(DIGITS, 13) + "-" + b(ALNUM, 24),
            ),
        ),
        Spec(
            "secrets.slack-user-token",
            lambda b: "xoxp-" + "-".join(b(DIGITS, 12) for _ in range(3)) + "-" + b(HEX, 32),
            (env("SLACK_USER_TOKEN"), yaml("slack_user_token"), python("SLACK_TOKEN")),
            (
                lambda b: "xoxp-" + "-".join(b(DIGITS, 12) for _ in range(3)) + "-" + b(HEX, 20),
                lambda b: "xoxp-" + b(DIGITS, 12) + "-" + b(LETTERS, 32),
            ),
        ),
        Spec(
            "secrets.slack-app-token",
            lambda b: "xoxa-2-" + b(DIGITS, 12) + "-" + b(DIGITS, 12) + "-" + b(ALNUM, 32),
            (env("SLACK_APP_TOKEN"), yaml("slack_app_token"), js("appToken")),
            (
                lambda b: "xoxa-2-" + b(DIGITS, 12) + "-" + b(ALNUM, 10),
                lambda b: "xoxq-2-" + b(DIGITS, 12) + "-" + b(ALNUM, 32),
            ),
        ),
        Spec(
            "secrets.slack-refresh-token",
            lambda b: "xoxr-" + b(DIGITS, 12) + "-" + b(ALNUM, 40),
            (env("SLACK_REFRESH_TOKEN"), yaml("refresh_token"), python("SLACK_REFRESH")),
            (
                lambda b: "xoxr-" + b(DIGITS, 12) + "-" + b(ALNUM, 12),
                lambda b: "xoxr-" + b(ALNUM, 40),
            ),
        ),
        Spec(
            "secrets.slack-webhook",
            lambda b: "T" + b(UPPER_ALNUM, 10) + "/B" + b(UPPER_ALNUM, 10) + "/" + b(ALNUM, 24),
            (
                plain("SLACK_HOOK=https://hooks.slack.com/services/@@\n", ".env"),
                plain('hook: "https://hooks.slack.com/services/@@"\n', "alerts.yaml"),
                plain(
                    'requests.post("https://hooks.slack.com/services/@@", json=m)\n',
                    "ops/notify.py",
                ),
            ),
            (
                lambda b: "T" + b(UPPER_ALNUM, 10) + "/B" + b(UPPER_ALNUM, 10) + "/" + b(ALNUM, 12),
                lambda b: "X" + b(UPPER_ALNUM, 10) + "/B" + b(UPPER_ALNUM, 10) + "/" + b(ALNUM, 24),
            ),
            neutral=plain("url = 'https://hooks.example.org/services/@@'\n", "ops/hook.py"),
        ),
        Spec(
            "secrets.stripe-live-key",
            lambda b: "sk_live_" + b(ALNUM, 24),
            (env("STRIPE_SECRET_KEY"), yaml("stripe_key"), python("STRIPE_API_KEY")),
            (lambda b: "sk_live_" + b(ALNUM, 12), lambda b: "sk_lime_" + b(ALNUM, 24)),
        ),
        Spec(
            "secrets.stripe-restricted-key",
            lambda b: "rk_live_" + b(ALNUM, 34),
            (env("STRIPE_RESTRICTED_KEY"), yaml("stripe_rk"), js("stripeKey")),
            (lambda b: "rk_live_" + b(ALNUM, 10), lambda b: "rk_liv_" + b(ALNUM, 34)),
        ),
        Spec(
            "secrets.stripe-test-key",
            lambda b: "sk_test_" + b(ALNUM, 24),
            (env("STRIPE_SECRET_KEY", "config/.env.dev"), yaml("stripe_key"), js("stripe")),
            (lambda b: "sk_test_" + b(ALNUM, 10), lambda b: "pk_test_" + b(ALNUM, 24)),
        ),
        Spec(
            "secrets.twilio-api-key",
            lambda b: "SK" + b(HEX, 32),
            (env("TWILIO_API_KEY"), yaml("twilio_key_sid"), python("TWILIO_KEY")),
            (lambda b: "SK" + b(HEX, 31), lambda b: "SK" + b(LETTERS, 32)),
        ),
        Spec(
            "secrets.twilio-auth-token",
            lambda b: b(HEX, 32),
            (env("TWILIO_AUTH_TOKEN"), yaml("twilio_auth_token"), python("TWILIO_TOKEN")),
            (lambda b: b(HEX, 31), lambda b: b(HEX, 33)),
            neutral=env("TWILIO_REGION_HASH"),
        ),
        Spec(
            "secrets.twilio-sid-and-token",
            lambda b: b(HEX, 32),
            (
                plain('client = Client("AC0f3e9b2c7d4a6e1f8b5c2d9e0a7f4b13", "@@")\n', "sms.py"),
                plain("TWILIO=AC0f3e9b2c7d4a6e1f8b5c2d9e0a7f4b13:@@\n", ".env"),
                plain('new Twilio("AC9d2e4f6a8b0c1d3e5f7a9b2c4d6e8f01", "@@");\n', "sms.js"),
            ),
            (lambda b: b(HEX, 30), lambda b: b(UPPER_HEX, 32)),
            neutral=plain(
                'client = Client("AB0f3e9b2c7d4a6e1f8b5c2d9e0a7f4b13", "@@")\n', "sms.py"
            ),
        ),
        Spec(
            "secrets.sendgrid-api-key",
            lambda b: "SG." + b(URLSAFE, 22) + "." + b(URLSAFE, 43),
            (env("SENDGRID_API_KEY"), yaml("sendgrid_key"), python("SENDGRID_KEY")),
            (
                lambda b: "SG." + b(URLSAFE, 22) + "." + b(URLSAFE, 30),
                lambda b: "SH." + b(URLSAFE, 22) + "." + b(URLSAFE, 43),
            ),
        ),
        Spec(
            "secrets.mailgun-api-key",
            lambda b: "key-" + b(HEX, 32),
            (env("MAILGUN_API_KEY"), yaml("mailgun_key"), js("mailgunKey")),
            (lambda b: "key-" + b(HEX, 31), lambda b: "key-" + b(LETTERS, 32)),
        ),
    ]
    shopify = [
        ("shpat", "shopify-access-token"),
        ("shpss", "shopify-shared-secret"),
        ("shpca", "shopify-custom-app-token"),
        ("shppa", "shopify-private-app-token"),
    ]
    for prefix, name in shopify:
        specs.append(Spec(
            f"secrets.{name}", lambda b, p=prefix: f"{p}_" + b(HEX, 32),
            (env("SHOPIFY_TOKEN"), yaml("shopify_token"), python("SHOPIFY_SECRET")),
            (lambda b, p=prefix: f"{p}_" + b(HEX, 30), lambda b: "shpzz_" + b(HEX, 32),
             lambda b, p=prefix: f"{p}_" + b(LETTERS, 32)),
        ))  # fmt: skip
    specs += [
        Spec(
            "secrets.npm-token",
            lambda b: "npm_" + b(ALNUM, 36),
            (
                env("NPM_TOKEN"),
                plain("//registry.npmjs.org/:_authToken=@@\n", ".npmrc"),
                yaml("npm_token"),
            ),
            (lambda b: "npm_" + b(ALNUM, 30), lambda b: "npn_" + b(ALNUM, 36)),
        ),
        Spec(
            "secrets.pypi-token",
            lambda b: "pypi-AgEIcHlwaS5vcmc" + b(URLSAFE, 150),
            (
                env("TWINE_PASSWORD"),
                plain("[pypi]\nusername = __token__\npassword = @@\n", ".pypirc"),
                yaml("pypi_token"),
            ),
            (
                lambda b: "pypi-AgEIcHlwaS5vcmc" + b(URLSAFE, 30),
                lambda b: "pypi-AgEIcHlwaS5vcnc" + b(URLSAFE, 150),
            ),
        ),
        Spec(
            "secrets.dockerhub-token",
            lambda b: "dckr_pat_" + b(URLSAFE, 27),
            (env("DOCKERHUB_TOKEN"), yaml("registry_token"), python("DOCKER_PAT")),
            (lambda b: "dckr_pat_" + b(URLSAFE, 20), lambda b: "dckr_pad_" + b(URLSAFE, 27)),
        ),
        Spec(
            "secrets.huggingface-token",
            lambda b: "hf_" + b(LETTERS, 34),
            (env("HF_TOKEN"), yaml("hf_token"), python("HUGGINGFACE_TOKEN")),
            (lambda b: "hf_" + b(LETTERS, 30), lambda b: "hf_" + b(ALNUM, 20) + "7" + b(ALNUM, 13)),
        ),
        Spec(
            "secrets.anthropic-api-key",
            lambda b: "sk-ant-api03-" + b(URLSAFE, 93) + "AA",
            (env("ANTHROPIC_API_KEY"), yaml("anthropic_key"), js("anthropicKey")),
            (
                lambda b: "sk-ant-api03-" + b(URLSAFE, 40),
                lambda b: "sk-ant-xyz03-" + b(URLSAFE, 95),
            ),
        ),
        Spec(
            "secrets.openai-api-key",
            lambda b: "sk-proj-" + b(URLSAFE, 120),
            (env("OPENAI_API_KEY"), yaml("openai_key"), python("OPENAI_KEY")),
            (lambda b: "sk-proj-" + b(URLSAFE, 20), lambda b: "sk-" + b(ALNUM, 48)),
        ),
    ]
    keys = [("RSA PRIVATE KEY", "rsa", "MIIEpAIBAAKCAQEA"), ("EC PRIVATE KEY", "ec", "MHcCAQEEI"),
            ("DSA PRIVATE KEY", "dsa", "MIIBuwIBAAKBgQ"),
            ("OPENSSH PRIVATE KEY", "openssh", "b3BlbnNzaC1rZXktdjEAAAAA"),
            ("PGP PRIVATE KEY BLOCK", "pgp", "lQOYBF"), ("PRIVATE KEY", "pkcs8", "MIIEvQIBADAN"),
            ("ENCRYPTED PRIVATE KEY", "encrypted", "MIIFHDBOBgkqhkiG")]  # fmt: skip
    for label, name, first in keys:
        specs.append(Spec(
            f"secrets.private-key-{name}", _key_body(first),
            (pem(label), pem_in_yaml(label), pem_in_json(label)),
            (lambda b: b(B64, 20), lambda b: "..." + b(B64, 10)),
            neutral=NEUTRAL_PEM,
        ))  # fmt: skip
    header = b64url({"alg": "HS256", "typ": "JWT"})
    specs += [
        Spec(
            "secrets.jwt",
            lambda b: (
                header
                + "."
                + b64url({"sub": b(DIGITS, 8), "name": b(LETTERS, 10)})
                + "."
                + b(URLSAFE, 43)
            ),
            (env("SESSION_JWT"), yaml("bearer"), js("jwt")),
            (
                lambda b: header + "." + b64url({"sub": b(DIGITS, 8)}),
                lambda b: "eyX" + b(URLSAFE, 20) + ".eyX" + b(URLSAFE, 20) + "." + b(URLSAFE, 43),
            ),
        ),
        Spec(
            "secrets.npmrc-auth-token",
            lambda b: "-".join((b(HEX, 8), b(HEX, 4), b(HEX, 4), b(HEX, 4), b(HEX, 12))),
            tuple(
                plain("registry=https://npm.corp.net/\n//npm.corp.net/:_authToken=@@\n", p)
                for p in (".npmrc", "frontend/.npmrc", "tools/npmrc.tpl")
            ),
            (lambda b: b(HEX, 8),),
            neutral=plain("//npm.corp.net/:always-auth=@@\n", ".npmrc"),
        ),
        Spec(
            "secrets.pypirc-password",
            lambda b: b(PASSWORD, 20),
            tuple(
                plain(
                    "[distutils]\nindex-servers = corp\n[corp]\nusername = ci\npassword = @@\n", p
                )
                for p in (".pypirc", "ci/.pypirc", "home/.pypirc")
            ),
            (lambda b: b(PASSWORD, 4),),
            neutral=plain("[corp]\nusername = @@\n", ".pypirc"),
        ),
        Spec(
            "secrets.netrc-password",
            lambda b: b(PASSWORD, 18),
            tuple(
                plain("machine git.corp.net login deploy password @@\n", p)
                for p in (".netrc", "ci/.netrc", "_netrc")
            ),
            (lambda b: b(PASSWORD, 2),),
            neutral=plain("machine git.corp.net login @@\n", ".netrc"),
        ),
        Spec(
            "secrets.git-credentials",
            lambda b: b(ALNUM, 24),
            tuple(
                plain("https://deploy:@@@git.corp.net\n", p)
                for p in (".git-credentials", "ci/.git-credentials", "home/.git-credentials")
            ),
            (lambda b: b(ALNUM, 2),),
            neutral=plain("https://git.corp.net/@@\n", ".git-credentials"),
        ),
        Spec(
            "secrets.dsn-password",
            lambda b: b(ALNUM, 18),
            (
                plain("DATABASE_URL=postgres://app:@@@db.internal:5432/app\n", ".env"),
                plain('MONGO = "mongodb+srv://svc:@@@cluster0.mongodb.net/prod"\n', "app/db.py"),
                plain("cache:\n  url: redis://default:@@@cache.internal:6379/0\n", "values.yaml"),
                plain("BROKER=amqp://worker:@@@mq.internal:5672//\n", "worker.env"),
                plain("DSN=mysql://shop:@@@mysql.internal/shop\n", "shop.env"),
            ),
            (lambda b: b(ALNUM, 2),),
            neutral=plain("DATABASE_URL=postgres://app@db.internal:5432/@@\n", ".env"),
        ),
        Spec(
            "secrets.url-password",
            lambda b: b(ALNUM, 16),
            (
                plain("PIP_INDEX_URL=https://ci:@@@pypi.corp.net/simple\n", "ci.env"),
                plain('mirror = "ftp://mirror:@@@ftp.corp.net/pub"\n', "sync.py"),
                plain("repo: http://bot:@@@artifacts.corp.net/maven\n", "build.yaml"),
            ),
            (lambda b: b(ALNUM, 2),),
            neutral=plain("PIP_INDEX_URL=https://pypi.corp.net/simple/@@\n", "ci.env"),
        ),
        Spec(
            "secrets.generic-password",
            lambda b: b(PASSWORD, 14) + b(DIGITS, 2),
            (env("DB_PASSWORD"), yaml("password"), python("SMTP_PASSWORD"), js("adminPassword")),
            (lambda b: b(PASSWORD, 5), lambda b: "aaaa1111bbbb"),
            neutral=env("DB_USER"),
        ),
        Spec(
            "secrets.generic-secret",
            lambda b: b(ALNUM, 30) + b(DIGITS, 2),
            (
                env("API_KEY"),
                yaml("client_secret"),
                python("SECRET_KEY"),
                js("apiKey"),
                jsonc("auth_token"),
            ),
            (lambda b: b(ALNUM, 8), lambda b: "settings." + b(LETTERS, 12)),
            neutral=env("API_URL"),
        ),
    ]
    return specs


SPECS = _specs()
PLACEHOLDER_TEXTS = ("${SECRET_VALUE}", "{{ secret_value }}", "<your-token-here>", "$SECRET_VALUE",
                     "%(secret_value)s", "changeme", "example-value-123")  # fmt: skip


def corpus(seed: int = 20240611) -> list[Sample]:
    """Every sample, in a fixed order."""
    rng = random.Random(seed)

    def random_body(alphabet: str, n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    def same_body(alphabet: str, n: int) -> str:
        return alphabet[0] * n

    def cycle_body(alphabet: str, n: int) -> str:
        return (alphabet[:3] * n)[:n]

    samples: list[Sample] = []
    for spec in SPECS:
        for context in spec.contexts:
            value = spec.make(random_body)
            path, text = context(value)
            samples.append(Sample(spec.rule, "positive", path, text, value))
        for near in spec.near:
            value = near(random_body)
            path, text = spec.neutral(value)
            samples.append(Sample(spec.rule, "near-miss", path, text, value))
        for body in (same_body, cycle_body):
            value = spec.make(body)
            path, text = spec.contexts[0](value)
            samples.append(Sample(spec.rule, "placeholder", path, text, value))
        for value in PLACEHOLDER_TEXTS:
            path, text = spec.contexts[0](value)
            samples.append(Sample(spec.rule, "placeholder", path, text, value))
    return samples
