from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "sangsaeng.vault"
    label = "vault"
    verbose_name = _("비밀번호 보관함")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.vault import handlers  # noqa: F401  (outbox handlers: account_deleted)

        nav_register(NavItem(key="vault", label=_("비밀번호"), url_name="vault:settings", icon="vault", order=20))
