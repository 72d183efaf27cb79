"""Sharing a card: public link, QR (segno), vCard 4.0 (vobject), a signed SD-JWT, a chat payload.

Receivers only ever get the fields the owner marked visible; the name is always shown. The signed
card is an SD-JWT from the platform issuer: every shown field is a disclosure, and the badges
(`name_verified`, `company_domain`) are signed claims, so a receiver can check them offline with the
issuer's JWKS and without asking us.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import segno
import vobject
from django.conf import settings
from django.urls import reverse

from sangsaeng.business_cards.cards import badges
from sangsaeng.business_cards.models import Card
from sangsaeng.identity import services as identity_services

HANGUL_NAME = re.compile(r"^[가-힣]{2,5}$")
# Korean two-syllable family names; any other Hangul name takes its first syllable as the family name.
TWO_SYLLABLE_FAMILY = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방")


def public_url(card: Card) -> str:
    return settings.PUBLIC_URL + reverse("business_cards:public", args=[card.public_id])


def visible(card: Card) -> dict[str, Any]:
    """The card as receivers see it: the name plus the fields the owner chose to show."""
    shown: dict[str, Any] = {"id": str(card.public_id), "name": card.name, "theme": card.theme}
    for field in card.visible_fields:
        if field == "photo":
            if card.photo:
                shown["photo_url"] = settings.PUBLIC_URL + reverse("business_cards:photo", args=[card.public_id])
            continue
        value = getattr(card, field)
        if value:
            shown[field] = value
    return shown


def _split_name(name: str) -> tuple[str, str]:
    if HANGUL_NAME.match(name):
        family_length = 2 if name[:2] in TWO_SYLLABLE_FAMILY and len(name) > 3 else 1
        return name[:family_length], name[family_length:]
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else ("", name)


def _vcard_component(card: Card, *, note: str = "", tags: Iterable[str] = ()) -> Any:
    shown = visible(card)
    v = vobject.vCard()
    v.add("version").value = "4.0"
    v.add("fn").value = card.name
    family, given = _split_name(card.name)
    v.add("n").value = vobject.vcard.Name(family=family, given=given)
    if "company" in shown or "department" in shown:
        v.add("org").value = [shown.get("company", ""), *([shown["department"]] if "department" in shown else [])]
    if "title" in shown:
        v.add("title").value = shown["title"]
    for index, phone in enumerate(shown.get("phones", [])):
        tel = v.add("tel")
        tel.value = "tel:" + phone.replace(" ", "")
        tel.params["VALUE"] = ["uri"]
        tel.params["TYPE"] = ["cell" if index == 0 else "work"]
    if "email" in shown:
        v.add("email").value = shown["email"]
    if "address" in shown:
        v.add("adr").value = vobject.vcard.Address(street=shown["address"])
    if "website" in shown:
        v.add("url").value = shown["website"]
    if "photo_url" in shown:
        v.add("photo").value = shown["photo_url"]
    if note:
        v.add("note").value = note
    tags = list(tags)
    if tags:
        v.add("categories").value = tags
    v.add("source").value = public_url(card)
    v.add("uid").value = f"urn:uuid:{card.public_id}"
    return v


def card_vcard(*, cards: Iterable[Card]) -> str:
    """vCard 4.0 (RFC 6350) for one or more cards, only with their visible fields."""
    return "".join(_vcard_component(card).serialize() for card in cards)


def book_vcard(*, entries: Iterable[Any]) -> str:
    """The card book as vCard 4.0, with the holder's own note and tags as NOTE and CATEGORIES."""
    return "".join(_vcard_component(e.card, note=e.note, tags=e.tags).serialize() for e in entries)


def card_csv(*, entries: Iterable[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "company",
            "department",
            "title",
            "phones",
            "email",
            "address",
            "website",
            "tags",
            "note",
            "name_verified",
            "company_domain",
            "url",
        ]
    )
    for entry in entries:
        shown = visible(entry.card)
        badge = badges(entry.card)
        writer.writerow(
            [
                shown["name"],
                shown.get("company", ""),
                shown.get("department", ""),
                shown.get("title", ""),
                " / ".join(shown.get("phones", [])),
                shown.get("email", ""),
                shown.get("address", ""),
                shown.get("website", ""),
                " ".join(entry.tags),
                entry.note,
                "yes" if badge["name_verified"] else "no",
                badge["company_domain"] or "",
                public_url(entry.card),
            ]
        )
    return "\ufeff" + out.getvalue()  # a BOM, so spreadsheet apps read the Korean as UTF-8


def card_qr_svg(*, card: Card) -> bytes:
    """An SVG QR code of the public link page."""
    buffer = io.BytesIO()
    segno.make(public_url(card), error="m").save(
        buffer, kind="svg", scale=6, border=2, dark="#0f172a", xmldecl=False, title=card.name
    )
    return buffer.getvalue()


def card_signed(*, card: Card) -> str:
    """The card as an SD-JWT: visible fields as disclosures, badges as signed claims."""
    shown = {k: v for k, v in visible(card).items() if k not in {"id", "theme"}}
    badge = badges(card)
    claims: dict[str, Any] = {"sub": f"urn:uuid:{card.public_id}", **shown, "name_verified": badge["name_verified"]}
    if badge["company_domain"]:
        claims["company_domain"] = badge["company_domain"]
    disclosable = [k for k in shown if k != "name"]
    return identity_services.signed_card_issue(owner=card.owner, claims=claims, disclosable=disclosable)


def card_share_payload(*, card: Card) -> dict[str, Any]:
    """What a chat message carries when someone shares a card (the messaging app renders it)."""
    return {
        "type": "business_card",
        "card": visible(card),
        "badges": badges(card),
        "url": public_url(card),
        "vcard_url": settings.PUBLIC_URL + reverse("business_cards:public_vcard", args=[card.public_id]),
        "sd_jwt": card_signed(card=card),
    }


def photo_data_uri(card: Card) -> str:
    return f"data:{card.photo_type};base64,{base64.b64encode(bytes(card.photo)).decode()}" if card.photo else ""
