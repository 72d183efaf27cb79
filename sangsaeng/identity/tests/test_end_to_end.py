"""Review → approve → issue → present → verify, through the pages and APIs people and programs use."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conftest import ApiClient
from sangsaeng.accounts.services import token_create, user_create
from sangsaeng.identity.models import DocumentReview
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE, present_with_library, public_dict


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 20), "white").save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()


def test_from_document_to_a_verified_presentation(alice, holder_jwk):
    operator = user_create(email="op@example.com", password="operator-password-1", verified=True, staff=True)
    person, desk, verifier = Client(), Client(), ApiClient()
    person.force_login(alice)
    desk.force_login(operator)

    # the person submits an ID photo
    upload = SimpleUploadedFile("id.jpg", JPEG, content_type="image/jpeg")
    response = person.post(
        "/identity/document/",
        {"document_type": "driver_license", "name": "김앨리스", "birthdate": "1990-05-17", "document": upload},
    )
    assert response.status_code == 302
    review = DocumentReview.objects.get(user=alice)

    # the operator approves it from the queue
    assert "김앨리스" in desk.get("/identity/review/").content.decode()
    desk.post(
        f"/identity/review/{review.public_id}/",
        {"decision": "approve", "legal_name": "김앨리스", "birthdate": "1990-05-17"},
    )
    review.refresh_from_db()
    assert (review.status, review.document_encrypted) == ("approved", "")

    # the person's own wallet gets a credential bound to its key
    _token, secret = token_create(user=alice, label="wallet")
    wallet = ApiClient(secret)
    assert wallet.get("/api/v1/identity/status").json()["legal_name"] == "김앨리스"
    issued = wallet.post("/api/v1/identity/credentials", {"holder_jwk": public_dict(holder_jwk)}).json()

    # a shop asks for is_over_19 only and verifies it
    presentation = present_with_library(issued["sd_jwt"], {"is_over_19"}, holder_jwk)
    verified = verifier.post(
        "/api/v1/identity/verify", {"presentation": presentation, "nonce": NONCE, "audience": AUDIENCE}
    ).json()
    assert verified["disclosed"] == ["is_over_19"] and verified["claims"]["is_over_19"] is True

    # after the person revokes it, the same presentation is refused
    wallet.post(f"/api/v1/identity/credentials/{issued['credential']['id']}/revoke")
    refused = verifier.post(
        "/api/v1/identity/verify", {"presentation": presentation, "nonce": NONCE, "audience": AUDIENCE}
    )
    assert refused.json()["code"] == "revoked"
