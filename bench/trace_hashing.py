"""EPCIS event hashing: identical to the reference vectors, ≥ 5× the PyPI generator's speed.

Correctness: every published JSON-LD test vector (``../shared/reference/epcis-hash`` or
``$HTXSO_REFERENCE_DIR/epcis-hash``; skipped when absent) hashes to its ``.hashes`` line, and
on a generated season of coffee events (harvest with lot master data, processing
transformations, packing aggregations, shipping with sensor readings, receiving) our hashes
equal those of the PyPI ``epcis-event-hash-generator`` (the reference implementation).

Speed: both hash the same documents (the generated ones, plus the vectors) from the same
parsed JSON dicts, whole pipeline (document → hashes), alternating ABBA; our caches are
cleared before every round so repeated identifiers do not flatter us.  The limit is on the
median round time ratio generator / ours ≥ 5.
"""

from __future__ import annotations

import copy
import gc
import json
import logging
import os
import statistics
import time
from pathlib import Path

from .harness import Context, Result, format_table

NAME = "trace_hashing"
MIN_RATIO = 5.0
CONTEXT = {"htx": "https://ns.htxso.vn/epcis/"}
UNVERSIONED = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
VERSIONED = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def reference_dir() -> Path | None:
    base = os.environ.get("HTXSO_REFERENCE_DIR")
    path = Path(base) if base else Path(__file__).resolve().parents[2] / "shared" / "reference"
    return path / "epcis-hash" if (path / "epcis-hash").is_dir() else None


GTIN, GLN = "08930000000019", "8930000000019"


def _season_event(k: int) -> dict:
    """Event ``k`` of a coffee season: harvest, processing, packing, shipping, receiving."""
    lot = f"https://id.gs1.org/01/{GTIN}/10/DL25-{k:05d}"
    moment = f"2025-11-{1 + k % 28:02d}T{6 + k % 12:02d}:{k % 60:02d}:00.{k % 1000:03d}+07:00"
    event = {
        "eventTime": moment,
        "eventTimeZoneOffset": "+07:00",
        "readPoint": {"id": f"https://id.gs1.org/414/{GLN}"},
    }
    kind = k % 5
    if kind == 0:
        event.update(type="ObjectEvent", action="ADD", bizStep="commissioning", epcList=[])
        event["quantityList"] = [{"epcClass": lot, "quantity": 100 + k % 900, "uom": "KGM"}]
        event["ilmd"] = {"htx:harvestDate": "2025-11-01", "htx:plot": [f"P-{k % 30}"]}
        event["sourceList"] = [{"type": "owning_party", "source": f"https://id.gs1.org/417/{GLN}"}]
    elif kind == 1:
        event.update(type="TransformationEvent", bizStep="commissioning", disposition="active")
        event["inputQuantityList"] = [{"epcClass": lot, "quantity": 1000.5, "uom": "KGM"}]
        event["outputQuantityList"] = [
            {"epcClass": lot.replace("DL25", "GB25"), "quantity": 190.25, "uom": "KGM"}
        ]
    elif kind == 2:
        event.update(type="AggregationEvent", action="ADD", bizStep="packing")
        event["parentID"] = f"urn:epc:id:sscc:893000.{k:011d}"
        event["childEPCs"] = [f"https://id.gs1.org/01/{GTIN}/21/S{k:05d}{j}" for j in range(6)]
    elif kind == 3:
        event.update(type="ObjectEvent", action="OBSERVE", bizStep="shipping")
        event["disposition"] = "in_transit"
        event["epcList"] = [f"urn:epc:id:sscc:893000.{k:011d}"]
        event["bizTransactionList"] = [
            {"type": "inv", "bizTransaction": f"urn:epcglobal:cbv:bt:{GLN}:HD{k}"}
        ]
        event["destinationList"] = [
            {"type": "owning_party", "destination": "https://id.gs1.org/417/4012345000009"}
        ]
        event["sensorElementList"] = [
            {
                "sensorMetadata": {"time": moment},
                "sensorReport": [
                    {"type": "Temperature", "value": 26.5, "uom": "CEL"},
                    {"type": "RelativeHumidity", "value": 61, "uom": "P1"},
                ],
            }
        ]
    else:
        event.update(type="ObjectEvent", action="OBSERVE", bizStep="receiving")
        event["disposition"] = "in_progress"
        event["epcList"] = [f"https://id.gs1.org/00/0{k:017d}"]
        event["bizLocation"] = {"id": "urn:epc:id:sgln:4012345.00012.0"}
    return event


def season_documents(n_docs: int, events_per_doc: int) -> list[dict]:
    """EPCIS documents of a coffee season (deterministic), as a capture API receives them."""
    from datetime import UTC, datetime

    from htxso.trace.epcis.documents import epcis_document

    created = datetime(2025, 12, 1, tzinfo=UTC)
    return [
        epcis_document(
            [_season_event(d * events_per_doc + i) for i in range(events_per_doc)],
            creation_date=created,
            context=CONTEXT,
        )
        for d in range(n_docs)
    ]


