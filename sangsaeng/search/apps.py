from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sangsaeng.search"
    label = "search"
    verbose_name = _("검색")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.search import handlers  # outbox handlers and the periodic refresh
        from sangsaeng.search.providers import builtin

        builtin.register()
        periodic_register("search_public_refresh", handlers.search_public_refresh)
        nav_register(NavItem(key="search", label=_("검색"), url_name="search:page", icon="search", order=15))
