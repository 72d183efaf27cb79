import pytest
from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.sync.selectors import partner_list

pytestmark = pytest.mark.django_db


def test_the_demo_registers_the_example_shop_once():
    call_command("demo")
    call_command("demo")
    owner = user_get_by_email(email="admin@sangsaeng.kr")
    shops = [p for p in partner_list(owner=owner) if p.name == "상생마켓"]
    assert len(shops) == 1
