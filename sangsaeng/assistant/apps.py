from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "sangsaeng.assistant"
    label = "assistant"
    verbose_name = _("비서")

    def ready(self) -> None:
        from sangsaeng.assistant import chat  # noqa: F401  (registers the outbox handler)
        from sangsaeng.assistant.cards import cards_register
        from sangsaeng.assistant.memory import turns_expire
        from sangsaeng.assistant.services import assistant_sweep
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        nav_register(NavItem(key="assistant", label=_("비서"), url_name="assistant:chat", icon="spark", order=90))
        periodic_register("assistant", turns_expire)
        periodic_register("assistant_actions", assistant_sweep)
        cards_register()
