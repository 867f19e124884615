"""Open Badges credentials: verified by PyJWT (an independent JOSE library) with the
published JWKS; one changed byte fails; our verify page and API say why."""

from __future__ import annotations

import json

import jwt
import pytest
from django.test import Client

from htxso.training import badges, keys
from htxso.training import services_certificates as svc
from htxso.training.models import SigningKey

from .helpers import enrol, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(world):
    trainer = world.users["trainer"]
    course = make_course(trainer=trainer, title="Mở gian hàng trên sàn HTX Số")
    e = enrol(course, "Nông Thị Hoa", user=world.users["member_a1"], attended=4)
    (cert,) = svc.complete(actor=trainer, course=course, enrolments=[e])
    return cert


def _published_keys(client) -> dict:
    response = client.get("/dao-tao/chung-chi/khoa.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return {k["kid"]: jwt.PyJWK(k) for k in response.json()["keys"]}


def _pyjwt_decode(token: str, published: dict) -> dict:
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(
        token,
        key=published[kid],
        algorithms=["EdDSA"],
        issuer=badges.issuer_id(),
        options={"require": ["iss", "jti", "nbf"]},
    )


def _flip(part: str, index: int) -> str:
    """``part`` (base64url) with one character changed (so one byte of the data)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    ch = part[index]
    return part[:index] + alphabet[(alphabet.index(ch) + 1) % 64] + part[index + 1 :]


def test_pyjwt_verifies_with_the_published_jwks_and_one_byte_breaks_it(client, certificate):
    published = _published_keys(client)
    claims = _pyjwt_decode(certificate.credential, published)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in claims["@context"][1]
    assert claims["id"].startswith("urn:uuid:") and claims["jti"] == claims["id"]
    assert claims["issuer"]["type"] == ["Profile"]
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["criteria"]["narrative"]
    assert claims["validFrom"].endswith("Z")
    header = jwt.get_unverified_header(certificate.credential)
    assert header["alg"] == "EdDSA" and header["kid"] == certificate.key.kid

    head, payload, signature = certificate.credential.split(".")
    for bad in (
        f"{head}.{_flip(payload, 40)}.{signature}",
        f"{head}.{payload}.{_flip(signature, 10)}",
    ):
        with pytest.raises(jwt.InvalidSignatureError):
            _pyjwt_decode(bad, published)
        assert badges.verify(bad, public_key_of=_key_of).reason == "bad_signature"


def _key_of(kid):
    key = keys.key_by_kid(kid)
    return keys.public_key(key) if key else None


def test_rotation_keeps_old_credentials_verifying(client, world, certificate):
    from htxso.core.actors import OPERATOR

    old_kid = certificate.key.kid
    new = keys.rotate(actor=OPERATOR)
    assert new.kid != old_kid and SigningKey.objects.filter(active=True).count() == 1
    published = _published_keys(client)
    assert set(published) == {old_kid, new.kid}
    assert _pyjwt_decode(certificate.credential, published)["id"]
    # the private key is stored encrypted and never published
    stored = SigningKey.objects.get(kid=old_kid).private_key_pem
    assert "ENCRYPTED PRIVATE KEY" in stored
    body = client.get("/dao-tao/chung-chi/khoa.json").content.decode()
    assert '"d"' not in body and "PRIVATE" not in body


def _check(client, text: str):
    response = client.post("/dao-tao/chung-chi/kiem-tra/", {"text": text})
    return response, response.content.decode()


def test_verify_page_says_why(client, world, certificate):
    wrapper = client_json(world, certificate)
    ok, page = _check(client, certificate.credential)
    assert ok.status_code == 200 and 'data-reason="valid"' in page and "Nông Thị Hoa" not in page
    _, page = _check(client, json.dumps(wrapper, ensure_ascii=False))
    assert 'data-reason="valid"' in page
    # the readable copy changed: the signed part is genuine, the copy is not
    tampered = json.loads(json.dumps(wrapper))
    tampered["credential"]["credentialSubject"]["identifier"][0]["identityHash"] = "Kẻ Giả Mạo"
    _, page = _check(client, json.dumps(tampered, ensure_ascii=False))
    assert 'data-reason="tampered"' in page and "credentialSubject.identifier" in page
    # a changed byte inside the signed token
    head, payload, sig = certificate.credential.split(".")
    _, page = _check(client, f"{head}.{_flip(payload, 60)}.{sig}")
    assert 'data-reason="bad_signature"' in page
    # unknown key, not a credential, garbage
    forged_head = badges.b64url(b'{"alg":"EdDSA","kid":"someone-else"}')
    _, page = _check(client, f"{forged_head}.{payload}.{sig}")
    assert 'data-reason="unknown_key"' in page
    _, page = _check(client, "xin chào <script>alert(1)</script>")
    assert 'data-reason="malformed"' in page and "<script>alert" not in page
    response, page = _check(client, "")
    assert response.status_code == 400
    # signed by our key, but not a credential
    key = SigningKey.objects.get(active=True)
    header = badges.b64url(json.dumps({"alg": "EdDSA", "kid": key.kid}).encode())
    body = badges.b64url(b'{"hello":"world"}')
    signature = keys.private_key(key).sign(f"{header}.{body}".encode())
    _, page = _check(client, f"{header}.{body}.{badges.b64url(signature)}")
    assert 'data-reason="not_a_credential"' in page


def client_json(world, certificate) -> dict:
    c = Client()
    c.force_login(world.users["member_a1"])
    response = c.get(f"/dao-tao/chung-chi/so/{certificate.pk}/huy-hieu.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_revoked_shows_on_the_verify_pages_and_api(client, world, certificate):
    svc.revoke_certificate(
        actor=world.users["officer_a"], certificate=certificate, reason="Cấp nhầm khoá học"
    )
    _, page = _check(client, certificate.credential)
    assert 'data-reason="revoked"' in page and "Cấp nhầm khoá học" in page
    public = client.get(f"/dao-tao/chung-chi/{certificate.code}/").content.decode()
    assert "Cấp nhầm khoá học" in public and "Nông Thị Hoa" in public
    api = client.post(
        "/api/v1/training/credentials/verify",
        json.dumps({"credential": certificate.credential}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["reason"] == "revoked"
    assert api.json()["valid"] is False


def test_public_page_shows_no_other_personal_data(client, world, certificate):
    from htxso.registry.models import Person

    Person.objects.filter(pk=certificate.enrolment.person_id).update(
        phone="0912345678", citizen_id="001203004567"
    )
    page = client.get(f"/dao-tao/chung-chi/{certificate.code.lower()}/", follow=True)
    text = page.content.decode()
    assert page.status_code == 200 and "Nông Thị Hoa" in text and "20,5" in text
    assert "0912345678" not in text and "001203004567" not in text
    assert "u_member_a1" not in text and "member_a1@example.vn" not in text
    assert client.get("/dao-tao/chung-chi/AAAAAAAAAA/").status_code == 404
    assert client.get("/dao-tao/chung-chi/%3Cscript%3E/").status_code == 404


def test_pdf_has_the_name_course_and_a_qr_to_the_verify_page(world, certificate, settings):
    import io

    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    settings.SITE_URL = "https://htxso.example.vn"
    c = Client()
    c.force_login(world.users["member_a1"])
    response = c.get(f"/dao-tao/chung-chi/so/{certificate.pk}/chung-chi.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nông Thị Hoa" in text and "Mở gian hàng trên sàn HTX Số" in text
    assert "20,5" in text and certificate.code in text
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=200 / 72).to_pil()
    links = [r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode"]
    assert links == [f"https://htxso.example.vn/dao-tao/chung-chi/{certificate.code}/"]
    # someone else's certificate: 404
    other = Client()
    other.force_login(world.users["buyer"])
    assert other.get(f"/dao-tao/chung-chi/so/{certificate.pk}/chung-chi.pdf").status_code == 404


def test_keys_command(capsys):
    from django.core.management import call_command

    call_command("training_keys", "generate")
    call_command("training_keys", "generate")
    call_command("training_keys", "rotate")
    call_command("training_keys", "list")
    out = capsys.readouterr().out
    assert out.count("htxso-") >= 4 and "retired" in out and "PRIVATE" not in out
    assert SigningKey.objects.count() == 2
