from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sangsaeng.partners"
    label = "partners"
    verbose_name = _("채널")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.partners import events  # noqa: F401  (outbox handlers)
        from sangsaeng.partners.broadcasts import broadcasts_send_due

        nav_register(NavItem(key="channels", label=_("채널"), url_name="partners:feed", icon="stores", order=50))
        periodic_register("partners_broadcasts", broadcasts_send_due)
