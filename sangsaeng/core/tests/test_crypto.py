import pytest

from sangsaeng.core import crypto


@pytest.fixture(autouse=True)
def _fresh_provider():
    crypto.key_provider.cache_clear()
    yield
    crypto.key_provider.cache_clear()


def test_round_trip_binds_the_context():
    token = crypto.encrypt(b"JBSWY3DPEHPK3PXP", context="accounts.totp")
    assert b"JBSWY3DPEHPK3PXP" not in token.encode()
    assert crypto.decrypt(token, context="accounts.totp") == b"JBSWY3DPEHPK3PXP"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="chain.key")


def test_each_value_gets_its_own_data_key():
    assert crypto.encrypt(b"same", context="c") != crypto.encrypt(b"same", context="c")


def test_a_tampered_envelope_does_not_open():
    token = crypto.encrypt(b"secret", context="c")
    head, tail = token.rsplit(".", 1)
    tampered = head + "." + ("A" if tail[0] != "A" else "B") + tail[1:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="c")


def test_keys_rotate_old_ciphertexts_still_open(settings):
    settings.ENCRYPTION_KEYS = "old:" + "o" * 40
    old_token = crypto.encrypt(b"kept", context="c")
    crypto.key_provider.cache_clear()
    settings.ENCRYPTION_KEYS = "new:" + "n" * 40 + ",old:" + "o" * 40
    new_token = crypto.encrypt(b"fresh", context="c")
    assert new_token.split(".")[1] == "new"
    assert crypto.decrypt(old_token, context="c") == b"kept"
    crypto.key_provider.cache_clear()
    settings.ENCRYPTION_KEYS = "new:" + "n" * 40
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old_token, context="c")
