"""The transaction outbox: business operations write the transaction they intend, and the worker sends it.

`transaction_enqueue` runs inside the caller's database transaction, so the intent commits with
the business change or not at all. The idempotency key makes the intent unique per chain: asking
twice (a retried request, a re-run handler) returns the first row instead of a second mint.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from sangsaeng.chain.gateway import GAS, chain_id, encode_call
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.core.errors import Problem


def _jsonable(value: Any) -> Any:
    """Arguments as the explorer shows them: big integers as text, bytes as hex."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def transaction_enqueue(
    *,
    idempotency_key: str,
    operation: str,
    to_address: str,
    data: str,
    gas: int,
    contract_name: str = "",
    function: str = "",
    args: list[Any] | None = None,
    requested_by: Any = None,
    wake: bool = True,
) -> ChainTransaction:
    """Record an intended relayer transaction once per idempotency key; the worker sends it.

    With `wake`, a worker task is enqueued once the intent commits, so it goes out without waiting
    for the periodic tick; callers that drive the worker themselves (deploys) pass False.
    """
    if not idempotency_key or len(idempotency_key) > 200:
        raise Problem(
            code="invalid_idempotency_key",
            ko="멱등 키는 1~200자여야 합니다.",
            en="The idempotency key must be 1 to 200 characters.",
            field="idempotency_key",
        )
    current_chain = chain_id()
    existing = ChainTransaction.objects.filter(chain_id=current_chain, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = ChainTransaction.objects.create(
                chain_id=current_chain,
                idempotency_key=idempotency_key,
                operation=operation,
                requested_by=requested_by,
                contract_name=contract_name,
                function=function,
                args=[_jsonable(a) for a in (args or [])],
                to_address=to_address,
                data=data,
                gas=gas,
                from_address=relayer_account().address,
            )
    except IntegrityError:
        return ChainTransaction.objects.get(chain_id=current_chain, idempotency_key=idempotency_key)
    if wake:
        transaction.on_commit(_wake_worker)
    return row


def _wake_worker() -> None:
    from sangsaeng.chain.tasks import process_chain_outbox

    process_chain_outbox.enqueue()


def contract_call_enqueue(
    *,
    idempotency_key: str,
    operation: str,
    contract_name: str,
    function: str,
    args: list[Any],
    gas: int | None = None,
    requested_by: Any = None,
) -> ChainTransaction:
    """Enqueue a call of one of our registered contracts by the relayer."""
    from sangsaeng.chain.registry import contract_address

    return transaction_enqueue(
        idempotency_key=idempotency_key,
        operation=operation,
        to_address=contract_address(contract_name),
        data=encode_call(contract_name, function, args),
        gas=gas or GAS[f"{contract_name}.{function}"],
        contract_name=contract_name,
        function=function,
        args=args,
        requested_by=requested_by,
    )
