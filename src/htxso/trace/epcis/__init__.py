"""EPCIS 2.0 helpers of the trace app: pure functions, no database.

- :mod:`.uris` — EPC URNs, GS1 Digital Link URIs and CBV vocabulary (shared by the others);
- :mod:`.hashing` — the EPCIS event hash (``ni:///sha-256;…?ver=CBV2.0``);
- :mod:`.validation` — our own structural validation of EPCIS 2.0 JSON-LD documents;
- :mod:`.documents` — building EPCIS documents and Digital Link identifiers.
"""
