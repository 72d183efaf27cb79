"""The demo Drawer: photos with dates and places, made once."""

from sangsaeng.accounts.demo import build as accounts_build
from sangsaeng.drawer.demo import PHOTOS, build
from sangsaeng.drawer.models import Item


def test_the_demo_user_gets_photos_with_places_once(db, django_capture_on_commit_callbacks):
    accounts_build(lambda line: None)
    with django_capture_on_commit_callbacks(execute=True):
        build(lambda line: None)
    build(lambda line: None)
    items = Item.objects.filter(owner__email="demo@sangsaeng.kr")
    assert items.count() == len(PHOTOS)
    assert {i.status for i in items} == {"ready"}
    assert {"제주 성산", "서울 종로구"} <= {i.place for i in items}
