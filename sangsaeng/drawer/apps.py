from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrawerConfig(AppConfig):
    name = "sangsaeng.drawer"
    label = "drawer"
    verbose_name = _("서랍")

    def ready(self) -> None:
        from sangsaeng.core.health import register_check
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.drawer import handlers  # noqa: F401  (the account_deleted handler)
        from sangsaeng.drawer.maintenance import drawer_sweep
        from sangsaeng.drawer.storage import storage_health

        nav_register(NavItem(key="drawer", label=_("서랍"), url_name="drawer:timeline", icon="drawer", order=30))
        periodic_register("drawer", drawer_sweep)
        register_check("drawer_storage", storage_health)
