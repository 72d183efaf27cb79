"""Demo: 제주 옹기 공방, a verified brand with passports for three pieces; 김상생 owns one. The brand
sells through 상생마켓's store, which stocks three more units whose passports pass on delivery.

Issuing writes to the chain's outbox, so the builder needs the chain node (`sangsaeng serve` runs
it). Without one it makes the brand and says what it skipped, so the rest of the demo still runs.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from django.conf import settings

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.authenticity import selectors, services
from sangsaeng.authenticity.models import Brand, Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.verification import tag_keys_for
from sangsaeng.chain import services as chain
from sangsaeng.core.demo import register
from sangsaeng.core.errors import Problem

DEMO_EMAIL = "demo@sangsaeng.kr"
ADMIN_EMAIL = "admin@sangsaeng.kr"
SLUG = "jeju-onggi"
PIECES = [
    ("JO-2026-0001", "달항아리 (대)", "MOON-L", "2026-09-12", "제주 화산토;재유", 24),
    ("JO-2026-0002", "물허벅", "HEOBEOK", "2026-09-20", "제주 화산토", 12),
    ("JO-2026-0003", "찻사발", "TEA-BOWL", "2026-10-03", "제주 화산토;분청", 12),
]
STORE_HANDLE = "sangsaeng-market"  # the partner channel whose store sells the limited jars
STORE_UNITS = [
    (f"JO-2026-L00{n}", "옹기 장인 한정판 감귤 항아리", "ONGGI-LTD", "2026-10-20", "제주 화산토;감귤 유약", 24)
    for n in (1, 2, 3)
]


def _link_store_channel(admin: object) -> None:
    """The brand sells through the demo store's channel (made by the partners demo just before)."""
    from sangsaeng.partners import selectors as partners

    try:
        channel = partners.channel_for_handle(STORE_HANDLE)
    except Problem:
        return
    services.brand_link_channel(actor=admin, slug=SLUG, partner_channel_id=channel.public_id)


@register("authenticity", order=45)
def build(say: Callable[[str], None]) -> None:
    owner, admin = user_get_by_email(email=DEMO_EMAIL), user_get_by_email(email=ADMIN_EMAIL)
    if owner is None or admin is None:
        return
    brand = Brand.objects.filter(slug=SLUG).first()
    if brand is None:
        brand = services.brand_create(
            owner=admin,
            name="제주 옹기 공방",
            slug=SLUG,
            description="제주 화산토로 빚고 장작가마에서 구운 옹기. 모든 작품에 제품 여권을 발행합니다.",
        )
    if not brand.is_verified:
        brand = services.brand_verify(actor=admin, slug=SLUG)
    if brand.partner_channel_id is None:
        _link_store_channel(admin)
    if brand.passports.exists():
        return
    try:
        chain.chain_sweep()  # the embedded chain deploys its contracts on the first sweep
        issued = [
            services.passport_issue(
                actor=admin,
                slug=SLUG,
                data={
                    "serial": serial,
                    "product_name": name,
                    "model": model,
                    "manufactured_on": made,
                    "manufactured_at": "제주특별자치도 제주시 애월읍 장작가마",
                    "materials": materials,
                    "images": "",
                    "warranty_months": str(months),
                    "warranty_terms": "정상 사용 중 생긴 균열은 보증 기간 동안 무상으로 고쳐 드립니다.",
                },
            )
            for serial, name, model, made, materials, months in PIECES + STORE_UNITS
        ]
    except (requests.exceptions.RequestException, Problem) as exc:
        say(f"authenticity: brand {brand.name} is verified; passports skipped, the chain is not reachable ({exc})")
        return
    (claimed, secret), (tagged, _), (spare, spare_secret) = issued[: len(PIECES)]
    services.passport_claim(actor=owner, token_id=claimed.token_id, secret=secret, consent=True)
    tag_row = services.nfc_tags_create(brand=brand, count=1)[0]
    services.tag_attach(actor=admin, slug=SLUG, tag_code=tag_row["code"], token_id=tagged.token_id)
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=tag_row["code"]))
    tap = sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04A1B2C3D4E580"), counter=1)
    base = settings.PUBLIC_URL
    say(f"authenticity: {DEMO_EMAIL} owns {claimed.product_name} ({base}/authenticity/p/{claimed.token_id})")
    say(
        f"authenticity: printable QR tag {base}/authenticity/t/{selectors.passport_qr_code(passport=spare)}"
        f" (claim passphrase {spare_secret})"
    )
    say(f"authenticity: {len(STORE_UNITS)} limited jars in @{STORE_HANDLE}'s store pass to their buyers on delivery")
    say(
        f"authenticity: NFC demo tap (authentic once, then a replay) "
        f"{base}/authenticity/n/{tag_row['code']}?picc_data={tap['picc_data']}&cmac={tap['cmac']}"
    )
