from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "sangsaeng.contributions"
    label = "contributions"
    verbose_name = _("한국어 말뭉치 공유지")

    def ready(self) -> None:
        from sangsaeng.contributions import services  # (and so the contribution_accepted handler)
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        periodic_register("contributions_retry_stalled", services.contributions_retry_stalled)

        nav_register(
            NavItem(key="contributions", label=_("말뭉치 기여"), url_name="contributions:index", icon="book", order=810)
        )
