import pytest

from sangsaeng.accounts.services import user_create


@pytest.fixture
def charlie(db):
    return user_create(
        email="charlie@example.com", password="correct-horse-battery-staple", display_name="찰리", verified=True
    )


@pytest.fixture
def direct(alice, bob):
    from sangsaeng.messaging import services

    return services.conversation_direct_open(actor=alice, other=bob)


@pytest.fixture(autouse=True)
def _fast_backup_kdf(settings):
    settings.MESSAGING_BACKUP_SCRYPT_N = 2**10
