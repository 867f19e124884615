"""Schema for sealed ballots until the close (session 13).

A secret ballot's choice is sealed while its vote is open (``Ballot.sealed``, ``choice``
blank) and written in clear only when the vote closes; a check constraint keeps every
row one or the other.  The data step seals the ballots of votes open when this migration
runs (their rows were written with the choice in clear by the same transaction as their
vote record); closed votes keep their clear rows.

The seal is written here with a frozen copy of ``selectors_votes.seal_choice`` (same HKDF
label, same padding, same associated data): a migration must not depend on today's code.
``tests/governance/votes/test_sealed_ballots.py`` checks that the app opens these seals.
"""

import os

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

SEAL_PURPOSE = b"htxso.governance.ballot-seal.v1"
NONCE_BYTES = 12
SEAL_PAD = 16
CHOICES = ("yes", "no", "abstain")


def _secrets():
    found = [
        getattr(settings, "GOVERNANCE_BALLOT_KEY", "") or "",
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", ()),
    ]
    out = []
    for secret in found:
        if secret and secret not in out:
            out.append(secret)
    return out


def _key(secret):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_PURPOSE).derive(
        secret.encode()
    )


def _aad(resolution_id, receipt_hash):
    return f"{resolution_id}:{receipt_hash}".encode()


def seal(resolution_id, receipt_hash, choice):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    plain = choice.encode().ljust(SEAL_PAD, b"\0")
    key = _key(_secrets()[0])
    return nonce + AESGCM(key).encrypt(nonce, plain, _aad(resolution_id, receipt_hash))


def unseal(resolution_id, receipt_hash, sealed):
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = bytes(sealed)
    for secret in _secrets():
        try:
            plain = AESGCM(_key(secret)).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _aad(resolution_id, receipt_hash)
            )
        except InvalidTag:
            continue
        return plain.rstrip(b"\0").decode()
    raise RuntimeError(f"a sealed ballot of resolution {resolution_id} does not open")


def seal_open_ballots(apps, schema_editor):
    Ballot = apps.get_model("governance", "Ballot")
    rows = Ballot.objects.filter(resolution__status="open", sealed__isnull=True).exclude(choice="")
    for ballot in rows.iterator(chunk_size=2000):
        ballot.sealed = seal(ballot.resolution_id, ballot.receipt_hash, ballot.choice)
        ballot.choice = ""
        ballot.save(update_fields=["choice", "sealed"])


def unseal_ballots(apps, schema_editor):
    """Back to 0004's schema: every choice in clear (the seals are dropped)."""
    Ballot = apps.get_model("governance", "Ballot")
    for ballot in Ballot.objects.filter(sealed__isnull=False).iterator(chunk_size=2000):
        ballot.choice = unseal(ballot.resolution_id, ballot.receipt_hash, ballot.sealed)
        ballot.sealed = None
        ballot.save(update_fields=["choice", "sealed"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_assemblies_cancel")]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="sealed",
            field=models.BinaryField(null=True),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="choice",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Agree"), ("no", "Disagree"), ("abstain", "No opinion")],
                max_length=10,
            ),
        ),
        migrations.RunPython(seal_open_ballots, unseal_ballots, elidable=False),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.CheckConstraint(
                condition=(Q(choice="") & Q(sealed__isnull=False))
                | (Q(choice__in=list(CHOICES)) & Q(sealed__isnull=True)),
                name="governance_ballot_sealed_or_clear",
            ),
        ),
    ]
