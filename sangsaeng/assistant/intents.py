"""The Korean intent parser: an utterance becomes a deterministic plan of tool calls.

Small models cannot call tools reliably, so the plan comes from rules over Kiwi's analysis and the
date phrases in `dates`; the model only phrases the answer. The same utterance and `now` always give
the same plan. Text the tools return is never parsed here: only what the user typed plans calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sangsaeng.assistant.dates import date_range, moment

PLACES = {
    "제주도": "제주", "제주": "제주", "서귀포": "서귀포", "부산": "부산", "해운대": "해운대", "서울": "서울",
    "강릉": "강릉", "속초": "속초", "경주": "경주", "여수": "여수", "전주": "전주", "대전": "대전",
    "대구": "대구", "광주": "광주", "인천": "인천", "수원": "수원", "성남": "성남", "판교": "판교",
    "양양": "양양", "통영": "통영", "남해": "남해", "강원도": "강원", "설악산": "설악산", "한라산": "한라산",
    "제천": "제천", "춘천": "춘천", "포항": "포항", "울산": "울산", "도쿄": "도쿄", "오사카": "오사카",
    "파리": "파리", "뉴욕": "뉴욕", "다낭": "다낭", "방콕": "방콕",
}  # fmt: skip
ORDER_STATUS = [
    ("배송 완료", "delivered"), ("배송완료", "delivered"), ("도착한", "delivered"), ("받은", "delivered"),
    ("배송 중", "shipped"), ("배송중", "shipped"), ("배송되고", "shipped"), ("오고 있는", "shipped"),
    ("준비 중", "preparing"), ("준비중", "preparing"), ("결제 대기", "placed"), ("입금 대기", "placed"),
    ("취소", "cancelled"), ("환불", "refunded"), ("구매 확정", "confirmed"), ("결제 완료", "paid"),
]  # fmt: skip
TITLES = (
    "님|씨|대표님|대표|팀장님|팀장|과장님|과장|대리님|대리|주임님|주임"
    "|부장님|부장|이사님|이사|선생님|교수님|실장님|실장|사장님|사장|작가님"
)
# nouns that name the request itself, never what is searched for
STOP = {
    "상품", "제품", "물건", "검색", "파일", "문서", "찾기", "사진", "명함", "주문", "내역", "목록", "거", "것",
    "좀", "나", "내", "저", "제", "때", "정도", "관련", "가격", "쇼핑", "판매", "구매", "보여", "찾아", "뭐",
    "혹시", "싶", "곳", "얼마", "서류", "가능", "있", "하나", "우리", "그", "이", "저번", "최근", "폴더",
    "드라이브", "서랍",
}  # fmt: skip


@dataclass
class ToolCall:
    tool: str
    args: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "args": self.args}


def _nouns(text: str) -> list[str]:
    from sangsaeng.search.selectors import kiwi

    # Kiwi splits compounds (사업계획서 → 사업 + 계획서); nouns written together are joined again
    nouns: list[str] = []
    end = -1
    for token in kiwi().tokenize(text):
        if token.tag not in ("NNG", "NNP", "SL", "SN", "SH"):
            end = -1
            continue
        if token.start == end and nouns:
            nouns[-1] += token.form
        else:
            nouns.append(token.form)
        end = token.start + token.len
    return [n for n in nouns if n not in STOP]


def _place(text: str) -> tuple[str, str]:
    for word, place in sorted(PLACES.items(), key=lambda kv: -len(kv[0])):
        if word in text:
            return place, text.replace(word, " ")
    return "", text


def _person(text: str) -> str:
    match = re.search(rf"([가-힣]{{2,4}}?)\s*(?:{TITLES})", text)
    if match:
        return match.group(1)
    match = re.search(r"([가-힣A-Za-z]{2,10}?)(?:의|한테|에게|께)\s", text + " ")
    if match:
        return match.group(1)
    nouns = [n for n in _nouns(text) if n not in {"연락처", "전화번호", "번호", "이메일", "메일", "명함첩"}]
    return nouns[0] if nouns else ""


def _query(text: str, drop: tuple[str, ...] = ()) -> str:
    return " ".join(n for n in _nouns(text) if n not in drop)


def _quoted(text: str) -> str:
    match = re.search(r"[\"“'‘「]([^\"”'’」]+)[\"”'’」]", text)  # noqa: RUF001  (Korean quotes)
    return match.group(1).strip() if match else ""


def _photos(text: str, now: datetime) -> ToolCall:
    start, end, rest = date_range(text, now)
    place, _ = _place(rest)
    return ToolCall(
        "find_photos",
        {
            "date_from": start.isoformat() if start else None,
            "date_to": end.isoformat() if end else None,
            "place": place,
        },
    )


def _reminder(text: str, now: datetime) -> ToolCall:
    at, rest = moment(text, now)
    said = _quoted(rest)
    if not said:
        said = re.sub(
            r"(이?라고|하라고|한다고|있다고|다고)?\s*(다시\s*)?(알려\s*줘|알려\s*주세요|알림\s*(설정|맞춰)?\s*(해\s*줘|해\s*주세요)?|리마인드\s*(해\s*줘)?|리마인더\s*(설정|등록)?\s*(해\s*줘)?|상기시켜\s*줘)[.!?]*$",
            "",
            rest,
        )
        said = re.sub(r"^(에|에는)\s+", "", said.strip()).strip(" ,.")
    return ToolCall("reminder", {"at": at.isoformat() if at else None, "text": said})


def _draft(text: str) -> ToolCall:
    match = re.search(rf"([가-힣A-Za-z]{{1,10}}?)\s*({TITLES})?\s*(?:한테|에게|께)", text)
    to = match.group(1) if match else ""
    if match and len(to) == 1 and match.group(2):  # 김과장님께: a surname and a title name the person
        to += match.group(2).removesuffix("님")
    said = _quoted(text)
    if not said and match:
        tail = text[match.end() :]
        said = re.sub(
            r"(이?라고|하라고|자고|고)?\s*(메시지|메세지|문자|카톡|답장)?\s*(를|을)?\s*(초안|보낼)?\s*(써|작성해|보내|남겨|전해)\s*(줘|주세요|줄래)?.*$",
            "",
            tail,
        )
        said = said.strip(" ,.")
    return ToolCall("draft_message", {"to": to, "text": said})


RULES: list[tuple[str, re.Pattern[str]]] = [
    ("verify_passport", re.compile(r"정품|진품|가품|위조|짝퉁|패스포트|인증\s*코드|진위")),
    ("reminder", re.compile(r"알려\s*줘.*$|알림|리마인드|리마인더|상기시켜|잊지\s*않게")),
    ("draft_message", re.compile(r"(한테|에게|께)\s*.*(메시지|메세지|문자|카톡|답장|보내|전해|써\s*줘)")),
    ("find_card", re.compile(r"명함|연락처|전화번호|이메일 주소")),
    ("my_orders", re.compile(r"주문|배송|택배|구매\s*내역|산\s*거|시킨")),
    ("my_collection", re.compile(r"컬렉션|소장|에디션|수집한|내가\s*가진\s*작품|보유한\s*작품")),
    ("channel_summary", re.compile(r"채널|새\s*소식|공지.*요약|소식\s*요약|게시물\s*요약")),
    ("find_photos", re.compile(r"사진|동영상|영상|셀카|찍은")),
    ("find_files", re.compile(r"파일|문서|서류|PDF|pdf|엑셀|한글\s*파일|계약서|보고서|견적서|이력서")),
    ("search_products", re.compile(r"상품|제품|살\s*만한|사고\s*싶|구매하고|팔아|파는|쇼핑|추천해\s*줘|얼마")),
]


def _one(text: str, now: datetime) -> ToolCall | None:
    for tool, pattern in RULES:
        if not pattern.search(text):
            continue
        if tool == "reminder":
            # 알려줘 alone is a question ("주문 알려줘"); a reminder needs a time or an explicit word
            explicit = re.search(r"알림|리마인드|리마인더|상기시켜|잊지\s*않게", text)
            if not explicit and moment(text, now)[0] is None:
                continue
            return _reminder(text, now)
        if tool == "find_photos":
            return _photos(text, now)
        if tool == "draft_message":
            return _draft(text)
        if tool == "find_card":
            return ToolCall("find_card", {"name": _person(text)})
        if tool == "my_orders":
            status = next((value for word, value in ORDER_STATUS if word in text), "")
            return ToolCall("my_orders", {"status": status})
        if tool == "my_collection":
            return ToolCall("my_collection", {})
        if tool == "verify_passport":
            code = re.search(r"\b([A-Za-z0-9][A-Za-z0-9-]{2,})\b", text)
            return ToolCall("verify_passport", {"code": code.group(1) if code else ""})
        if tool == "channel_summary":
            name = re.search(r"([가-힣A-Za-z0-9_.@]+?)\s*(?:채널|의\s*새\s*소식|소식)", text)
            channel = name.group(1) if name else ""
            channel = re.sub(r"(의|에서|에)$", "", channel)
            return ToolCall("channel_summary", {"channel": channel.lstrip("@")})
        if tool == "find_files":
            kinds = ("계약서", "보고서", "견적서", "이력서", "PDF", "pdf", "엑셀")
            query = _query(text)
            if not query:
                query = next((k for k in kinds if k in text), "")
            return ToolCall("find_files", {"name": query})
        if tool == "search_products":
            return ToolCall("search_products", {"query": _query(text, drop=("추천", "만", "원"))})
    return None


SPLIT = re.compile(r"\s*(?:그리고|그 다음에|그다음에|그런 다음|또|,\s*그리고)\s+")


def plan(utterance: str, *, now: datetime) -> list[ToolCall]:
    """The tool calls an utterance asks for, in order; [] when it asks for none of them."""
    text = re.sub(r"\s+", " ", utterance).strip()
    calls = []
    for part in SPLIT.split(text):
        call = _one(part, now) if part else None
        if call is not None:
            calls.append(call)
    return calls


def plan_json(utterance: str, *, now: datetime) -> list[dict[str, Any]]:
    return [call.as_dict() for call in plan(utterance, now=now)]
