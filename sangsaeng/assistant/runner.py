"""One audited tool call as the asking user: the only way the assistant's tools are run.

Both the intent parser's plan (`loop`) and a function-calling model's requests (`calling`) go through
`tool_run`, so every call, allowed or refused, is checked against the persona and written to the audit
table. A refused request that never reaches a tool (an unknown name, arguments that break the schema,
an action asked for after tool output was read) is audited with `tool_refuse`.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.assistant.models import AuditEntry
from sangsaeng.assistant.tools import PROPOSING, TOOLS, ToolError

log = logging.getLogger(__name__)


def _audit(*, user: Any, tool: str, args: Any, code: str, rows: int, started: float) -> None:
    AuditEntry.objects.create(
        user=user,
        tool=tool[:40],
        args=args if isinstance(args, dict) else {"raw": str(args)[:500]},
        ok=not code,
        error=code[:60],
        results=rows,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def tool_run(
    *, user: Any, tool: str, args: dict[str, Any], allowed: tuple[str, ...], now: datetime | None = None
) -> dict[str, Any]:
    """One audited tool call; a failing tool gives a Korean error in the result, never an exception.

    The tools that propose an action also get `now`, the moment the request was planned against."""
    started = time.perf_counter()
    result: dict[str, Any] = {"tool": tool, "args": args}
    code = ""
    try:
        if tool not in allowed or tool not in TOOLS:
            raise ToolError("not_allowed", _("이 모드에서는 이 기능을 쓸 수 없어요."))
        extra = {"now": now} if tool in PROPOSING and now is not None else {}
        result["data"] = TOOLS[tool](user, **args, **extra)
    except ToolError as exc:
        code, result["error"] = exc.code, exc.message
    except Exception:  # a tool's bug must not break the conversation; it is logged and audited
        log.exception("assistant tool %s failed", tool)
        code, result["error"] = "tool_failed", _("지금은 이 정보를 가져오지 못했어요. 잠시 후 다시 시도해 주세요.")
    _audit(
        user=user, tool=tool, args=args, code=code, rows=len(result.get("data", {}).get("rows", [])), started=started
    )
    return result


def tool_refuse(*, user: Any, tool: str, args: Any, error: ToolError) -> dict[str, Any]:
    """Audit a request that was refused before any tool ran; the result carries the Korean reason."""
    _audit(user=user, tool=tool, args=args, code=error.code, rows=0, started=time.perf_counter())
    return {"tool": tool, "args": args if isinstance(args, dict) else {}, "error": error.message}
