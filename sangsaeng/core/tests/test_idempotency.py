import pytest

from sangsaeng.accounts.models import Address

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-1234-5678",
}


def test_a_retry_with_the_same_key_replays_the_first_answer(api_alice):
    # given a first create with a key
    first = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "k-1"})
    # when the client retries it
    second = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "k-1"})
    # then one address exists and the answer is the same
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Address.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api_alice):
    api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "k-2"})
    response = api_alice.post("/api/v1/addresses", data={**ADDRESS, "name": "회사"}, headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Address.objects.count() == 1


def test_keys_are_scoped_to_their_sender(api_alice, api_bob):
    api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "shared"})
    response = api_bob.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "shared"})
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Address.objects.count() == 2


def test_an_overlong_key_is_refused(api_alice):
    response = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "x" * 300})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Address.objects.count() == 0


def test_old_answers_are_purged_by_the_periodic_job_not_by_requests(api_alice):
    from datetime import timedelta

    from django.utils import timezone

    from sangsaeng.core.idempotency import KEEP_FOR, idempotency_purge
    from sangsaeng.core.models import IdempotencyRecord
    from sangsaeng.core.periodic import _JOBS

    api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "old"})
    IdempotencyRecord.objects.update(created_at=timezone.now() - KEEP_FOR - timedelta(minutes=1))
    # a new keyed request does not pay for the clean-up
    api_alice.post("/api/v1/addresses", data={**ADDRESS, "name": "회사"}, headers={"Idempotency-Key": "new"})
    assert IdempotencyRecord.objects.count() == 2
    # the worker's periodic job forgets the old answer only (periodic_run itself closes the
    # connection between runs, which would end the test's transaction, so the job is called here)
    assert _JOBS["idempotency"] is idempotency_purge
    assert idempotency_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_a_key_whose_first_request_died_blocks_retries_only_until_it_is_stale(api_alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    from sangsaeng.core.idempotency import _actor
    from sangsaeng.core.models import IdempotencyRecord

    # given a first request that never finished: its process was killed after taking the key
    settings.IDEMPOTENCY_STALE_SECONDS = 60
    first = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "died"})
    record = IdempotencyRecord.objects.get(key="died")
    record.state, record.status_code, record.body = IdempotencyRecord.State.IN_PROGRESS, None, b""
    record.save()
    assert record.actor == _actor(first.wsgi_request)

    # when the client retries at once: still in progress, nothing runs twice
    soon = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "died"})
    assert (soon.status_code, soon.json()["code"]) == (409, "idempotency_in_progress")

    # when it retries after the stale time: the retry takes the key over and is answered and stored
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    later = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "died"})
    assert later.status_code == 201
    again = api_alice.post("/api/v1/addresses", data=ADDRESS, headers={"Idempotency-Key": "died"})
    assert again["Idempotent-Replayed"] == "true" and again.json() == later.json()
    assert IdempotencyRecord.objects.filter(key="died").count() == 1
