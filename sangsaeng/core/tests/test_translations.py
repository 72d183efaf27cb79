"""Every English catalogue is complete: no untranslated and no fuzzy (inactive) entries."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _entries(text: str):
    for raw in text.split("\n\n")[1:]:  # the first block is the header
        fuzzy = ", fuzzy" in raw
        block = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[-1].split("msgstr", 1)[0]))
        if "msgid_plural" in block:
            msgstr = "".join(re.findall(r'msgstr\[0\] "(.*)"', block))
        else:
            msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr ", 1)[-1])) if "msgstr " in block else ""
        yield msgid, msgstr, fuzzy


def test_english_catalogues_are_complete():
    problems = []
    catalogues = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))
    assert catalogues
    for po in catalogues:
        for msgid, msgstr, fuzzy in _entries(po.read_text()):
            if not msgid:
                continue
            if fuzzy or not msgstr:
                problems.append(f"{po.relative_to(ROOT)}: {msgid[:50]}")
    assert problems == []
