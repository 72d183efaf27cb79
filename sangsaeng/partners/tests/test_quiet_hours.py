from sangsaeng.partners.quiet_hours import advertising_text, is_night, night_ends_after
from sangsaeng.partners.tests.conftest import kst


def test_the_night_window_is_21_to_8_in_korea():
    assert is_night(kst(1, 20, 59)) is False
    assert is_night(kst(1, 21, 0)) is True
    assert is_night(kst(1, 23, 30)) is True
    assert is_night(kst(2, 7, 59)) is True
    assert is_night(kst(2, 8, 0)) is False


def test_night_ends_at_the_next_8_oclock():
    assert night_ends_after(kst(1, 22, 30)) == kst(2, 8, 0)
    assert night_ends_after(kst(2, 3, 0)) == kst(2, 8, 0)


def test_an_advertisement_starts_with_the_legal_marker_and_the_sender():
    assert advertising_text(channel_name="상생마켓", text="감귤 할인") == "(광고) 상생마켓\n감귤 할인"
