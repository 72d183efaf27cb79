"""Injection strings sent into every user-writable text field (see test_injection.py).

Each payload carries a MARK the page check looks for: a page may show the payload only escaped, so the
raw dangerous fragment (`UNSAFE`) must never appear in any rendered page while an escaped form of it
(or a refusal) must.
"""

from __future__ import annotations

PAYLOADS: dict[str, str] = {
    "xss_script": '<script>alert("x1")</script>',
    "xss_img_attr": '"><img src=x onerror=alert(2)>',
    "xss_single_quote_attr": "' autofocus onfocus='alert(3)",
    "xss_svg": "<svg/onload=alert(4)>",
    "xss_javascript_url": "javascript:alert(5)//",
    "sql_quote": "x'); DROP TABLE accounts_user; --",
    "sql_tautology": "1' OR '1'='1' -- ",
    "template_django": "{{ settings.SECRET_KEY }}{% debug %}",
    "template_other": "${7*7} #{7*7} <%= 7*7 %>",
    "header_crlf": "name\r\nSet-Cookie: pwned=1\r\n\r\n<b>body</b>",
    "rtl_override": "\u202eexe.jpg\u202c 문서",
    "zero_width_and_emoji": "\u200b\ufeff상생 👩‍👩‍👧‍👦 \U0001f4a9",
    "long_hangul": "가" * 5000,
}

# refused outright (or stripped) by the API: the NUL byte can't live in PostgreSQL text
NUL = "before\x00after"

# fragments that must never appear raw in a page, per payload
UNSAFE: dict[str, list[str]] = {
    "xss_script": ['<script>alert("x1")', "<script>alert(&quot;x1&quot;)"],
    "xss_img_attr": ["<img src=x onerror=alert(2)>"],
    "xss_single_quote_attr": ["' autofocus onfocus='alert(3)"],
    "xss_svg": ["<svg/onload=alert(4)>"],
    "xss_javascript_url": ['href="javascript:alert(5)'],
    "header_crlf": ["<b>body</b>"],
}
