"""The authenticity app's public operations; other apps (commerce) call these."""

from __future__ import annotations

from sangsaeng.authenticity.brands import (
    access_brand,
    access_verified_brand,
    brand_create,
    brand_link_channel,
    brand_verify,
    member_add,
)
from sangsaeng.authenticity.delivery import (
    passport_transfer_on_delivery,
    passports_hold,
    passports_release,
    store_brand_check,
)
from sangsaeng.authenticity.issuance import passport_issue, passports_issue_csv
from sangsaeng.authenticity.ownership import (
    access_owned_passport,
    passport_claim,
    passport_consent,
    passport_recover,
    passport_report,
    passport_transfer_to_address,
    passport_transfer_to_user,
)
from sangsaeng.authenticity.tags import brand_nfc_tags_create, nfc_tags_create, tag_attach
from sangsaeng.authenticity.verification import device_fingerprint, nfc_verify, qr_verify

__all__ = [
    "access_brand",
    "access_owned_passport",
    "access_verified_brand",
    "brand_create",
    "brand_link_channel",
    "brand_nfc_tags_create",
    "brand_verify",
    "device_fingerprint",
    "member_add",
    "nfc_tags_create",
    "nfc_verify",
    "passport_claim",
    "passport_consent",
    "passport_issue",
    "passport_recover",
    "passport_report",
    "passport_transfer_on_delivery",
    "passport_transfer_to_address",
    "passport_transfer_to_user",
    "passports_hold",
    "passports_issue_csv",
    "passports_release",
    "qr_verify",
    "store_brand_check",
    "tag_attach",
]
