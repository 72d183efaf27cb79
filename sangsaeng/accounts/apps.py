from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sangsaeng.accounts"
    label = "accounts"
    verbose_name = _("계정")

    def ready(self) -> None:
        from sangsaeng.accounts import audit_hooks  # noqa: F401  (allauth's and Django's auth signals)
        from sangsaeng.core.navigation import NavItem, nav_register

        nav_register(NavItem(key="home", label=_("홈"), url_name="home", icon="home", order=0, requires_login=False))
        nav_register(NavItem(key="settings", label=_("설정"), url_name="accounts:settings", icon="settings", order=900))
