"""The real Bitwarden CLI (`bw`, from npm) against a live HTTPS server.

`make test-sqlite` installs it into .npm-tools/ (`make bw-cli`). Without it the test cannot run at
all, so it fails with that instruction instead of skipping: the CLI is the proof that this
server speaks Bitwarden.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.test import Client

from sangsaeng.vault import clientcrypto, selectors, services
from sangsaeng.vault.models import Cipher, Device, Folder
from sangsaeng.vault.tests.tls_server import https_live_server

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
BW = ROOT / ".npm-tools" / "node_modules" / ".bin" / "bw"
MASTER = "bw-cli-마스터-password-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Cli:
    """One `bw` profile (its own data directory), as one device."""

    def __init__(self, home: Path, cert: Path) -> None:
        home.mkdir(parents=True)
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "BITWARDENCLI_APPDATA_DIR": str(home),
            "NODE_EXTRA_CA_CERTS": str(cert),
            "BW_NOINTERACTION": "true",
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(BW), *args, "--nointeraction"], env=self.env, capture_output=True, text=True, timeout=120
        )
        if check:
            assert result.returncode == 0, f"bw {args[0]} failed: {result.stdout} {result.stderr}"
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args).stdout)


def encoded(data: object) -> str:
    return base64.b64encode(json.dumps(data, ensure_ascii=False).encode()).decode()


def test_bw_cli_full_scenario(alice, tmp_path, settings):
    assert BW.exists(), "run `make bw-cli` to install the Bitwarden CLI into .npm-tools/"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    # given alice's vault, registered with a payload computed as a Bitwarden client does
    keys = clientcrypto.make_keys(alice.email, MASTER)
    services.signup_window_open(user=alice)
    registered = Client().post(
        "/vault/identity/accounts/register", clientcrypto.register_payload(keys), content_type="application/json"
    )
    assert registered.status_code == 200, registered.content

    with https_live_server(tmp_path / "tls") as (url, cert):
        laptop = Cli(tmp_path / "laptop", cert)
        phone = Cli(tmp_path / "phone", cert)
        for cli in (laptop, phone):
            cli.run("config", "server", f"{url}/vault")

        # when alice logs in with the CLI
        session = laptop.run("login", alice.email, MASTER, "--raw").stdout.strip()
        assert len(session) > 20
        laptop.env["BW_SESSION"] = session

        # then she can create a folder and a login item with a URI and a TOTP secret
        folder = laptop.json("create", "folder", encoded({"name": "업무"}))
        item = laptop.json(
            "create",
            "item",
            encoded(
                {
                    "type": 1,
                    "name": "네이버",
                    "notes": "회사 계정",
                    "folderId": folder["id"],
                    "favorite": False,
                    "fields": [],
                    "reprompt": 0,
                    "login": {
                        "username": "alice",
                        "password": "s3cret-pw",
                        "totp": TOTP_SECRET,
                        "uris": [{"match": None, "uri": "https://naver.com"}],
                    },
                }
            ),
        )
        listed = laptop.json("list", "items")
        assert [(i["name"], i["login"]["username"], i["folderId"]) for i in listed] == [
            ("네이버", "alice", folder["id"])
        ]
        assert listed[0]["login"]["uris"][0]["uri"] == "https://naver.com"
        code = laptop.run("get", "totp", item["id"]).stdout.strip()
        totp = pyotp.TOTP(TOTP_SECRET)
        assert code in {totp.at(time.time()), totp.at(time.time() - 30)}

        # attach a file: the CLI encrypts it, the server stores only ciphertext, the phone reads it back
        secret_file = tmp_path / "recovery-codes.txt"
        secret_file.write_text("복구 코드 1234-5678")
        laptop.json("create", "attachment", "--file", str(secret_file), "--itemid", item["id"])
        [stored_file] = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
        assert b"1234-5678" not in stored_file.read_bytes()

        # and edit it
        item["login"]["password"] = "n3w-pw"
        edited = laptop.json("edit", "item", item["id"], encoded(item))
        assert edited["login"]["password"] == "n3w-pw"

        # the server holds only ciphertext, which alice's user key opens
        stored = Cipher.objects.get(public_id=item["id"])
        assert "n3w-pw" not in json.dumps(stored.data) and "네이버" not in stored.name
        assert keys.open(stored.data["password"]) == "n3w-pw"
        assert keys.open(stored.name) == "네이버"
        assert keys.open(stored.data["totp"]) == TOTP_SECRET
        assert keys.open(Folder.objects.get(public_id=folder["id"]).name) == "업무"

        # a second profile (another device) logs in, and after an edit on the laptop, syncs and sees it
        phone.env["BW_SESSION"] = phone.run("login", alice.email, MASTER, "--raw").stdout.strip()
        assert phone.json("get", "item", item["id"])["login"]["password"] == "n3w-pw"
        phone.run("get", "attachment", "recovery-codes.txt", "--itemid", item["id"], "--output", str(tmp_path / "got"))
        assert (tmp_path / "got").read_text() == "복구 코드 1234-5678"
        item = edited
        item["name"] = "네이버 (개인)"
        laptop.json("edit", "item", item["id"], encoded(item))
        phone.run("sync")
        assert phone.json("get", "item", item["id"])["name"] == "네이버 (개인)"
        assert Device.objects.filter(account__email=alice.email).count() == 2

        # soft delete, restore, permanent delete
        laptop.run("delete", "item", item["id"])
        assert Cipher.objects.get(public_id=item["id"]).deleted_at is not None
        assert [i["id"] for i in laptop.json("list", "items", "--trash")] == [item["id"]]
        laptop.run("restore", "item", item["id"])
        assert Cipher.objects.get(public_id=item["id"]).deleted_at is None
        laptop.run("delete", "item", item["id"], "--permanent")
        assert not Cipher.objects.filter(public_id=item["id"]).exists()
        phone.run("sync")
        assert phone.json("list", "items") == []

        # lock and unlock
        laptop.run("lock")
        locked = laptop.run("list", "items", check=False)
        assert (locked.returncode, locked.stderr) == (1, "Vault is locked.")
        laptop.env["BW_SESSION"] = laptop.run("unlock", MASTER, "--raw").stdout.strip()
        assert [f["name"] for f in laptop.json("list", "folders") if f["id"]] == ["업무"]

        # a wrong password: the CLI recognises the server's exact message ("Username or password is
        # incorrect. Try again.") and prints its own explanation of it
        laptop.run("logout")
        wrong = laptop.run("login", alice.email, "not-the-password", check=False)
        assert wrong.returncode == 1
        assert wrong.stderr.startswith("Invalid master password. Confirm your email is correct")
        # and once the account's failed-login budget is spent, the server's 429 reaches the CLI
        settings.SIGNIN_RATE_PER_ACCOUNT = 1
        throttled = laptop.run("login", alice.email, "not-the-password", check=False)
        assert throttled.returncode == 1
        assert throttled.stderr == "Rate limit exceeded. Try again later."

    account = selectors.account_for_user(user=alice)
    assert account is not None and account.folders.count() == 1
