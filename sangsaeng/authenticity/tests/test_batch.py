"""CSV batch issuance: all rows or none, every bad row by line number, the outbox in the same commit."""

from __future__ import annotations

import pytest

from sangsaeng.authenticity import services
from sangsaeng.authenticity.metadata import canonical_bytes, metadata_sha256
from sangsaeng.authenticity.models import Passport, Tag
from sangsaeng.authenticity.tests.conftest import settle
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.selectors import contract_get
from sangsaeng.core.errors import Problem

pytestmark = pytest.mark.django_db

HEADER = "serial,product_name,model,manufactured_on,manufactured_at,materials,images,warranty_months,warranty_terms\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_a_good_batch_issues_every_row_with_progress_and_mints_on_chain(chain_ready, brand, alice):
    content = _csv(*(f"B-{i:03},한지 등,LAMP-S,2026-09-0{i % 9 + 1},전주,한지;참나무,,12," for i in range(12)))
    seen: list[tuple[int, int]] = []
    issued = services.passports_issue_csv(
        actor=alice, slug=brand.slug, content=content, progress=lambda done, total: seen.append((done, total))
    )
    assert len(issued) == 12 and seen[-1] == (12, 12) and len(seen) == 12
    assert Tag.objects.filter(kind="qr", brand=brand).count() == 12
    settle()
    token = contract_at("ProductPassport", contract_get(name="ProductPassport").address)
    passport = issued[3][0]
    assert token.functions.metadata_hash(passport.token_id).call() == metadata_sha256(passport.metadata)
    assert canonical_bytes(passport.metadata).startswith(b'{"brand":{"name":"')


def test_a_batch_with_bad_rows_reports_each_by_line_and_issues_nothing(chain_ready, brand, alice):
    before = ChainTransaction.objects.count()
    content = _csv(
        "C-1,한지 등,LAMP-S,2026-09-01,전주,,,12,",
        ",한지 등,LAMP-S,2026-09-01,전주,,,12,",  # line 3: no serial
        "C-3,한지 등,LAMP-S,2026-13-01,전주,,,12,",  # line 4: no such month
        "C-1,한지 등,LAMP-S,2026-09-01,전주,,,12,",  # line 5: repeats line 2
        "C-5,한지 등,LAMP-S,2026-09-01,전주,,ftp://x/y.jpg,12,",  # line 6: not http(s)
        "C-6,한지 등,LAMP-S,2026-09-01,전주,,,twelve,",  # line 7
    )
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(actor=alice, slug=brand.slug, content=content)
    errors = exc.value.extra["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [
        (3, "serial"),
        (4, "manufactured_on"),
        (5, "serial"),
        (6, "images"),
        (7, "warranty_months"),
    ]
    assert exc.value.code == "csv_invalid_rows"
    assert Passport.objects.count() == 0 and ChainTransaction.objects.count() == before


def test_a_serial_already_issued_fails_the_batch(issued, brand, alice):
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(
            actor=alice, slug=brand.slug, content=_csv("JO-2026-0001,옹기,M,2026-01-01,제주,,,0,")
        )
    assert exc.value.extra["errors"][0]["line"] == 2
    assert Passport.objects.count() == 1


@pytest.mark.parametrize(
    "content, code",
    [
        (b"\xff\xfe\x00garbage", "csv_not_utf8"),
        (b"serial,model\nA,B\n", "csv_columns_missing"),
        (HEADER.encode(), "csv_empty"),
        (b"", "csv_columns_missing"),
    ],
)
def test_unreadable_csv_files_are_refused_clearly(chain_ready, brand, alice, content, code):
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(actor=alice, slug=brand.slug, content=content)
    assert exc.value.code == code and exc.value.status == 422


def test_an_unverified_brand_cannot_issue(chain_ready, alice):
    services.brand_create(owner=alice, name="미인증 공방", slug="unverified")
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(actor=alice, slug="unverified", content=_csv("A,B,C,2026-01-01,D,,,0,"))
    assert exc.value.code == "brand_not_verified"


def test_another_brands_batch_is_404(chain_ready, brand, bob):
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(actor=bob, slug=brand.slug, content=_csv("A,B,C,2026-01-01,D,,,0,"))
    assert exc.value.status == 404


def test_a_nul_character_is_a_bad_row_not_a_database_error(chain_ready, brand, alice):
    with pytest.raises(Problem) as exc:
        services.passports_issue_csv(
            actor=alice, slug=brand.slug, content=_csv("N-1,한지\x00등,L,2026-01-01,전주,,,0,")
        )
    assert exc.value.extra["errors"][0] == {
        "line": 2,
        "field": "product_name",
        "message_ko": "product_name 값에 NUL 문자가 있습니다.",
        "message_en": "product_name contains a NUL character.",
    }
