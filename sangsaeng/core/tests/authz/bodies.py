"""A valid request body for a REST operation, made from its OpenAPI schema, so that B's call reaches
the object check instead of stopping at validation."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.core.tests.authz.world import jpeg_bytes, png_bytes


def _deref(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict[str, Any], spec: dict[str, Any], name: str = "") -> Any:
    """A value that satisfies `schema`: its example or default, else the simplest of its type."""
    schema = _deref(schema, spec)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _deref(s, spec).get("type") != "null"]
            return example(options[0], spec, name) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {k: example(v, spec, k) for k, v in schema.get("properties", {}).items() if k in required}
    if kind == "array":
        return [example(schema.get("items", {}), spec, name)] * max(1, schema.get("minItems", 0))
    if kind == "integer":
        return max(1, schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format", "")
        if fmt == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        if fmt == "date":
            return "2026-12-01"
        if fmt == "date-time":
            return "2026-12-01T09:00:00+09:00"
        if "email" in name or fmt == "email":
            return "someone@example.com"
        return "x" * max(1, schema.get("minLength", 1))
    return None


def json_body(operation: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return example(content["application/json"]["schema"], spec)


FILES = {
    "png": lambda: SimpleUploadedFile("b.png", png_bytes(), content_type="image/png"),
    "jpeg": lambda: SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg"),
    "csv": lambda: SimpleUploadedFile("b.csv", b"serial,product_name\nB-1,x\n", content_type="text/csv"),
}
