from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.payments.models import MAX_AMOUNT


class TopupForm(forms.Form):
    amount = forms.IntegerField(label=_("충전 금액(원)"), min_value=1, max_value=MAX_AMOUNT)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("은행 거래내역 CSV"))


class DepositConfirmForm(forms.Form):
    virtual_account = forms.CharField(label=_("가상계좌 번호"), max_length=20)
    amount = forms.IntegerField(label=_("입금액(원)"), min_value=1, max_value=MAX_AMOUNT)
    depositor = forms.CharField(label=_("입금자명"), max_length=100)
    bank_txn_id = forms.CharField(label=_("은행 거래번호"), max_length=80)
    deposited_on = forms.DateField(label=_("입금일"), widget=forms.DateInput(attrs={"type": "date"}))


class DepositAssignForm(forms.Form):
    virtual_account = forms.CharField(label=_("가상계좌 번호"), max_length=20)
