"""Base schemas for API input: unknown fields are refused, not silently dropped."""

from ninja import Schema
from pydantic import ConfigDict


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid", str_max_length=10_000)
