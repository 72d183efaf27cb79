from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Address, User


class NoColon:
    """Korean labels read better without Django's trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProfileForm(NoColon, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "phone", "birthdate", "gender"]
        widgets = {"birthdate": forms.DateInput(attrs={"type": "date"})}


class AddressForm(NoColon, forms.ModelForm):
    class Meta:
        model = Address
        fields = [
            "name",
            "type",
            "zone_number",
            "base_address",
            "detail_address",
            "receiver_name",
            "receiver_phone_number1",
            "receiver_phone_number2",
            "is_default",
        ]
        widgets = {"zone_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"})}


class TokenForm(NoColon, forms.Form):
    label = forms.CharField(label=_("이름"), max_length=60)
    expires_in_days = forms.IntegerField(label=_("만료 (일)"), min_value=1, max_value=3650, required=False)


class DeleteAccountForm(NoColon, forms.Form):
    password = forms.CharField(label=_("비밀번호"), widget=forms.PasswordInput, max_length=200)
    confirm = forms.BooleanField(label=_("계정과 모든 데이터를 삭제하는 데 동의합니다."))
