"""Anyone checks a product: an authentic NFC tap, the same tap replayed, an unknown tag; then a buyer
claims one with its printed passphrase, and the brand uploads a CSV batch with a bad row."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from sangsaeng.authenticity import services
from sangsaeng.authenticity.models import Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.tests.conftest import ROW
from sangsaeng.authenticity.verification import tag_keys_for
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node, settle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def verified_brand(alice, embedded, deployed):  # noqa: F811
    from django.contrib.auth import get_user_model

    ops = get_user_model().objects.create_user(email="ops@sangsaeng.kr", password=PASSWORD, is_staff=True)
    services.brand_create(owner=alice, name="제주 옹기", slug="jeju-onggi")
    return services.brand_verify(actor=ops, slug="jeju-onggi")


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_the_public_page_for_an_authentic_a_replayed_and_an_unknown_tag(
    page, live_server, alice, verified_brand, shoot
):
    # given a passport with an NTAG 424 DNA tag on it, its mint on chain
    passport, _ = services.passport_issue(actor=alice, slug="jeju-onggi", data=dict(ROW))
    made = services.brand_nfc_tags_create(actor=alice, slug="jeju-onggi", count=1)[0]
    services.tag_attach(actor=alice, slug="jeju-onggi", tag_code=made["code"], token_id=passport.token_id)
    settle()
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=made["code"]))
    tap = sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04DE5F1EACC040"), counter=12)
    url = f"{live_server.url}/authenticity/n/{made['code']}?picc_data={tap['picc_data']}&cmac={tap['cmac']}"

    # when someone taps it: authentic, with the brand, the product, the chain record and the warranty
    page.goto(url)
    verdict = page.locator('[data-testid="verdict"]')
    assert verdict.get_attribute("data-verdict") == "authentic"
    assert "정품 인증됨" in verdict.inner_text()
    assert page.locator('[data-testid="brand-name"]').inner_text() == "제주 옹기"
    assert page.locator('[data-testid="brand-verified"]').is_visible()
    assert page.locator('[data-testid="registered"]').inner_text() == "아직 소유자가 없습니다"
    assert page.locator('[data-testid="issue-tx"] code').inner_text().startswith("0x")
    assert "소유자 등록일부터 24개월" in page.locator('[data-testid="warranty"]').inner_text()
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
    shoot(page, "authenticity-01-authentic")

    # when the same URL is opened again (a copied link or a cloned tag): a counterfeit warning
    page.goto(url)
    assert verdict.get_attribute("data-verdict") == "suspected_clone"
    assert "위조 의심" in verdict.inner_text()
    shoot(page, "authenticity-02-replayed")

    # when a forged or unknown tag is opened: not authentic
    page.goto(f"{live_server.url}/authenticity/n/{made['code']}?picc_data={tap['picc_data']}&cmac=0000000000000000")
    assert verdict.get_attribute("data-verdict") == "unknown"
    page.goto(
        f"{live_server.url}/authenticity/n/no-such-tag?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086"
    )
    assert verdict.get_attribute("data-verdict") == "unknown"
    assert "정품 확인 불가" in verdict.inner_text()
    shoot(page, "authenticity-03-unknown")


def test_a_buyer_claims_with_the_passphrase_and_the_brand_uploads_a_batch(
    page, live_server, alice, bob, verified_brand, shoot, tmp_path
):
    passport, secret = services.passport_issue(actor=alice, slug="jeju-onggi", data=dict(ROW))
    settle()
    base = live_server.url
    _login(page, base, bob)
    page.goto(f"{base}/authenticity/t/{passport.tags.get(kind='qr').code}")
    page.fill("input[name=secret]", secret)
    page.check("input[name=consent]")
    page.locator('[data-testid="claim"]').click()
    page.wait_for_url(f"{base}/authenticity/")
    assert ROW["product_name"] in page.locator('[data-testid="owned"]').inner_text()
    shoot(page, "authenticity-04-my-passports")

    page.context.clear_cookies()
    _login(page, base, alice)
    page.goto(f"{base}/authenticity/brands/jeju-onggi/")
    csv = tmp_path / "batch.csv"
    csv.write_text(
        "serial,product_name,model,manufactured_on,manufactured_at\nE-1,물허벅,H,2026-01-02,제주\n"
        "E-2,물허벅,H,2026-13-02,제주\n",
        encoding="utf-8",
    )
    page.set_input_files("#batch-form input[type=file]", str(csv))
    page.locator("#batch-form button").click()
    page.locator('[data-testid="batch-errors"] li').first.wait_for()
    assert "3행" in page.locator('[data-testid="batch-errors"]').inner_text()
    shoot(page, "authenticity-05-batch-errors")
    csv.write_text(
        "serial,product_name,model,manufactured_on,manufactured_at\nE-1,물허벅,H,2026-01-02,제주\n", encoding="utf-8"
    )
    page.set_input_files("#batch-form input[type=file]", str(csv))
    page.locator("#batch-form button").click()
    page.locator('[data-testid="issued"]').wait_for()
    assert "E-1" in page.locator('[data-testid="issued"]').inner_text()
    assert "bob@example.com" in page.locator('[data-testid="customers"]').inner_text()
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
    shoot(page, "authenticity-06-console")
