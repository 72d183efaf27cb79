"""sangsaeng authenticity: check a SUN message, make NFC tag keys, issue a CSV batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.errors import Problem


class Command(BaseCommand):
    help = "Authenticity: sun-verify | tags | issue-csv"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sun = sub.add_parser("sun-verify", help="Check an NTAG 424 DNA SUN message (AN12196) and print it as JSON.")
        sun.add_argument("--meta-key", required=True, help="SDMMetaReadKey, 32 hex digits")
        sun.add_argument("--file-key", required=True, help="SDMFileReadKey, 32 hex digits")
        sun.add_argument("--picc-data", required=True, help="the encrypted PICCData, 32 hex digits")
        sun.add_argument("--cmac", required=True, help="the SDMMAC, 16 hex digits")
        sun.add_argument("--enc-data", default=None, help="SDMENCFileData, hex")
        tags = sub.add_parser("tags", help="Make NFC tags for a brand; prints their keys and URL template.")
        tags.add_argument("--brand", required=True, help="the brand's slug")
        tags.add_argument("--count", type=int, required=True)
        issue = sub.add_parser("issue-csv", help="Issue a CSV batch for a verified brand, all rows or none.")
        issue.add_argument("--brand", required=True)
        issue.add_argument("--file", required=True)
        issue.add_argument("--as", dest="actor", required=True, help="the e-mail of a brand member")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except Problem as exc:
            raise CommandError(f"{exc.code}: {exc.en}") from exc

    def _sun_verify(self, options: dict[str, Any]) -> None:
        from sangsaeng.authenticity.sun import SunError, key_parse, sun_verify_encrypted

        out: dict[str, Any]
        try:
            reading = sun_verify_encrypted(
                meta_read_key=key_parse(options["meta_key"], name="meta-key"),
                file_read_key=key_parse(options["file_key"], name="file-key"),
                picc_data=options["picc_data"],
                cmac=options["cmac"],
                enc=options["enc_data"],
            )
            out = {"valid": True, **reading.as_dict()}
        except SunError as exc:
            out = {"valid": False, "uid": None, "counter": None, "file_data": None, "tamper": None, "error": exc.reason}
        self.stdout.write(json.dumps(out, ensure_ascii=False))
        if not out["valid"]:
            sys.exit(1)

    def _tags(self, options: dict[str, Any]) -> None:
        from sangsaeng.authenticity.models import Brand
        from sangsaeng.authenticity.tags import nfc_tags_create

        brand = Brand.objects.filter(slug=options["brand"]).first()
        if brand is None:
            raise CommandError(f"no brand {options['brand']!r}")
        tags = nfc_tags_create(brand=brand, count=options["count"])
        self.stdout.write(
            json.dumps(
                {
                    "brand": brand.slug,
                    "url_template": tags[0]["url_template"].replace(tags[0]["code"], "{code}"),
                    "tags": tags,
                },
                indent=1,
            )
        )

    def _issue_csv(self, options: dict[str, Any]) -> None:
        from sangsaeng.accounts.selectors import user_get_by_email
        from sangsaeng.authenticity.issuance import passports_issue_csv
        from sangsaeng.authenticity.selectors import passport_qr_code

        actor = user_get_by_email(email=options["actor"])
        if actor is None:
            raise CommandError(f"no user {options['actor']!r}")
        content = Path(options["file"]).read_bytes()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        try:
            issued = passports_issue_csv(actor=actor, slug=options["brand"], content=content, progress=progress)
        except Problem as exc:
            for row in exc.extra.get("errors", []):
                self.stderr.write(f"line {row['line']}: {row['field']}: {row['message_en']}")
            raise
        writer = ["token_id,serial,claim_secret,verify_url"]
        for passport, secret in issued:
            qr = passport_qr_code(passport=passport)
            writer.append(f"{passport.token_id},{passport.serial},{secret},/authenticity/t/{qr}")
        self.stdout.write("\n".join(writer))
