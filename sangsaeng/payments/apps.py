from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _ledger_health() -> dict[str, Any]:
    from sangsaeng.payments.ledger import ledger_audit

    audit = ledger_audit()
    if not audit["ok"]:
        raise RuntimeError(f"ledger audit failed: {audit}")
    return {"entries": audit["entries"], "accounts": audit["accounts"]}


class PaymentsConfig(AppConfig):
    name = "sangsaeng.payments"
    label = "payments"
    verbose_name = _("상생페이")

    def ready(self) -> None:
        from sangsaeng.core.health import register_check
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.payments.settlements import settle_yesterday

        nav_register(NavItem(key="pay", label=_("페이"), url_name="payments:wallet", icon="wallet", order=60))
        periodic_register("payments.settle", settle_yesterday)
        register_check("ledger", _ledger_health)
