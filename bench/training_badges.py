"""Open Badges credentials: issuing and verifying 10,000 VC-JWTs vs raw Ed25519.

Issuing = build the OpenBadgeCredential dict, serialise the JOSE header and claims,
base64url, sign with Ed25519 (``training.badges.sign``); verifying = our verifier
(``training.badges.verify``: parse, key lookup, signature, credential shape, dates) with
the key looked up in memory.  The baseline signs and verifies the very same signing
input bytes with ``cryptography``'s Ed25519 directly.  Reported: credentials per second
and the ratios ours / raw (time).  Limits: every credential verifies, a changed byte
fails, and the overhead stays small (issue ≤ 3× raw sign, verify ≤ 2× raw verify).
"""

from __future__ import annotations

import gc
import statistics
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from .harness import Context, Result, format_table

NAME = "training_badges"
MAX_ISSUE_RATIO = 3.0
MAX_VERIFY_RATIO = 2.0


def _credentials(n: int) -> list[dict]:

    issued = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    return [
        {
            "credential_id": uuid.UUID(int=k + 1),
            "code": f"ABCDE{k:05d}"[:10],
            "name": f"Nông Thị Hoa {k}",
            "course_code": "ky-nang-so-cao-bang",
            "course_title": "Kỹ năng số cho thanh niên Cao Bằng",
            "course_description": "Thương mại điện tử, thanh toán số, an toàn thông tin",
            "hours": Decimal("20.5"),
            "criteria": "Tham dự ít nhất 80% số buổi học.",
            "issued_at": issued,
        }
        for k in range(n)
    ]


def _time(fn, items) -> float:
    gc.collect()
    started = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - started


def run(ctx: Context) -> Result:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from htxso.training import badges

    n = 500 if ctx.quick else 10_000
    rounds = 2 if ctx.quick else 4
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    kid = "bench-key"
    specs = _credentials(n)

    def issue(spec: dict) -> str:
        return badges.sign(badges.build_credential(**spec), kid=kid, private=private)

    tokens = [issue(s) for s in specs]
    inputs = [t.rsplit(".", 1)[0].encode("ascii") for t in tokens]
    signatures = [private.sign(b) for b in inputs]
    pairs = list(zip(signatures, inputs, strict=True))
    now = datetime(2026, 12, 1, tzinfo=UTC)

    def key_of(k: str):
        return public if k == kid else None

    def verify(token: str) -> None:
        assert badges.verify(token, public_key_of=key_of, now=now).valid

    all_valid = all(badges.verify(t, public_key_of=key_of, now=now).valid for t in tokens)
    head, payload, sig = tokens[0].split(".")
    flipped = payload[:30] + ("A" if payload[30] != "A" else "B") + payload[31:]
    one_byte_fails = (
        badges.verify(f"{head}.{flipped}.{sig}", public_key_of=key_of, now=now).reason
        == "bad_signature"
    )
    times: dict[str, list[float]] = {k: [] for k in ("raw_sign", "issue", "raw_verify", "verify")}
    for i in range(rounds):
        steps = [
            ("raw_sign", lambda: _time(private.sign, inputs)),
            ("issue", lambda: _time(issue, specs)),
            ("raw_verify", lambda: _time(lambda p: public.verify(*p), pairs)),
            ("verify", lambda: _time(verify, tokens)),
        ]
        for label, step in steps if i % 2 == 0 else reversed(steps):
            times[label].append(step())
    med = {k: statistics.median(v) for k, v in times.items()}
    issue_ratio = med["issue"] / med["raw_sign"]
    verify_ratio = med["verify"] / med["raw_verify"]
    passed = (
        all_valid
        and one_byte_fails
        and issue_ratio <= MAX_ISSUE_RATIO
        and verify_ratio <= MAX_VERIFY_RATIO
    )
    ctx.print(f"{n} credentials, {rounds} rounds (alternating order), median per round")
    ctx.print(
        format_table(
            ["step", "median s", "µs / credential", "per second"],
            [
                [label, f"{t:.3f}", f"{t / n * 1e6:.1f}", f"{n / t:,.0f}"]
                for label, t in med.items()
            ],
        )
    )
    ctx.print(
        f"issue / raw sign {issue_ratio:.2f}× (limit {MAX_ISSUE_RATIO}); verify / raw verify "
        f"{verify_ratio:.2f}× (limit {MAX_VERIFY_RATIO}); all valid: {all_valid}; one changed "
        f"byte fails: {one_byte_fails} — {'pass' if passed else 'FAIL'}"
    )
    return Result(
        NAME,
        passed,
        {
            "credentials": n,
            "rounds": rounds,
            "token_bytes": len(tokens[0]),
            **{f"{k}_median_s": v for k, v in med.items()},
            **{f"{k}_per_s": n / v for k, v in med.items()},
            "issue_over_raw_sign": issue_ratio,
            "verify_over_raw_verify": verify_ratio,
            "limit_issue_ratio": MAX_ISSUE_RATIO,
            "limit_verify_ratio": MAX_VERIFY_RATIO,
            "all_valid": all_valid,
            "one_byte_fails": one_byte_fails,
        },
    )
