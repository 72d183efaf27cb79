"""Verifying NFC (SUN) and QR tags: fresh reads, replays, forgeries, clones, unknown tags."""

from __future__ import annotations

import pytest

from sangsaeng.authenticity import services
from sangsaeng.authenticity.models import Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.verification import tag_keys_for

pytestmark = pytest.mark.django_db
UID = bytes.fromhex("04DE5F1EACC040")


@pytest.fixture
def nfc_tag(issued, alice, brand):
    passport, _ = issued
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=1)[0]
    services.tag_attach(actor=alice, slug=brand.slug, tag_code=made["code"], token_id=passport.token_id)
    return Tag.objects.select_related("brand").get(code=made["code"])


def _tap(tag: Tag, counter: int, uid: bytes = UID, **extra) -> dict[str, str]:
    meta_key, file_key = tag_keys_for(tag)
    return sun_message(meta_read_key=meta_key, file_read_key=file_key, uid=uid, counter=counter, **extra)


def test_the_printed_keys_are_the_ones_the_server_derives(alice, brand, chain_ready):
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=2)
    tag = Tag.objects.select_related("brand").get(code=made[0]["code"])
    meta, file = tag_keys_for(tag)
    assert (meta.hex().upper(), file.hex().upper()) == (made[0]["sdm_meta_read_key"], made[0]["sdm_file_read_key"])
    assert made[0]["sdm_file_read_key"] != made[1]["sdm_file_read_key"]
    assert made[0]["url_template"].endswith(f"/authenticity/n/{tag.code}?picc_data={'*' * 32}&cmac={'*' * 16}")


def test_a_fresh_read_is_authentic_and_its_replay_is_a_suspected_clone(nfc_tag):
    tap = _tap(nfc_tag, 7)
    first = services.nfc_verify(code=nfc_tag.code, params=tap, device="d1")
    assert first.reading is not None
    assert (first.verdict, first.reading.counter, bool(first.claim_token)) == ("authentic", 7, True)
    again = services.nfc_verify(code=nfc_tag.code, params=tap, device="d1")
    assert (again.verdict, again.reason) == ("suspected_clone", "replayed_counter")
    older = services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 6), device="d1")
    assert older.verdict == "suspected_clone"
    newer = services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 8), device="d1")
    assert newer.verdict == "authentic"
    nfc_tag.refresh_from_db()
    assert (nfc_tag.uid, nfc_tag.last_counter) == ("04DE5F1EACC040", 8)


def test_another_chip_answering_for_the_tag_is_a_suspected_clone(nfc_tag):
    services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 1), device="d1")
    other = services.nfc_verify(
        code=nfc_tag.code, params=_tap(nfc_tag, 2, uid=bytes.fromhex("04000000000001")), device="d1"
    )
    assert (other.verdict, other.reason) == ("suspected_clone", "uid_mismatch")


def test_tamper_status_and_encrypted_file_data_are_reported(nfc_tag):
    result = services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 3, file_data=b"OO" + b"#" * 14), device="d1")
    assert result.verdict == "authentic" and result.reading is not None
    assert result.reading.tamper == {"permanent": "open", "current": "open"}


@pytest.mark.parametrize(
    "params",
    [
        {"picc_data": "EF963FF7828658A599F3041510671E88", "cmac": "94EED9EE65337086"},  # AN12196 under zero keys
        {"picc_data": "not-hex", "cmac": "00"},
        {"picc_data": "", "cmac": ""},
        {"uid": "04DE5F1EACC040", "ctr": "00000A", "cmac": "0000000000000000"},
        {"uid": "04DE5F1EACC040", "ctr": "zz", "cmac": "0000000000000000"},
    ],
)
def test_forged_and_malformed_sun_parameters_are_not_authentic(nfc_tag, params):
    result = services.nfc_verify(code=nfc_tag.code, params=params, device="d1")
    assert (result.verdict, result.reason) == ("unknown", "bad_signature")
    nfc_tag.refresh_from_db()
    assert nfc_tag.last_counter == -1 and nfc_tag.uid == ""


def test_a_tampered_cmac_does_not_advance_the_counter(nfc_tag):
    tap = _tap(nfc_tag, 9)
    forged = {**tap, "cmac": ("0" if tap["cmac"][0] != "0" else "1") + tap["cmac"][1:]}
    assert services.nfc_verify(code=nfc_tag.code, params=forged, device="d1").verdict == "unknown"
    assert services.nfc_verify(code=nfc_tag.code, params=tap, device="d1").verdict == "authentic"


def test_an_unknown_tag_is_unknown(db):
    assert services.nfc_verify(code="nope", params={}, device="d").verdict == "unknown"
    assert services.qr_verify(code="nope", device="d").verdict == "unknown"
    assert services.qr_verify(code="x" * 500, device="d").verdict == "unknown"


def test_a_static_qr_seen_from_too_many_devices_is_flagged(issued, settings):
    passport, _ = issued
    settings.AUTHENTICITY_QR_DEVICE_THRESHOLD = 3
    code = passport.tags.get(kind="qr").code
    assert services.qr_verify(code=code, device="a").verdict == "authentic"
    assert services.qr_verify(code=code, device="a").verdict == "authentic"
    assert services.qr_verify(code=code, device="b").verdict == "authentic"
    third = services.qr_verify(code=code, device="c")
    assert (third.verdict, third.reason) == ("suspected_clone", "many_devices")
    assert services.qr_verify(code=code, device="a").verdict == "suspected_clone"


def test_a_stolen_report_outranks_a_fresh_read(nfc_tag, bob):
    passport = nfc_tag.passport
    result = services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 1), device="d1")
    services.passport_claim(actor=bob, token_id=passport.token_id, sun_token=result.claim_token)
    services.passport_report(actor=bob, token_id=passport.token_id, state="lost")
    after = services.nfc_verify(code=nfc_tag.code, params=_tap(nfc_tag, 2), device="d1")
    assert (after.verdict, after.reason) == ("reported_stolen", "lost")


def test_device_fingerprints_hash_the_network_prefix_not_the_address():
    a = services.device_fingerprint(user_agent="UA", ip="203.0.113.7", cookie_id="c")
    b = services.device_fingerprint(user_agent="UA", ip="203.0.113.99", cookie_id="c")
    c = services.device_fingerprint(user_agent="UA", ip="198.51.100.7", cookie_id="c")
    assert a == b != c
    assert "203.0.113" not in a
