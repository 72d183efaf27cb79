"""`sangsaeng authenticity sun-verify | tags | issue-csv`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from sangsaeng.authenticity.models import Passport, Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.verification import tag_keys_for

ZERO = "0" * 32


def _run(*args: str) -> tuple[dict, int]:
    out = StringIO()
    code = 0
    try:
        call_command("authenticity", *args, stdout=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return json.loads(out.getvalue()), code


def test_sun_verify_prints_the_an12196_example():
    body, code = _run(
        "sun-verify",
        "--meta-key",
        ZERO,
        "--file-key",
        ZERO,
        "--picc-data",
        "EF963FF7828658A599F3041510671E88",
        "--cmac",
        "94EED9EE65337086",
    )
    assert (code, body) == (
        0,
        {"valid": True, "uid": "04DE5F1EACC040", "counter": 61, "file_data": None, "tamper": None},
    )


def test_sun_verify_decrypts_file_data_and_reads_tamper_status():
    uid = bytes.fromhex("04958CAA5C5E80")
    msg = sun_message(
        meta_read_key=bytes(16), file_read_key=bytes(16), uid=uid, counter=12, file_data=b"CC" + b"x" * 14
    )
    body, code = _run(
        "sun-verify",
        "--meta-key",
        ZERO,
        "--file-key",
        ZERO,
        "--picc-data",
        msg["picc_data"],
        "--cmac",
        msg["cmac"],
        "--enc-data",
        msg["enc"],
    )
    assert code == 0 and body["counter"] == 12 and body["tamper"] == {"permanent": "closed", "current": "closed"}


def test_sun_verify_with_a_forged_mac_is_invalid():
    body, code = _run(
        "sun-verify",
        "--meta-key",
        ZERO,
        "--file-key",
        ZERO,
        "--picc-data",
        "EF963FF7828658A599F3041510671E88",
        "--cmac",
        "94EED9EE65337087",
    )
    assert (code, body["valid"], body["error"]) == (1, False, "cmac does not verify")


@pytest.mark.django_db
def test_tags_prints_keys_the_server_derives_and_the_url_template(brand):
    body, _ = _run("tags", "--brand", brand.slug, "--count", "3")
    assert len(body["tags"]) == 3
    assert body["url_template"].endswith("/authenticity/n/{code}?picc_data=" + "*" * 32 + "&cmac=" + "*" * 16)
    first = body["tags"][0]
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=first["code"]))
    assert (meta.hex().upper(), file.hex().upper()) == (first["sdm_meta_read_key"], first["sdm_file_read_key"])


@pytest.mark.django_db
def test_issue_csv_prints_passphrases_and_shows_progress(chain_ready, brand, alice, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(
        "serial,product_name,model,manufactured_on,manufactured_at\nK-1,옹기,M,2026-01-02,제주\n"
        "K-2,옹기,M,2026-01-02,제주\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command(
        "authenticity",
        "issue-csv",
        "--brand",
        brand.slug,
        "--file",
        str(path),
        "--as",
        alice.email,
        stdout=out,
        stderr=err,
    )
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "token_id,serial,claim_secret,verify_url" and len(lines) == 3
    assert "2/2" in err.getvalue()
    assert Passport.objects.filter(brand=brand).count() == 2
