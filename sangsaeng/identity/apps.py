from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "sangsaeng.identity"
    label = "identity"
    verbose_name = _("신원 확인")

    def ready(self) -> None:
        from sangsaeng.core.jwks import jwks_register
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.identity import events  # noqa: F401  (outbox handlers)
        from sangsaeng.identity.selectors import issuer_jwks
        from sangsaeng.identity.verification import document_purge_expired

        nav_register(NavItem(key="identity", label=_("내 신분증"), url_name="identity:wallet", icon="vault", order=45))
        periodic_register("identity.document_purge", document_purge_expired)
        jwks_register("identity.issuer", issuer_jwks)
