from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.partners.audiences import segment_choices
from sangsaeng.partners.models import ChannelStaff, InboxThread
from sangsaeng.partners.quiet_hours import KST


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("채널 이름"), max_length=60)
    handle = forms.CharField(label=_("채널 주소"), max_length=30, help_text=_("영문 소문자, 숫자, -, _ (3~30자)"))
    description = forms.CharField(
        label=_("소개"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    logo = forms.FileField(label=_("로고"), required=False, help_text=_("JPEG, PNG, WebP · 최대 2MB"))
    cover = forms.FileField(label=_("커버 이미지"), required=False)


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("이메일"))
    role = forms.ChoiceField(label=_("역할"), choices=ChannelStaff.Role.choices, initial=ChannelStaff.Role.AGENT)


class BroadcastForm(forms.Form):
    text = forms.CharField(label=_("내용"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_advertising = forms.BooleanField(
        label=_("광고성 정보입니다"),
        required=False,
        initial=True,
        help_text=_("광고는 수신 동의한 친구에게만, 21시~8시에는 야간 동의한 친구에게만 발송됩니다."),
    )
    segment = forms.ChoiceField(
        label=_("받는 사람"),
        required=False,
        help_text=_("고객 세그먼트는 지금 기준으로 정해지고, 그중 채널 친구에게만 같은 동의 규칙으로 발송됩니다."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("예약 시각 (한국 시간)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("비워 두면 바로 발송합니다."),
    )
    image = forms.FileField(label=_("이미지"), required=False)
    card_title = forms.CharField(label=_("상품 카드 제목"), max_length=80, required=False)
    card_url = forms.URLField(label=_("상품 링크"), max_length=500, required=False, assume_scheme="https")
    card_price = forms.IntegerField(label=_("가격 (원)"), min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("모든 친구")), *segment_choices()]  # type: ignore[attr-defined]

    def schedule(self) -> datetime | None:
        value = self.cleaned_data.get("scheduled_at")
        return value.replace(tzinfo=None).replace(tzinfo=KST) if value else None

    def cards(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("card_title") and not data.get("card_url"):
            return []
        return [
            {
                "kind": "product",
                "title": data.get("card_title") or "",
                "url": data.get("card_url") or "",
                "image": "",
                "price_krw": data.get("card_price"),
            }
        ]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("답장"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ThreadForm(forms.Form):
    assignee = forms.ChoiceField(label=_("담당자"), required=False)
    status = forms.ChoiceField(label=_("상태"), choices=InboxThread.Status.choices)
