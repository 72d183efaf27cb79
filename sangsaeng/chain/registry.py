"""The contract registry: which address each of our contracts has on the connected chain."""

from __future__ import annotations

from sangsaeng.chain.gateway import chain_id
from sangsaeng.chain.models import DeployedContract
from sangsaeng.core.errors import Problem


def contract_address(name: str) -> str:
    row = DeployedContract.objects.filter(chain_id=chain_id(), name=name).first()
    if row is None:
        raise Problem(
            code="contract_not_deployed",
            status=503,
            ko=f"{name} 계약이 아직 배포되지 않았습니다. `sangsaeng chain deploy`를 실행하세요.",
            en=f"The {name} contract is not deployed on this chain yet; run `sangsaeng chain deploy`.",
        )
    return row.address


def contract_names_by_address() -> dict[str, str]:
    return {row.address.lower(): row.name for row in DeployedContract.objects.filter(chain_id=chain_id())}
