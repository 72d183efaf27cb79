from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainConfig(AppConfig):
    name = "sangsaeng.chain"
    label = "chain"
    verbose_name = _("체인")

    def ready(self) -> None:
        from django.conf import settings

        from sangsaeng.chain.health import chain_health
        from sangsaeng.chain.worker import chain_sweep
        from sangsaeng.core.health import register_check
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        periodic_register("chain", chain_sweep)
        register_check("chain", chain_health)
        nav_register(NavItem(key="chain", label=_("체인"), url_name="chain:home", icon="chain", order=700))
        if not settings.CHAIN_RPC_URL:
            from sangsaeng.chain.node.process import node_spec
            from sangsaeng.core.serving import extra_process_register

            extra_process_register(node_spec())
