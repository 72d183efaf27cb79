"""Chain data: deployed contracts per chain, custodial wallets, the transaction outbox, indexed transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class DeployedContract(models.Model):
    """The contract registry: where each of our contracts lives on each chain."""

    chain_id = models.BigIntegerField()
    name = models.CharField(max_length=64)
    address = models.CharField(max_length=42)
    code_sha256 = models.CharField(max_length=64)
    deploy_tx_hash = models.CharField(max_length=66, blank=True)
    block_number = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain_id", "name"], name="chain_contract_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}@{self.chain_id} {self.address}"


class Wallet(BaseModel):
    """A user's custodial account. The private key is stored only as an envelope (core.crypto)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chain_wallet")
    address = models.CharField(max_length=42, unique=True)
    encrypted_key = models.TextField()
    link_nonce = models.CharField(max_length=64, blank=True)
    linked_address = models.CharField(max_length=42, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.address


class ChainTransaction(BaseModel):
    """One intended transaction in the outbox, from intent to a final receipt."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기")
        SENT = "sent", _("전송됨")
        MINED = "mined", _("블록 포함")
        CONFIRMED = "confirmed", _("확정")
        REVERTED = "reverted", _("되돌려짐")
        FAILED = "failed", _("실패")

    chain_id = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=200)
    operation = models.CharField(max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract_name = models.CharField(max_length=64, blank=True)
    function = models.CharField(max_length=64, blank=True)
    args = models.JSONField(default=list, blank=True)
    to_address = models.CharField(max_length=42, blank=True)
    data = models.TextField()
    value_wei = models.DecimalField(max_digits=78, decimal_places=0, default=0)
    gas = models.BigIntegerField()
    from_address = models.CharField(max_length=42)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    nonce = models.BigIntegerField(null=True, blank=True)
    gas_price_wei = models.DecimalField(max_digits=78, decimal_places=0, null=True, blank=True)
    raw_transaction = models.TextField(blank=True)
    tx_hash = models.CharField(max_length=66, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    revert_reason = models.TextField(blank=True)
    block_number = models.BigIntegerField(null=True, blank=True)
    block_hash = models.CharField(max_length=66, blank=True)
    gas_used = models.BigIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(null=True, blank=True)
    contract_address = models.CharField(max_length=42, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    mined_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain_id", "idempotency_key"], name="chain_tx_unique_key"),
            models.UniqueConstraint(
                fields=["chain_id", "from_address", "nonce"],
                condition=models.Q(nonce__isnull=False),
                name="chain_tx_unique_nonce",
            ),
        ]
        indexes = [models.Index(fields=["chain_id", "status", "nonce"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.status} {self.tx_hash}"

    @property
    def is_final(self) -> bool:
        return self.status in {self.Status.CONFIRMED, self.Status.REVERTED, self.Status.FAILED}


class RelayerLease(models.Model):
    """One worker at a time assigns the relayer's nonces on a chain; the lease names it."""

    chain_id = models.BigIntegerField(unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.chain_id} {self.holder}"


class TokenTransfer(models.Model):
    """A Transfer event of one of our contracts, indexed from the chain."""

    chain_id = models.BigIntegerField()
    contract_address = models.CharField(max_length=42)
    contract_name = models.CharField(max_length=64)
    tx_hash = models.CharField(max_length=66)
    log_index = models.IntegerField()
    block_number = models.BigIntegerField()
    from_address = models.CharField(max_length=42)
    to_address = models.CharField(max_length=42)
    token_id = models.DecimalField(max_digits=78, decimal_places=0, null=True, blank=True)
    amount = models.DecimalField(max_digits=78, decimal_places=0, null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain_id", "tx_hash", "log_index"], name="chain_transfer_unique_log")
        ]
        indexes = [models.Index(fields=["chain_id", "contract_address", "token_id", "block_number"])]

    def __str__(self) -> str:
        return f"{self.contract_name} {self.token_id or self.amount} {self.from_address}->{self.to_address}"


class IndexCursor(models.Model):
    """The last block whose Transfer events are in the database, per chain."""

    chain_id = models.BigIntegerField(unique=True)
    last_block = models.BigIntegerField(default=-1)

    def __str__(self) -> str:
        return f"{self.chain_id}:{self.last_block}"
