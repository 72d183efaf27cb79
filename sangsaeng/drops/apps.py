from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _drops_sweep() -> Any:
    from sangsaeng.drops.minting import drops_sweep

    return drops_sweep()


class DropsConfig(AppConfig):
    name = "sangsaeng.drops"
    label = "drops"
    verbose_name = _("드롭스")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        periodic_register("drops", _drops_sweep)
        nav_register(
            NavItem(
                key="drops", label=_("드롭스"), url_name="drops:home", icon="drops", order=650, requires_login=False
            )
        )
