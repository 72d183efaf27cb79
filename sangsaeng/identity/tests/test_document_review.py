"""ID document submission, the operator queue, the decision and the retention rule."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sangsaeng.accounts.services import user_create
from sangsaeng.core import crypto
from sangsaeng.core.errors import Problem
from sangsaeng.identity import selectors, services
from sangsaeng.identity.models import DocumentReview, VerifiedIdentity


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 20), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def operator(db):
    return user_create(email="op@example.com", password="operator-password-1", verified=True, staff=True)


def _submit(user, document=PNG):
    return services.document_submit(
        user=user, document=document, document_type="resident_card", name="김 앨리스", birthdate=date(1990, 5, 17)
    )


def test_a_document_is_stored_encrypted_and_queued(alice):
    review = _submit(alice)
    assert review.status == "pending"
    assert PNG not in review.document_encrypted.encode()
    assert crypto.decrypt(review.document_encrypted, context="identity.DocumentReview.document") == PNG
    assert review.claimed_name == "김 앨리스"
    assert selectors.review_list_pending() == [review]


def test_an_operator_approves_and_the_photo_is_wiped(alice, operator, client):
    review = _submit(alice)
    client.force_login(operator)
    # the operator sees the queue and the photo
    assert "김 앨리스" in client.get("/identity/review/").content.decode()
    photo = client.get(f"/identity/review/{review.public_id}/document")
    assert photo.content == PNG and photo["Content-Type"] == "image/png"
    # and approves with the name as written on the card
    response = client.post(
        f"/identity/review/{review.public_id}/",
        {"decision": "approve", "legal_name": "김앨리스", "birthdate": "1990-05-17", "reason": ""},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved" and review.decided_by == operator
    assert review.document_encrypted == "" and review.document_deleted_at is not None
    assert len(review.document_sha256) == 64
    identity = VerifiedIdentity.objects.get(user=alice)
    assert (identity.legal_name, identity.birthdate, identity.method) == ("김앨리스", date(1990, 5, 17), "document")
    assert client.get(f"/identity/review/{review.public_id}/document").status_code == 404


def test_a_rejection_needs_a_reason_and_the_user_sees_it(alice, operator, client, django_capture_on_commit_callbacks):
    review = _submit(alice)
    with pytest.raises(Problem) as refused:
        services.review_decide(actor=operator, review_id=review.public_id, approve=False, reason=" ")
    assert refused.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        services.review_decide(actor=operator, review_id=review.public_id, approve=False, reason="사진이 흐립니다")
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"] and "사유: 사진이 흐립니다" in message.body
    review.refresh_from_db()
    assert (review.status, review.document_encrypted) == ("rejected", "")
    assert not VerifiedIdentity.objects.filter(user=alice).exists()
    client.force_login(alice)
    assert "사진이 흐립니다" in client.get("/identity/").content.decode()
    with pytest.raises(Problem) as again:
        services.review_decide(actor=operator, review_id=review.public_id, approve=True)
    assert again.value.code == "already_decided"


def test_an_oversized_photo_is_refused(alice, settings):
    settings.IDENTITY_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(Problem) as refused:
        _submit(alice, PNG + b"\x00" * 1000)
    assert (refused.value.code, refused.value.status) == ("document_too_large", 413)
    assert not DocumentReview.objects.exists()


def test_the_upload_page_refuses_an_oversized_photo_with_a_clear_error(alice, client, settings):
    settings.IDENTITY_DOCUMENT_MAX_BYTES = 1000
    client.force_login(alice)
    upload = SimpleUploadedFile("id.png", PNG + b"\x00" * 2000, content_type="image/png")
    response = client.post(
        "/identity/document/",
        {"document_type": "resident_card", "name": "김앨리스", "birthdate": "1990-05-17", "document": upload},
    )
    assert response.status_code == 400
    assert "사진이 너무 큽니다" in response.content.decode()
    assert not DocumentReview.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(alice):
    with pytest.raises(Problem) as refused:
        _submit(alice, b"%PDF-1.7 not a photo")
    assert refused.value.code == "document_type_unsupported"


def test_an_undecided_photo_is_wiped_after_the_retention_period(alice, settings):
    review = _submit(alice)
    fresh = services.document_purge_expired(now=timezone.now() + timedelta(days=29))
    assert fresh == 0
    purged = services.document_purge_expired(
        now=timezone.now() + timedelta(days=settings.IDENTITY_DOCUMENT_RETENTION_DAYS, hours=1)
    )
    assert purged == 1
    review.refresh_from_db()
    assert (review.status, review.document_encrypted) == ("expired", "")


def test_others_get_404_from_operator_pages_and_nothing_changes(alice, bob, client):
    review = _submit(alice)
    client.force_login(bob)
    for url in (
        "/identity/review/",
        f"/identity/review/{review.public_id}/",
        f"/identity/review/{review.public_id}/document",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/identity/review/{review.public_id}/", {"decision": "approve"}).status_code == 404
    with pytest.raises(Problem) as refused:
        services.review_decide(actor=bob, review_id=review.public_id, approve=True)
    assert refused.value.status == 404
    review.refresh_from_db()
    assert review.status == "pending" and review.document_encrypted


def test_a_second_submission_waits_for_the_first(alice):
    _submit(alice)
    with pytest.raises(Problem) as refused:
        _submit(alice)
    assert refused.value.code == "review_pending"
