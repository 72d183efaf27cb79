from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class KeyForm(forms.Form):
    label = forms.CharField(label=_("키 이름"), max_length=80)
    partner = forms.CharField(label=_("파트너 (선택)"), max_length=80, required=False)
    requests_per_minute = forms.IntegerField(label=_("분당 요청 수"), min_value=1, max_value=100_000)
    max_concurrent = forms.IntegerField(label=_("동시 요청 수"), min_value=1, max_value=1_000)
    monthly_token_quota = forms.IntegerField(label=_("월 토큰 한도"), min_value=1, max_value=10**12)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["requests_per_minute"].initial = settings.LM_DEFAULT_RPM
        self.fields["max_concurrent"].initial = settings.LM_DEFAULT_CONCURRENCY
        self.fields["monthly_token_quota"].initial = settings.LM_DEFAULT_MONTHLY_TOKENS
