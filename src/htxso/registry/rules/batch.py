"""Batch eligibility: every computed criterion of a call for many organisations at once.

Used to preview a call over the registry (how many cooperatives of each province would
pass) and by ``bench/programs_eligibility.py``; a fixed number of queries whatever the
number of organisations (see ``facts.load_facts``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import engine as rules
from .facts import load_facts, needs_for


@dataclass
class BatchResult:
    evaluated: int = 0
    #: organisation id → eligible (True/False/None) over the computed criteria
    eligible: dict[int, bool | None] = field(default_factory=dict)
    #: (criterion position, verdict) → count
    verdicts: Counter = field(default_factory=Counter)

    def by_province(self, facts) -> dict[str, int]:
        out: Counter = Counter()
        for org_id, ok in self.eligible.items():
            if ok:
                out[facts[org_id].province_id] += 1
        return dict(out)


def evaluate_many(criteria, organisations: QuerySet, on: dt.date) -> tuple[BatchResult, dict]:
    """Evaluate the computed ``criteria`` (declared ones are skipped) for ``organisations``."""
    computed = [c for c in criteria if c.kind != "declared"]
    facts = load_facts(organisations, needs=needs_for(c.kind for c in computed))
    plan = [
        (index, rules.RULES[c.kind], c.params or {}, rules.reference_date(c.params, on))
        for index, c in enumerate(computed)
    ]
    result = BatchResult()
    counts = result.verdicts
    for org_id, org_facts in facts.items():
        verdicts = []
        for index, rule, params, day in plan:
            verdict = rule(org_facts, params, day).verdict
            counts[(index, verdict)] += 1
            verdicts.append(verdict)
        result.eligible[org_id] = rules.combine(verdicts)
    result.evaluated = len(facts)
    return result, facts
