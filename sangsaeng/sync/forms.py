from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.sync.models import ConsentItem, Requirement

ITEM_CHOICES = [("", _("요청 안 함")), *Requirement.choices]


class AppForm(forms.Form):
    name = forms.CharField(label=_("서비스 이름"), max_length=80)
    client_type = forms.ChoiceField(
        label=_("클라이언트 유형"),
        choices=[("confidential", _("서버 앱 (비밀 키 보관)")), ("public", _("모바일·SPA (PKCE)"))],
    )
    redirect_uris = forms.CharField(
        label=_("리디렉션 URI (한 줄에 하나, 정확히 일치)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    logo_url = forms.URLField(label=_("로고 URL"), assume_scheme="https", required=False)
    privacy_policy_url = forms.URLField(label=_("개인정보 처리방침 URL"), assume_scheme="https", required=False)

    def clean_redirect_uris(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["redirect_uris"].splitlines() if line.strip()]


class ConsentItemsForm(forms.Form):
    channel_name = forms.CharField(
        label=_("채널 추가 제안 (채널 이름, 비우면 제안 안 함)"), max_length=80, required=False
    )
    logo_url = forms.URLField(label=_("로고 URL"), assume_scheme="https", required=False)
    privacy_policy_url = forms.URLField(label=_("개인정보 처리방침 URL"), assume_scheme="https", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for item, label in ConsentItem.choices:
            self.fields[f"item_{item}"] = forms.ChoiceField(label=label, choices=ITEM_CHOICES, required=False)

    def consent_items(self) -> dict[str, str]:
        return {
            item: self.cleaned_data[f"item_{item}"]
            for item in ConsentItem.values
            if self.cleaned_data.get(f"item_{item}")
        }


class TermForm(forms.Form):
    tag = forms.SlugField(label=_("태그"), max_length=40)
    title = forms.CharField(label=_("제목"), max_length=120)
    text = forms.CharField(label=_("내용"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    url = forms.URLField(label=_("약관 URL"), assume_scheme="https", required=False)
    required = forms.BooleanField(label=_("필수 약관"), required=False, initial=True)
    revocable = forms.BooleanField(label=_("동의 철회 가능"), required=False)


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("연결 끊기 콜백 URL"), assume_scheme="https")
