"""Demo vault for 김상생 (demo@sangsaeng.kr): folders and items, encrypted as a Bitwarden app would.

The demo master password is printed so that a visitor can open the vault with any Bitwarden app;
a real user's master password never reaches the server.
"""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts import selectors as account_selectors
from sangsaeng.core.demo import register
from sangsaeng.vault import clientcrypto, items, selectors, services

DEMO_EMAIL = "demo@sangsaeng.kr"
DEMO_MASTER_PASSWORD = "sangsaeng-vault-demo-2026"
DEMO_KDF_ITERATIONS = 600_000


@register("vault", order=20)
def build(say: Callable[[str], None]) -> None:
    user = account_selectors.user_get_by_email(email=DEMO_EMAIL)
    if user is None or selectors.account_for_user(user=user) is not None:
        return
    keys = clientcrypto.make_keys(DEMO_EMAIL, DEMO_MASTER_PASSWORD, DEMO_KDF_ITERATIONS, reuse_rsa=False)
    account = services.account_register(
        email=DEMO_EMAIL,
        token=services.signup_token_create(email=DEMO_EMAIL),
        login_hash=keys.hash,
        kdf=services.Kdf(type=0, iterations=DEMO_KDF_ITERATIONS),
        user_key=keys.protected_user_key,
        public_key=keys.public_key,
        private_key=keys.protected_private_key,
        name="김상생",
    )
    personal = items.folder_create(actor=account, name=keys.seal("개인"))
    work = items.folder_create(actor=account, name=keys.seal("업무"))

    def login(name: str, username: str, password: str, uri: str, folder: str, totp: str | None = None) -> None:
        items.cipher_create(
            actor=account,
            data={
                "type": 1,
                "name": keys.seal(name),
                "folderId": folder,
                "login": {
                    "username": keys.seal(username),
                    "password": keys.seal(password),
                    "totp": keys.seal(totp) if totp else None,
                    "uris": [{"uri": keys.seal(uri), "match": None}],
                },
            },
        )

    login("네이버", "kim.sangsaeng", "naver-데모-2026!", "https://www.naver.com", str(personal.public_id))
    login(
        "카카오",
        "demo@sangsaeng.kr",
        "kakao-데모-2026!",
        "https://accounts.kakao.com",
        str(personal.public_id),
        totp="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    login(
        "사내 메일", "sangsaeng@company.example", "work-데모-2026!", "https://mail.company.example", str(work.public_id)
    )
    items.cipher_create(
        actor=account,
        data={
            "type": 2,
            "name": keys.seal("집 와이파이"),
            "notes": keys.seal("SSID: sangsaeng-home / 비밀번호: 판교-1117"),
            "secureNote": {"type": 0},
        },
    )
    items.cipher_create(
        actor=account,
        data={
            "type": 3,
            "name": keys.seal("체크카드"),
            "card": {
                "cardholderName": keys.seal("KIM SANGSAENG"),
                "brand": keys.seal("Visa"),
                "number": keys.seal("4111111111111111"),
                "expMonth": keys.seal("11"),
                "expYear": keys.seal("2030"),
                "code": keys.seal("123"),
            },
        },
    )
    say(f"demo vault {DEMO_EMAIL} / master password {DEMO_MASTER_PASSWORD} (Bitwarden server URL: https://HOST/vault)")
