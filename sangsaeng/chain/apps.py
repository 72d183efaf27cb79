from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _chain_sweep() -> Any:
    # web3 and py-evm load on first use, not in every process that starts Django
    from sangsaeng.chain.worker import chain_sweep

    return chain_sweep()


def _chain_health() -> dict[str, Any]:
    from sangsaeng.chain.health import chain_health

    return chain_health()


class ChainConfig(AppConfig):
    name = "sangsaeng.chain"
    label = "chain"
    verbose_name = _("체인")

    def ready(self) -> None:
        from django.conf import settings

        from sangsaeng.core.health import register_check
        from sangsaeng.core.navigation import NavItem, nav_register
        from sangsaeng.core.periodic import periodic_register

        periodic_register("chain", _chain_sweep)
        register_check("chain", _chain_health)
        nav_register(NavItem(key="chain", label=_("체인"), url_name="chain:home", icon="chain", order=700))
        if not settings.CHAIN_RPC_URL:
            from sangsaeng.chain.node.process import node_spec
            from sangsaeng.core.serving import extra_process_register

            extra_process_register(node_spec())
