"""Turning an uploaded or pasted file into documents: txt/md (one document), jsonl (one per line,
`text`, or `instruction` + `response`). Binary files and non-UTF-8 text are refused here."""

from __future__ import annotations

from dataclasses import dataclass

from sangsaeng.core.errors import Problem
from sangsaeng.core.json_bounded import loads_bounded

KINDS = ("txt", "md", "jsonl")


@dataclass
class Document:
    index: int
    text: str


def decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise Problem(
            code="binary_file", ko="텍스트 파일만 받을 수 있습니다.", en="Only text files are accepted.", field="file"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Problem(
            code="wrong_encoding",
            ko="UTF-8로 저장된 파일만 받을 수 있습니다.",
            en="The file must be UTF-8 encoded.",
            field="file",
        ) from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if text and controls / len(text) > 0.01:
        raise Problem(
            code="binary_file", ko="텍스트 파일만 받을 수 있습니다.", en="Only text files are accepted.", field="file"
        )
    return text


def kind_of(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "txt"
    if ext not in KINDS:
        raise Problem(
            code="unsupported_type",
            ko="txt, md, jsonl 파일만 받을 수 있습니다.",
            en="Only txt, md and jsonl files are accepted.",
            field="file",
        )
    return ext


def split(text: str, kind: str) -> list[Document]:
    if kind != "jsonl":
        return [Document(0, text)]
    docs: list[Document] = []
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            item = loads_bounded(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: a line nested thousands deep
            raise Problem(
                code="invalid_jsonl",
                ko=f"{i + 1}번째 줄이 JSON이 아닙니다.",
                en=f"Line {i + 1} is not JSON.",
                field="file",
            ) from exc
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            docs.append(Document(i, item["text"]))
        elif (
            isinstance(item, dict)
            and isinstance(item.get("instruction"), str)
            and isinstance(item.get("response"), str)
        ):
            docs.append(Document(i, f"{item['instruction']}\n\n{item['response']}"))
        else:
            raise Problem(
                code="invalid_jsonl",
                ko=f"{i + 1}번째 줄에 text 또는 instruction/response가 없습니다.",
                en=f"Line {i + 1} has neither text nor instruction/response.",
                field="file",
            )
    return docs
