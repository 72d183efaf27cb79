"""JSON schemas of the assistant's tools, as a function-calling model sees them, and their check.

The schemas are what `calling` sends as `tools=[...]` to an OpenAI-compatible chat completions
endpoint. A model's arguments are checked here before any tool runs: bad JSON, an unknown tool, a
missing or unknown argument, a wrong type, a value outside an enum or a malformed date become a
`ToolError` that goes back to the model as a tool message, never a crash.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.assistant.tools import ToolError
from sangsaeng.core.json_bounded import loads_bounded

DATE = r"^\d{4}-\d{2}-\d{2}$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?$"
ORDER_STATUSES = ["", "placed", "paid", "preparing", "shipped", "delivered", "confirmed", "cancelled", "refunded"]


def _text(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _schema(description: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "description": description,
        "parameters": {
            "type": "object",
            "properties": properties,
            "required": list(required),
            "additionalProperties": False,
        },
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "find_photos": _schema(
        "내 서랍의 사진과 동영상을 찾아요. Find my photos and videos in the Drawer by date and place.",
        {
            "date_from": {"type": ["string", "null"], "pattern": DATE, "description": "첫날 first day, YYYY-MM-DD"},
            "date_to": {"type": ["string", "null"], "pattern": DATE, "description": "마지막 날 last day, YYYY-MM-DD"},
            "place": _text("장소 place, e.g. 제주"),
        },
    ),
    "find_files": _schema(
        "내 서랍의 파일을 이름으로 찾아요. Find my files in the Drawer by name.",
        {"name": _text("파일 이름에 든 낱말 words in the file's name", minLength=1)},
        ("name",),
    ),
    "find_card": _schema(
        "내 명함첩에서 명함을 찾아요. Find a business card in my card book.",
        {"name": _text("사람 이름 the person's name", minLength=1)},
        ("name",),
    ),
    "my_orders": _schema(
        "내 주문(구매자로서)을 보여줘요. List my orders as a buyer, newest first.",
        {"status": _text("주문 상태 order status; empty for all", enum=ORDER_STATUSES)},
    ),
    "search_products": _schema(
        "상점의 상품을 검색해요. Search the stores' products.",
        {"query": _text("검색어 search words", minLength=1)},
        ("query",),
    ),
    "verify_passport": _schema(
        "정품 인증 번호를 확인해요. Check a product passport's number.",
        {"code": _text("정품 인증 번호(숫자) the passport's number", minLength=1)},
        ("code",),
    ),
    "my_collection": _schema("내가 가진 디지털 작품을 보여줘요. List the digital art editions I own.", {}),
    "channel_summary": _schema(
        "채널의 최근 소식을 보여줘요. Recent posts of a partner channel.",
        {"channel": _text("채널 이름이나 핸들 the channel's name or handle", minLength=1)},
        ("channel",),
    ),
    "reminder": _schema(
        "알림을 제안해요(사용자가 확인해야 설정됨). Propose a reminder; it is set only when the user confirms.",
        {
            "at": _text("언제 when, YYYY-MM-DDTHH:MM in Asia/Seoul", pattern=DATETIME),
            "text": _text("알릴 내용 what to remind"),
        },
        ("at", "text"),
    ),
    "draft_message": _schema(
        "메시지 초안을 제안해요(사용자가 확인해야 보냄). Propose a message draft; sent only when the user confirms.",
        {
            "to": _text("받는 사람(대화방 이름) the recipient as the user calls them", minLength=1),
            "text": _text("보낼 내용 the message", minLength=1),
        },
        ("to", "text"),
    ),
}


def tools_for(allowed: tuple[str, ...]) -> list[dict[str, Any]]:
    """The `tools` of a chat completions request: the persona's tools only."""
    return [{"type": "function", "function": {"name": name, **SCHEMAS[name]}} for name in allowed if name in SCHEMAS]


def _bad(detail: str) -> ToolError:
    return ToolError("bad_arguments", _("요청 인자가 올바르지 않아요: %(detail)s") % {"detail": detail})


def _check_value(name: str, value: Any, rule: dict[str, Any]) -> None:
    types = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
    if value is None:
        if "null" not in types:
            raise _bad(f"{name} is null")
        return
    if not isinstance(value, str):  # every argument of every tool is a string
        raise _bad(f"{name} must be a string")
    if "enum" in rule and value not in rule["enum"]:
        raise _bad(f"{name} must be one of {rule['enum']}")
    if len(value) < rule.get("minLength", 0):
        raise _bad(f"{name} is empty")
    if len(value) > 500:
        raise _bad(f"{name} is too long")
    if "pattern" in rule and not re.match(rule["pattern"], value):
        raise _bad(f"{name} does not match {rule['pattern']}")


def arguments_check(tool: str, raw: Any) -> dict[str, Any]:
    """A model's arguments for `tool`, parsed and checked against its schema; ToolError otherwise."""
    if tool not in SCHEMAS:
        raise ToolError("unknown_tool", _("그런 도구는 없어요."))
    if isinstance(raw, str):
        try:
            raw = loads_bounded(raw or "{}")
        except (ValueError, RecursionError):
            raise _bad("not JSON") from None
    if not isinstance(raw, dict):
        raise _bad("not a JSON object")
    parameters = SCHEMAS[tool]["parameters"]
    unknown = sorted(set(raw) - set(parameters["properties"]))
    if unknown:
        raise _bad(f"unknown {', '.join(unknown)}")
    missing = [name for name in parameters["required"] if name not in raw]
    if missing:
        raise _bad(f"missing {', '.join(missing)}")
    for name, value in raw.items():
        _check_value(name, value, parameters["properties"][name])
    return dict(raw)
