"""The built-in rules against the labelled corpus: every positive found, nothing else."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assay.checks.api import FileInput
from assay.checks.secrets import SecretsCheck, SecretsParams
from assay.checks.secrets.matcher import pattern_problem
from assay.checks.secrets.rules import BUILTIN_RULES, GENERIC_RULES
from assay.model import EntryKind, FileEntry
from secrets_corpus import SPECS, Sample, corpus

RULES = BUILTIN_RULES + GENERIC_RULES
PARAMS = SecretsParams(hash_key="corpus-key-0123456789")
SAMPLES = corpus()


def found_rules(sample: Sample) -> list[str]:
    entry = FileEntry(path=sample.path, kind=EntryKind.FILE, blob_id="0" * 40, size=0)
    data = sample.text.encode()
    file = FileInput(entry=entry, data=data, text=sample.text, language=None)
    return [f.rule for f in SecretsCheck().scan(file, PARAMS).findings]


def test_there_are_at_least_forty_rules_with_well_formed_ids() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    assert [i for i in ids if not re.fullmatch(r"secrets\.[a-z0-9]+(?:-[a-z0-9]+)*", i)] == []


def test_every_rule_compiles_in_re2_with_one_capture_group() -> None:
    assert {rule.id: pattern_problem(rule.pattern) for rule in RULES} == {
        rule.id: None for rule in RULES
    }


def test_every_rule_has_a_corpus_spec_with_three_positives() -> None:
    positives = Counter(s.rule for s in SAMPLES if s.kind == "positive")
    assert sorted(spec.rule for spec in SPECS) == sorted(rule.id for rule in RULES)
    assert {rule.id: positives[rule.id] >= 3 for rule in RULES} == {r.id: True for r in RULES}


def test_the_corpus_is_deterministic() -> None:
    assert corpus() == SAMPLES
    assert corpus(seed=1) != SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.rule}-{s.kind}")
def test_sample_is_found_exactly_as_labelled(sample: Sample) -> None:
    expected = [sample.expected] if sample.expected else []
    assert found_rules(sample) == expected


def test_precision_and_recall_per_rule_are_perfect_on_the_corpus() -> None:
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    for sample in SAMPLES:
        found = Counter(found_rules(sample))
        if sample.expected is not None:
            if found[sample.expected]:
                true_pos[sample.expected] += 1
                found[sample.expected] -= 1
            else:
                false_neg[sample.expected] += 1
        false_pos.update(found.elements())
    table = {}
    for rule in RULES:
        tp, fp, fn = true_pos[rule.id], false_pos[rule.id], false_neg[rule.id]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        table[rule.id] = (precision, recall)
        print(f"{rule.id:40} precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp})")
    assert table == {rule.id: (1.0, 1.0) for rule in RULES}
