from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthenticityConfig(AppConfig):
    name = "sangsaeng.authenticity"
    label = "authenticity"
    verbose_name = _("정품 인증")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register

        nav_register(
            NavItem(key="authenticity", label=_("정품 인증"), url_name="authenticity:mine", icon="chain", order=70)
        )
