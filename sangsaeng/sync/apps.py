from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sangsaeng.sync"
    label = "sync"
    verbose_name = _("싱크")

    def ready(self) -> None:
        from sangsaeng.core.jwks import jwks_register
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.sync import handlers  # noqa: F401  (outbox: account_deleted)
        from sangsaeng.sync.oidc.keys import jwks
        from sangsaeng.sync.services import tokens_purge

        periodic_register("sync_tokens_purge", tokens_purge)
        jwks_register("sync.id_tokens", jwks)

        nav_register(NavItem(key="sync", label=_("연결된 서비스"), url_name="sync:connections", icon="sync", order=800))
