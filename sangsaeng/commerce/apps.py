from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "sangsaeng.commerce"
    label = "commerce"
    verbose_name = _("상점")

    def ready(self) -> None:
        from sangsaeng.commerce import events, notify, paid, passports  # noqa: F401  (outbox handlers)
        from sangsaeng.commerce.cards import cards_register
        from sangsaeng.commerce.checkout import reservations_sweep
        from sangsaeng.commerce.orders import orders_auto_confirm
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        nav_register(NavItem(key="orders", label=_("쇼핑"), url_name="commerce:orders", icon="stores", order=55))
        from sangsaeng.commerce.pay import payee_access_setup

        payee_access_setup()
        cards_register()
        periodic_register("commerce_reservations", reservations_sweep)
        periodic_register("commerce_auto_confirm", orders_auto_confirm)
