"""SUN messages checked against the examples NXP publishes in AN12196 and the nfcdeveloper.com demo
(all with the factory's all-zero keys), and against forged and malformed input."""

from __future__ import annotations

import pytest

from sangsaeng.authenticity.sun import (
    SunError,
    session_mac_key,
    sun_message,
    sun_verify_encrypted,
    sun_verify_plain,
)

ZERO = bytes(16)


def test_an12196_encrypted_picc_data_gives_uid_counter_and_session_key():
    # given AN12196's SUN message: PICCData EF963F…671E88, SDMMAC 94EED9EE65337086
    # when
    reading = sun_verify_encrypted(
        meta_read_key=ZERO, file_read_key=ZERO, picc_data="EF963FF7828658A599F3041510671E88", cmac="94EED9EE65337086"
    )
    # then
    assert reading.uid.hex().upper() == "04DE5F1EACC040"
    assert reading.counter == 61
    assert reading.file_data is None
    assert session_mac_key(ZERO, reading.uid, (61).to_bytes(3, "little")).hex().upper() == (
        "3FB5F6E3A807A03D5E3570ACE393776F"
    )


def test_an12196_sdmenc_file_data_is_decrypted_and_macd_over_the_ciphertext():
    reading = sun_verify_encrypted(
        meta_read_key=ZERO,
        file_read_key=ZERO,
        picc_data="FD91EC264309878BE6345CBE53BADF40",
        enc="CEE9A53E3E463EF1F459635736738962",
        cmac="ECC1E7F6C6C73BF6",
    )
    assert reading.uid.hex().upper() == "04958CAA5C5E80"
    assert reading.counter == 8
    assert reading.file_data == b"xxxxxxxxxxxxxxxx"


def test_a_longer_encrypted_file_from_the_nfcdeveloper_demo():
    reading = sun_verify_encrypted(
        meta_read_key=ZERO,
        file_read_key=ZERO,
        picc_data="4E8D0223F8C17CDCCE5BC24076CFAA0D",
        enc="B56FED7FF7B23791C0684F17E117C97450723BB5C104E809C8929F0264CB99F9969D07FC32BB2D11995AEF826E355097",
        cmac="5FD76DE4BD942DFC",
    )
    assert reading.uid.hex().upper() == "049F50824F1390"
    assert reading.counter == 16
    assert reading.file_data == b"19.05.2024 12:22:33#1234************************"


def test_plain_uid_and_counter_mirror():
    reading = sun_verify_plain(file_read_key=ZERO, uid="049F50824F1390", counter="000001", cmac="2446E527C37E073A")
    assert reading.uid.hex().upper() == "049F50824F1390"
    assert reading.counter == 1


def test_plain_uid_mirror_of_the_an12196_tag_matches_its_encrypted_form():
    reading = sun_verify_plain(file_read_key=ZERO, uid="04DE5F1EACC040", counter="00003D", cmac="94EED9EE65337086")
    assert reading.counter == 61


def test_tamper_status_is_read_from_the_start_of_the_file_data():
    uid = bytes.fromhex("04AABBCCDDEEFF")
    params = sun_message(meta_read_key=ZERO, file_read_key=ZERO, uid=uid, counter=5, file_data=b"OC" + b"*" * 14)
    reading = sun_verify_encrypted(meta_read_key=ZERO, file_read_key=ZERO, **params)
    assert reading.tamper == {"permanent": "open", "current": "closed"}


def test_a_generated_message_round_trips_and_matches_the_an12196_example():
    params = sun_message(meta_read_key=ZERO, file_read_key=ZERO, uid=bytes.fromhex("04DE5F1EACC040"), counter=61)
    assert params["cmac"] == "94EED9EE65337086"


@pytest.mark.parametrize(
    "picc, cmac, reason",
    [
        ("EF963FF7828658A599F3041510671E88", "94EED9EE65337087", "cmac does not verify"),
        ("EF963FF7828658A599F3041510671E89", "94EED9EE65337086", "picc_data does not decrypt to a UID"),
        ("EF963FF7828658A599F3041510671E", "94EED9EE65337086", "picc_data must be 16 bytes"),
        ("ZZ963FF7828658A599F3041510671E88", "94EED9EE65337086", "picc_data is not hexadecimal"),
        ("EF963FF7828658A599F3041510671E88", "94EED9EE653370", "cmac must be 8 bytes"),
        ("EF963FF7828658A599F3041510671E88", "", "cmac must be 8 bytes"),
    ],
)
def test_forged_and_malformed_messages_are_refused(picc, cmac, reason):
    with pytest.raises(SunError) as exc:
        sun_verify_encrypted(meta_read_key=ZERO, file_read_key=ZERO, picc_data=picc, cmac=cmac)
    assert exc.value.reason == reason


def test_the_right_message_under_another_key_is_refused():
    with pytest.raises(SunError):
        sun_verify_encrypted(
            meta_read_key=ZERO,
            file_read_key=b"\x01" * 16,
            picc_data="EF963FF7828658A599F3041510671E88",
            cmac="94EED9EE65337086",
        )