def _generator_hashes(doc: dict) -> list[str]:
    from epcis_event_hash_generator import hash_generator, json_to_py

    doc = copy.deepcopy(doc)
    # The generator only knows the versioned context offline (it would fetch the other one);
    # both URLs name the same context.
    doc["@context"] = [VERSIONED if c == UNVERSIONED else c for c in doc["@context"]]
    events = json_to_py.event_list_from_epcis_document_json(doc)
    return hash_generator.epcis_hashes_from_events(events)


def _ours(doc: dict) -> list[str]:
    from htxso.trace.epcis.hashing import document_event_hashes

    return document_event_hashes(doc)


def _clear_caches() -> None:
    from htxso.trace.epcis import hashing, uris

    uris.canonical_id.cache_clear()
    uris.canonical_dl.cache_clear()
    hashing.canonical_time.cache_clear()


def _time(fn, docs, clear=False) -> tuple[float, float]:
    if clear:
        _clear_caches()
    gc.collect()
    cpu, started = time.thread_time(), time.perf_counter()
    for doc in docs:
        fn(doc)
    return time.perf_counter() - started, time.thread_time() - cpu


def run(ctx: Context) -> Result:
    try:
        import epcis_event_hash_generator  # noqa: F401
    except ImportError:
        ctx.print("trace_hashing: epcis-event-hash-generator is not installed (test extras)")
        return Result(NAME, False, {"error": "epcis-event-hash-generator not installed"})
    logging.disable(logging.WARNING)  # the generator logs every event at INFO
    try:
        return _run(ctx)
    finally:
        logging.disable(logging.NOTSET)


def _run(ctx: Context) -> Result:
    vectors: list[dict] = []
    vector_rows, vectors_ok = [], True
    folder = reference_dir()
    if folder:
        for path in sorted(folder.glob("*.jsonld")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            want = (folder / f"{path.stem}.hashes").read_text(encoding="utf-8").split()
            same = _ours(doc) == want
            vectors_ok &= same
            vector_rows.append([path.stem, len(want), "identical" if same else "DIFFERENT"])
            vectors.append(doc)
    n_docs, per_doc = (4, 25) if ctx.quick else (20, 50)
    season = season_documents(n_docs, per_doc)
    agree = [(_ours(d) == _generator_hashes(d)) for d in season]
    same_as_generator = all(agree)
    # vectors whose documents the generator itself cannot read are left out of the timing
    timed = season + [d for d in vectors if "eventList" in d.get("epcisBody", {})]
    n_events = sum(len(d["epcisBody"]["eventList"]) for d in timed)
    rounds = 2 if ctx.quick else 6
    gen_t, our_t, gen_cpu, our_cpu = [], [], [], []
    _time(_ours, timed[:2], clear=True)
    _time(_generator_hashes, timed[:2])
    for i in range(rounds):
        order = [("gen", _generator_hashes), ("ours", _ours)]
        for label, fn in order if i % 2 == 0 else reversed(order):
            wall, cpu = _time(fn, timed, clear=(label == "ours"))
            (gen_t if label == "gen" else our_t).append(wall)
            (gen_cpu if label == "gen" else our_cpu).append(cpu)
    gen_med, our_med = statistics.median(gen_t), statistics.median(our_t)
    ratio = gen_med / our_med
    cpu_ratio = statistics.median(gen_cpu) / statistics.median(our_cpu)
    passed = vectors_ok and same_as_generator and ratio >= MIN_RATIO
    if vector_rows:
        ctx.print(f"reference vectors ({folder}):")
        ctx.print(format_table(["document", "events", "hashes"], vector_rows))
    else:
        ctx.print("reference vectors: folder not found, not checked")
    ctx.print(
        f"{n_events} events in {len(timed)} documents, {rounds} rounds each (ABBA); "
        f"limit: generator / ours ≥ {MIN_RATIO}"
    )
    ctx.print(
        format_table(
            ["hasher", "median s", "µs / event", "events / s"],
            [
                [
                    "epcis-event-hash-generator",
                    f"{gen_med:.3f}",
                    f"{gen_med / n_events * 1e6:.1f}",
                    f"{n_events / gen_med:,.0f}",
                ],
                [
                    "htxso.trace.epcis.hashing",
                    f"{our_med:.3f}",
                    f"{our_med / n_events * 1e6:.1f}",
                    f"{n_events / our_med:,.0f}",
                ],
            ],
        )
    )
    ctx.print(
        f"ratio {ratio:.1f}× (cpu ratio {cpu_ratio:.1f}×); season hashes identical to the "
        f"generator: {same_as_generator}; vectors identical: {vectors_ok if folder else 'n/a'}"
        f" — {'pass' if passed else 'FAIL'}"
    )
    return Result(
        NAME,
        passed,
        {
            "events": n_events,
            "documents": len(timed),
            "rounds": rounds,
            "generator_median_s": gen_med,
            "ours_median_s": our_med,
            "ratio": ratio,
            "cpu_ratio": cpu_ratio,
            "limit_ratio": MIN_RATIO,
            "vectors_checked": len(vector_rows),
            "vectors_identical": vectors_ok if folder else None,
            "season_identical_to_generator": same_as_generator,
            "season_documents_differing": agree.count(False),
        },
    )
