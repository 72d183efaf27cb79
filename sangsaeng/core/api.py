"""/api/v1 routes of the core: the user's webhook endpoints and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sangsaeng.core import webhooks
from sangsaeng.core.models import WebhookEndpoint
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["webhooks"])


class EndpointOut(Schema):
    id: UUID
    url: str
    description: str
    events: list[str]
    is_active: bool
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(..., description="The signing secret, shown only in this response.")


class EndpointIn(StrictInput):
    url: str = Field(..., max_length=500, examples=["https://shop.example.com/hooks/sangsaeng"])
    description: str = Field("", max_length=200)
    events: list[str] = Field(default_factory=list, max_length=50, examples=[["order_paid"]])


class DeliveryOut(Schema):
    id: UUID
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    log: list[dict[str, Any]]


def _endpoint(e: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": e.public_id,
        **{k: getattr(e, k) for k in ("url", "description", "events", "is_active", "created_at")},
    }


@router.get("/webhooks", response=list[EndpointOut], summary="Webhook endpoints")
def endpoint_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_endpoint(e) for e in webhooks.endpoint_list(owner=request.auth)]  # type: ignore[attr-defined]


@router.post("/webhooks", response={201: EndpointCreated}, summary="Register a webhook endpoint")
def endpoint_create(request: HttpRequest, payload: EndpointIn) -> Status[dict[str, Any]]:
    endpoint, secret = webhooks.endpoint_create(
        owner=request.auth,  # type: ignore[attr-defined]
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    return Status(201, {**_endpoint(endpoint), "secret": secret})


@router.delete("/webhooks/{endpoint_id}", response={204: None}, summary="Remove a webhook endpoint")
def endpoint_delete(request: HttpRequest, endpoint_id: UUID) -> Status[None]:
    webhooks.endpoint_delete(actor=request.auth, endpoint_id=endpoint_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/webhooks/{endpoint_id}/deliveries", response=list[DeliveryOut], summary="Recent deliveries")
def delivery_list(request: HttpRequest, endpoint_id: UUID) -> list[dict[str, Any]]:
    rows = webhooks.delivery_list(actor=request.auth, endpoint_id=endpoint_id)  # type: ignore[attr-defined]
    return [
        {
            "id": d.public_id,
            **{k: getattr(d, k) for k in ("event", "status", "attempts", "next_attempt_at", "delivered_at", "log")},
        }
        for d in rows
    ]
