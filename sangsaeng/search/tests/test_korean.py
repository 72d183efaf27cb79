"""초성 search, jamo-level typo tolerance, synonyms and prefix autocomplete."""

from __future__ import annotations

import pytest

from sangsaeng.search import services
from sangsaeng.search.hangul import edit_distance, initials, is_initials_query, jamo
from sangsaeng.search.registry import PUBLIC

pytestmark = pytest.mark.django_db


def _ids(user, q):
    return [h.id for h in services.search(user=user, q=q).hits]


def test_hangul_arithmetic():
    assert initials("김민지") == "ㄱㅁㅈ"
    assert initials("IMG 사진") == "ㅅㅈ"
    assert jamo("김a") == "ㄱㅣㅁa"
    assert is_initials_query("ㄱㅁㅈ") and is_initials_query("ㅅㅅ ㅈㅈ")
    assert not is_initials_query("ㄱ") and not is_initials_query("김ㅁㅈ")
    assert edit_distance(jamo("이어폰"), jamo("이어퐁"), 2) == 1
    assert edit_distance("abcdef", "a", 1) == 2


def test_initial_consonants_find_a_name(posts, alice):
    services.index_documents(
        [
            posts.add("kim", "김민지 상생전자 대리", visibility=PUBLIC),
            posts.add("park", "박서연 제주감귤농원 대표", visibility=PUBLIC),
            posts.add("kim2", "김민준 초록마을 과장", visibility=PUBLIC),
        ]
    )

    found = services.search(user=alice, q="ㄱㅁㅈ")

    assert [h.id for h in found.hits] == ["kim2", "kim"] or [h.id for h in found.hits] == ["kim", "kim2"]
    assert {h.title[s:e] for h in found.hits for s, e in h.title_marks} == {"김민지", "김민준"}
    assert _ids(alice, "ㅂㅅㅇ") == ["park"]
    assert _ids(alice, "ㄱㅁㅈ ㅅㅅㅈㅈ") == ["kim", "kim2"]  # both words: the first ranks higher
    assert _ids(alice, "ㅎㅎㅎ") == []


def test_a_typo_is_corrected_against_the_indexed_vocabulary(posts, alice):
    services.index_documents(
        [
            posts.add("ear", "무선 이어폰 추천", visibility=PUBLIC),
            posts.add("tum", "보온 텀블러", visibility=PUBLIC),
        ]
    )

    found = services.search(user=alice, q="이어퐁")  # one jamo off (ㄴ -> ㅇ)

    assert [h.id for h in found.hits] == ["ear"]
    assert found.corrections == {"이어퐁": ["이어폰"]}
    assert _ids(alice, "텀블라") == ["tum"]  # a vowel off
    assert _ids(alice, "햄버거") == []  # nothing close: no guess


def test_corrections_are_not_shown_from_documents_the_user_cannot_open(chats, alice, bob):
    services.index_documents([chats.add("m1", "비밀 프로젝트 코드명 오로라", owner_id=bob.pk)])

    found = services.search(user=alice, q="오로러")

    assert found.hits == [] and found.corrections == {}


def test_synonyms_apply_at_query_time(posts, alice, django_user_model):
    operator = django_user_model.objects.create_user(
        email="op@example.com", password="x-long-password-1", is_staff=True
    )
    services.index_documents([posts.add("p1", "핸드폰 케이스 투명", visibility=PUBLIC)])
    assert _ids(alice, "휴대폰") == []

    group = services.synonym_create(actor=operator, terms="휴대폰, 핸드폰, 스마트폰")

    assert _ids(alice, "휴대폰") == ["p1"]
    assert _ids(alice, "스마트폰을") == ["p1"]
    hit = services.search(user=alice, q="휴대폰").hits[0]
    assert [hit.title[s:e] for s, e in hit.title_marks] == ["핸드폰"]
    services.synonym_delete(actor=operator, id=group.public_id)
    assert _ids(alice, "휴대폰") == []


def test_only_operators_edit_synonyms(alice):
    from sangsaeng.core.errors import Problem
    from sangsaeng.search.models import SynonymGroup

    with pytest.raises(Problem) as refused:
        services.synonym_create(actor=alice, terms="가, 나")
    assert refused.value.code == "not_found"
    assert SynonymGroup.objects.count() == 0


@pytest.mark.parametrize("terms", ["", "혼자", "가," * 30, "가, " + "나" * 41])
def test_bad_synonym_groups_are_refused(terms, django_user_model):
    from sangsaeng.core.errors import Problem
    from sangsaeng.search.models import SynonymGroup

    operator = django_user_model.objects.create_user(
        email="op@example.com", password="x-long-password-1", is_staff=True
    )
    with pytest.raises(Problem) as refused:
        services.synonym_create(actor=operator, terms=terms)
    assert refused.value.code in {"synonyms_too_few", "synonyms_too_long"}
    assert SynonymGroup.objects.count() == 0


def test_autocomplete_completes_the_last_word(posts, alice):
    services.index_documents(
        [
            posts.add("p1", "블루투스 이어폰 화이트", visibility=PUBLIC),
            posts.add("p2", "블루베리 잼", visibility=PUBLIC),
        ]
    )

    assert [s["text"] for s in services.suggest(user=alice, q="블루투")] == ["블루투스 이어폰 화이트"]
    assert {s["text"] for s in services.suggest(user=alice, q="블루")} == {"블루투스 이어폰 화이트", "블루베리 잼"}
    assert services.suggest(user=alice, q="블루투")[0]["html"] == "<mark>블루투스</mark> 이어폰 화이트"
