from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmConfig(AppConfig):
    name = "sangsaeng.lm"
    label = "lm"
    verbose_name = _("한국어 언어 모델")

    def ready(self) -> None:
        from django.conf import settings

        from sangsaeng.core.navigation import NavItem, nav_register

        nav_register(NavItem(key="lm", label=_("언어 모델"), url_name="lm:playground", icon="spark", order=800))
        # torch and transformers load only in the LM process, never in web workers.
        if settings.LM_SERVER_ENABLED and not settings.LM_BASE_URL:
            from sangsaeng.core.serving import extra_process_register
            from sangsaeng.lm.engine.process import lm_server_spec

            extra_process_register(lm_server_spec())
