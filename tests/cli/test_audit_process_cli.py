"""``assay audit`` on a repository with merges, squash merges, a signed commit and tags."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from assay.model import Audit, VerdictStatus

POLICY = """\
assay-policy: 1
id: change-process
title: Change process
checks:
  process.review: {window_days: 3650}
  process.signatures: {window_days: 3650}
  process.releases: {window_days: 3650}
  process.maintenance: {window_days: 3650}
controls:
  - id: P-1
    title: Changes reviewed
    checks: [process.review]
    condition: {measure: {name: process.reviewed_share, min: 60}}
  - id: P-2
    title: Some commits signed
    checks: [process.signatures]
    condition: {measure: {name: process.signed_share, min: 10}}
  - id: P-3
    title: Releases with notes
    checks: [process.releases]
  - id: P-4
    title: Two maintainers
    checks: [process.maintenance]
    condition: {measure: {name: process.bus_factor, min: 2}}
"""


def test_the_change_process_of_a_real_history(make_repo: Any, assay: Any, tmp_path: Path) -> None:
    repo = make_repo("shop", {"README.md": "# shop\n", "CHANGELOG.md": "# Changes\n"})
    alice = {"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": "alice@example.com"}
    bob = {"GIT_AUTHOR_NAME": "Bob", "GIT_AUTHOR_EMAIL": "bob@example.com"}
    repo.git("switch", "-q", "-c", "feature")
    repo.write({"app.py": "x = 1\n"})
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Add the app", env=alice)
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1 from feature", "feature",
             env=alice)  # fmt: skip
    repo.write({"app.py": "x = 2\n", "CHANGELOG.md": "# Changes\n\n## 1.0.0\n"})
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Raise x (#2)", env=bob)  # a squash merge
    repo.git("tag", "-a", "v1.0.0", "-m", "release 1.0.0")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo.write({"app.py": "x = 3\n"})
    repo.git("add", "-A")
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}.pub", "commit", "-q", "-S",
             "-m", "Hotfix pushed directly", env=bob)  # fmt: skip
    repo.write({"app.py": "x = 4\n"})
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Another direct change", env=alice)
    repo.git("tag", "v1.1.0")  # a release that did not touch the changelog
    (tmp_path / "policy.yaml").write_text(POLICY)

    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--format", "json")
    assert done.returncode == 1, done.stderr
    audit = Audit.model_validate_json(done.stdout)
    statuses = {v.control_id: v.status for v in audit.verdicts}
    # First-parent line after the first commit: the merge, the squash, two direct commits.
    values = {(m.name, tuple(m.labels.items())): m.value for m in audit.measures}
    assert values[("process.reviewed_share", ())] == 50.0
    assert values[("process.bus_factor", ())] == 2
    assert statuses == {
        "P-1": VerdictStatus.FAIL,  # 50% < 60%
        "P-2": VerdictStatus.PASS,  # one signed commit of the history
        "P-3": VerdictStatus.FAIL,  # v1.1.0 did not change the changelog
        "P-4": VerdictStatus.PASS,
    }
    direct = sorted(f.message.split(": ", 1)[1] for f in audit.findings
                    if f.rule == "process.direct-commit")  # fmt: skip
    assert direct == ["Another direct change", "Hotfix pushed directly"]
    [release] = [f for f in audit.findings if f.rule == "process.changelog-not-updated"]
    assert release.message.startswith("release v1.1.0 (")
    assert release.message.endswith("): no changelog file changed since v1.0.0")
