from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "sangsaeng.messaging"
    label = "messaging"
    verbose_name = _("채팅")

    def ready(self) -> None:
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.messaging.card_types import register_builtin

        register_builtin()
        nav_register(NavItem(key="chat", label=_("채팅"), url_name="messaging:home", icon="chat", order=20))
