"""Verifying a tag: a QR label by its code, an NTAG 424 DNA chip by its SUN message.

Verdicts: `authentic`, `unknown` (no such tag, or parameters that do not verify: "not
authentic"), `suspected_clone` (a counter that did not increase, a chip answering with another
UID, a static QR seen from too many devices) and `reported_stolen` (the owner reported it lost or
stolen). Every scan is recorded with a salted device hash, never the address or agent itself.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from sangsaeng.authenticity.keys import master_key_open, tag_keys
from sangsaeng.authenticity.models import Passport, Scan, Tag
from sangsaeng.authenticity.sun import SunError, SunReading, sun_verify_encrypted, sun_verify_plain

AUTHENTIC, UNKNOWN, CLONE, STOLEN = "authentic", "unknown", "suspected_clone", "reported_stolen"
CLAIM_SALT = "authenticity.sun-claim"


@dataclass
class Verification:
    verdict: str
    reason: str = ""
    tag: Tag | None = None
    passport: Passport | None = None
    reading: SunReading | None = None
    claim_token: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def device_fingerprint(*, user_agent: str, ip: str, cookie_id: str) -> str:
    """A salted hash of the agent string, the network prefix (/24, /48) and a cookie id."""
    try:
        address = ipaddress.ip_address(ip)
        prefix = 24 if address.version == 4 else 48
        network = str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
    except ValueError:
        network = "?"
    salt = hashlib.sha256(f"authenticity-device:{settings.SECRET_KEY}".encode()).hexdigest()
    return hashlib.sha256(f"{salt}|{user_agent[:300]}|{network}|{cookie_id[:64]}".encode()).hexdigest()


def tag_keys_for(tag: Tag) -> tuple[bytes, bytes]:
    master = master_key_open(sealed=tag.brand.sealed_master_key, brand_public_id=tag.brand.public_id)
    return tag_keys(master_key=master, tag_code=tag.code)


def _record(tag: Tag, device: str, verdict: str, counter: int | None = None) -> None:
    Scan.objects.create(tag=tag, device=device, verdict=verdict, counter=counter)


def _flag(tag: Tag, reason: str) -> None:
    if tag.flagged_at is None:
        Tag.objects.filter(pk=tag.pk, flagged_at__isnull=True).update(flagged_at=timezone.now(), flag_reason=reason)
        tag.flagged_at, tag.flag_reason = timezone.now(), reason


def _with_passport(result: Verification) -> Verification:
    passport = result.passport
    if passport is None:
        result.verdict, result.reason = UNKNOWN, result.reason or "tag_not_attached"
    elif result.verdict == AUTHENTIC and passport.state != Passport.State.ACTIVE:
        result.verdict, result.reason = STOLEN, passport.state
    return result


def _tag(code: str, kind: str) -> Tag | None:
    if not code or len(code) > 32:
        return None
    return Tag.objects.select_related("brand", "passport", "passport__brand").filter(code=code, kind=kind).first()


def qr_verify(*, code: str, device: str) -> Verification:
    """A static QR proves little on its own: it is flagged once too many distinct devices scan it."""
    tag = _tag(code, Tag.Kind.QR)
    if tag is None:
        return Verification(verdict=UNKNOWN, reason="unknown_tag")
    since = timezone.now() - timedelta(days=settings.AUTHENTICITY_QR_WINDOW_DAYS)
    recent = Scan.objects.filter(tag=tag, created_at__gte=since)
    returning = recent.filter(device=device).exists()
    _record(tag, device, "scan")
    # only a device new to this tag can push it over the threshold
    threshold = settings.AUTHENTICITY_QR_DEVICE_THRESHOLD
    if tag.flagged_at is None and not returning and recent.values("device").distinct().count() >= threshold:
        _flag(tag, "many_devices")
    result = Verification(verdict=AUTHENTIC, tag=tag, passport=tag.passport)
    if tag.flagged_at is not None:
        result.verdict, result.reason = CLONE, tag.flag_reason
    return _with_passport(result)


def _sun_read(tag: Tag, params: dict[str, str]) -> SunReading:
    meta_key, file_key = tag_keys_for(tag)
    if params.get("picc_data"):
        return sun_verify_encrypted(
            meta_read_key=meta_key,
            file_read_key=file_key,
            picc_data=params["picc_data"],
            cmac=params.get("cmac", ""),
            enc=params.get("enc") or None,
            tamper=params.get("tt") or None,
        )
    if params.get("uid"):
        return sun_verify_plain(
            file_read_key=file_key,
            uid=params["uid"],
            counter=params.get("ctr", ""),
            cmac=params.get("cmac", ""),
            enc=params.get("enc") or None,
            tamper=params.get("tt") or None,
        )
    raise SunError("no SUN parameters")


def nfc_verify(*, code: str, params: dict[str, str], device: str) -> Verification:
    """Check the SUN message, bind the UID on the first good read, and take the counter only if it grew."""
    tag = _tag(code, Tag.Kind.NFC)
    if tag is None:
        return Verification(verdict=UNKNOWN, reason="unknown_tag")
    try:
        reading = _sun_read(tag, params)
    except SunError as exc:
        _record(tag, device, "forged")
        return Verification(verdict=UNKNOWN, reason="bad_signature", tag=tag, details={"error": exc.reason})
    uid = reading.uid.hex().upper()
    if reading.counter is None:
        _record(tag, device, "no_counter")
        return Verification(verdict=UNKNOWN, reason="no_counter", tag=tag, reading=reading)
    if not tag.uid:
        Tag.objects.filter(pk=tag.pk, uid="").update(uid=uid)
        tag.refresh_from_db(fields=["uid"])
    if tag.uid != uid:
        _flag(tag, "uid_mismatch")
        _record(tag, device, "uid_mismatch", reading.counter)
        return Verification(verdict=CLONE, reason="uid_mismatch", tag=tag, passport=tag.passport, reading=reading)
    fresh = Tag.objects.filter(pk=tag.pk, last_counter__lt=reading.counter).update(last_counter=reading.counter)
    if not fresh:
        _record(tag, device, "replayed", reading.counter)
        return Verification(verdict=CLONE, reason="replayed_counter", tag=tag, passport=tag.passport, reading=reading)
    _record(tag, device, "fresh", reading.counter)
    result = _with_passport(Verification(verdict=AUTHENTIC, tag=tag, passport=tag.passport, reading=reading))
    if result.verdict == AUTHENTIC and result.passport is not None:
        result.claim_token = signing.dumps(
            {"p": result.passport.token_id, "t": tag.code, "c": reading.counter}, salt=CLAIM_SALT
        )
    return result


def claim_token_passport(token: str) -> int | None:
    """The passport a fresh SUN read vouched for in the last AUTHENTICITY_SUN_CLAIM_SECONDS."""
    try:
        data = signing.loads(token or "", salt=CLAIM_SALT, max_age=settings.AUTHENTICITY_SUN_CLAIM_SECONDS)
    except signing.BadSignature:
        return None
    value = data.get("p") if isinstance(data, dict) else None
    return int(value) if isinstance(value, int) else None
