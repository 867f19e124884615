"""Benchmarks of HTX Số: ``python -m bench [NAME ...] [--quick] [--verbose]``.

Every benchmark is a module of this package named in :data:`BENCHMARKS`.  The harness
(``bench/__main__.py``) prepares one throwaway database with the demo data, serves the
project through :mod:`bench.urls` (the project's URLs plus a baseline view), runs the
selected benchmarks in the order listed here, prints their tables and writes
``bench/results/<name>.json``.  See ``bench/README.md``.
"""

#: The registered benchmarks, in running order.  Each name is a module ``bench.<name>``
#: with a docstring (its first line is the ``--list`` description) and
#: ``run(ctx: bench.harness.Context) -> bench.harness.Result``.
BENCHMARKS: list[str] = [
    "home",
    "registry_generate",
    "registry_import",
    "registry_search",
    "registry_dashboard",
    "registry_sync",
    "registry_reconcile",
    "programs_eligibility",
    "support_policies",
    "support_queue",
    "market_search",
    "market_pages",
    "trace_hashing",
    "trace_ledger",
    "trace_stamps",
    "trace_page",
    "training_count",
    "training_badges",
    "indicators_national",
    "indicators_compile",
    "assessment_national",
    "governance_assembly",
    "governance_portal",
]
