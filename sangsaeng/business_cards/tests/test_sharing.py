"""Sharing: the public link page, QR, vCard 4.0 through vobject, the signed SD-JWT card, the chat payload."""

from __future__ import annotations

import json

import pytest
import vobject
from jwcrypto.jwk import JWK
from sd_jwt.verifier import SDJWTVerifier

from sangsaeng.business_cards import services, sharing
from sangsaeng.core.errors import Problem
from sangsaeng.identity import services as identity_services


def test_the_vcard_round_trips_through_vobject_with_matching_fields(client, card):
    response = client.get(f"/cards/p/{card.public_id}/card.vcf")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    parsed = vobject.readOne(response.content.decode())
    assert parsed.version.value == "4.0"
    assert parsed.fn.value == "김앨리스"
    assert (parsed.n.value.family, parsed.n.value.given) == ("김", "앨리스")
    assert parsed.org.value == ["상생 주식회사", "플랫폼팀"]
    assert parsed.title.value == "개발자"
    assert [t.value for t in parsed.tel_list] == ["tel:010-2021-1117", "tel:02-123-4567"]
    assert parsed.tel.params["TYPE"] == ["cell"]
    assert parsed.email.value == "alice@sangsaeng.kr"
    assert parsed.adr.value.street == "경기도 성남시 분당구 판교역로 166"
    assert parsed.url.value == "https://sangsaeng.kr"
    assert parsed.uid.value == f"urn:uuid:{card.public_id}"


def test_hidden_fields_stay_out_of_the_page_the_vcard_and_the_signed_card(client, card, verified_alice):
    services.card_update(actor=verified_alice, card_id=card.public_id, data={"visible_fields": ["company", "title"]})
    page = client.get(f"/cards/p/{card.public_id}/").content.decode()
    assert "상생 주식회사" in page and "010-2021-1117" not in page and "alice@sangsaeng.kr" not in page
    parsed = vobject.readOne(client.get(f"/cards/p/{card.public_id}/card.vcf").content.decode())
    assert not hasattr(parsed, "tel") and not hasattr(parsed, "email")
    signed = client.get(f"/cards/p/{card.public_id}/signed").content.decode()
    assert "010-2021-1117" not in json.dumps(identity_services.signed_card_verify(sd_jwt=signed), ensure_ascii=False)


def test_the_qr_is_an_svg_of_the_public_link(client, card):
    response = client.get(f"/cards/p/{card.public_id}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<path" in svg and "<title>김앨리스</title>" in svg


def test_the_signed_card_verifies_offline_with_the_reference_library(client, card):
    # given only the signed card and the issuer's published keys
    signed = client.get(f"/cards/p/{card.public_id}/signed").content.decode()
    keys = client.get("/identity/.well-known/jwks.json").json()["keys"]
    # when a receiver checks it with an independent SD-JWT implementation
    claims = SDJWTVerifier(signed, lambda iss, header: JWK(**keys[0])).get_verified_payload()
    # then the badges are signed claims and the fields are disclosed
    assert claims["name"] == "김앨리스" and claims["name_verified"] is True
    assert claims["company"] == "상생 주식회사" and claims["phones"] == ["010-2021-1117", "02-123-4567"]
    assert claims["sub"] == f"urn:uuid:{card.public_id}"
    assert claims["exp"] - claims["iat"] == 30 * 86_400  # badges vouched for offline for 30 days at most


def test_a_tampered_signed_card_is_refused(card):
    signed = sharing.card_signed(card=card)
    jwt, *rest = signed.split("~")
    header, payload, signature = jwt.split(".")
    forged = ".".join([header, payload, signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")])
    with pytest.raises(Problem) as refused:
        identity_services.signed_card_verify(sd_jwt="~".join([forged, *rest]))
    assert refused.value.code == "bad_signature"
    with pytest.raises(Problem) as malformed:
        identity_services.signed_card_verify(sd_jwt="garbage")
    assert malformed.value.code == "malformed"


def test_an_identity_credential_is_not_accepted_as_a_card(card, verified_alice):
    _credential, token = identity_services.credential_issue(user=verified_alice)
    with pytest.raises(Problem) as refused:
        identity_services.signed_card_verify(sd_jwt=token)
    assert refused.value.code == "wrong_type"


def test_the_chat_share_payload_carries_the_card_and_saves_at_the_receiver(card, verified_alice, bob):
    payload = services.card_share_payload(actor=verified_alice, card_id=card.public_id)
    assert payload["type"] == "business_card"
    assert payload["badges"] == {"name_verified": True, "company_domain": None}
    assert payload["card"]["name"] == "김앨리스"
    assert payload["url"].endswith(f"/cards/p/{card.public_id}/")
    entry = services.card_receive_from_share(holder=bob, payload=payload)
    assert entry.card == card and entry.holder == bob
    with pytest.raises(Problem) as refused:
        services.card_share_payload(actor=bob, card_id=card.public_id)
    assert refused.value.status == 404


def test_an_unknown_public_card_is_404(client, db):
    assert client.get("/cards/p/00000000-0000-4000-8000-000000000000/").status_code == 404
