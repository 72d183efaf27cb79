from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.identity.verification import DOCUMENT_TYPES


class DocumentForm(forms.Form):
    document_type = forms.ChoiceField(label=_("신분증 종류"), choices=list(DOCUMENT_TYPES.items()))
    name = forms.CharField(label=_("이름 (신분증과 같게)"), max_length=60)
    birthdate = forms.DateField(label=_("생년월일"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("신분증 사진"),
        help_text=_("JPEG, PNG, WebP · 최대 5MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("휴대전화 번호"), max_length=20)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("인증번호"), max_length=10)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("결정"), choices=[("approve", _("승인")), ("reject", _("반려"))])
    legal_name = forms.CharField(label=_("확인한 이름"), max_length=60, required=False)
    birthdate = forms.DateField(
        label=_("확인한 생년월일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("사유"), max_length=300, required=False)


class PresentForm(forms.Form):
    audience = forms.CharField(label=_("검증자 (audience)"), max_length=300)
    nonce = forms.CharField(label=_("검증자 nonce"), max_length=200, min_length=8)
    disclose = forms.MultipleChoiceField(
        label=_("공개할 항목"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("name", _("이름")),
            ("birthdate", _("생년월일")),
            ("is_over_19", _("만 19세 이상")),
            ("phone_number", _("휴대전화")),
        ],
    )
