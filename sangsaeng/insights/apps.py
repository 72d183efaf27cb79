from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "sangsaeng.insights"
    label = "insights"
    verbose_name = _("파트너 데이터")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register
        from sangsaeng.insights import bridge, jobs

        nav_register(
            NavItem(key="insights", label=_("파트너 데이터"), url_name="insights:partners", icon="chart", order=75)
        )
        bridge.register()  # channel staff see their channel's data; commerce and partners events feed it
        periodic_register("insights.compact", jobs.compact_job)
        periodic_register("insights.weekly_reports", jobs.weekly_reports_job)
