from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.business_cards.models import Card

FIELD_LABELS = [
    ("company", _("회사")),
    ("department", _("부서")),
    ("title", _("직함")),
    ("phones", _("전화번호")),
    ("email", _("이메일")),
    ("address", _("주소")),
    ("website", _("웹사이트")),
    ("photo", _("사진/로고")),
]


class CardForm(forms.Form):
    name = forms.CharField(label=_("이름"), max_length=60)
    company = forms.CharField(label=_("회사"), max_length=100, required=False)
    department = forms.CharField(label=_("부서"), max_length=100, required=False)
    title = forms.CharField(label=_("직함"), max_length=60, required=False)
    phones = forms.CharField(label=_("전화번호"), required=False, help_text=_("여러 개는 쉼표로 구분"))
    email = forms.EmailField(label=_("이메일"), required=False)
    address = forms.CharField(label=_("주소"), max_length=200, required=False)
    website = forms.URLField(label=_("웹사이트"), required=False, assume_scheme="https")
    photo = forms.FileField(label=_("사진 또는 로고"), required=False, help_text=_("JPEG, PNG · 최대 1MB"))
    theme = forms.ChoiceField(label=_("테마"), choices=Card.Theme.choices)
    shown_fields = forms.MultipleChoiceField(
        label=_("받는 사람에게 보일 항목"), choices=FIELD_LABELS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"photo", "shown_fields"}}
        data["visible_fields"] = self.cleaned_data["shown_fields"]
        data["phones"] = [p.strip() for p in data["phones"].split(",") if p.strip()]
        return data

    @classmethod
    def initial_for(cls, card: Card) -> dict[str, Any]:
        return {
            "name": card.name,
            "company": card.company,
            "department": card.department,
            "title": card.title,
            "phones": ", ".join(card.phones),
            "email": card.email,
            "address": card.address,
            "website": card.website,
            "theme": card.theme,
            "shown_fields": card.visible_fields,
        }


class CompanyEmailForm(forms.Form):
    company_email = forms.EmailField(label=_("회사 이메일"))


class CompanyCodeForm(forms.Form):
    code = forms.CharField(label=_("확인 코드"), max_length=10)


class EntryForm(forms.Form):
    note = forms.CharField(label=_("메모"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=_("태그"), required=False, help_text=_("쉼표로 구분"))
