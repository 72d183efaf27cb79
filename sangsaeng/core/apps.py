from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sangsaeng.core"
    label = "core"
    verbose_name = "sangsaeng core"

    def ready(self) -> None:
        from sangsaeng.core import checks  # noqa: F401  (registers system checks)
