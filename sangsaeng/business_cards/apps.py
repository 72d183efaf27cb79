from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessCardsConfig(AppConfig):
    name = "sangsaeng.business_cards"
    label = "business_cards"
    verbose_name = _("명함")

    def ready(self) -> None:
        from sangsaeng.business_cards import events  # noqa: F401  (outbox handlers)
        from sangsaeng.core.navigation import NavItem, nav_register

        nav_register(NavItem(key="cards", label=_("명함"), url_name="business_cards:list", icon="cards", order=40))
