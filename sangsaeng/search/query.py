"""From what a person typed to a query plan: Kiwi terms, synonyms, typo corrections, prefixes,
or initial consonants (ㄱㅁㅈ -> 김민지)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sangsaeng.search.analysis import analyse
from sangsaeng.search.backends.base import INITIALS, Alternative, Plan
from sangsaeng.search.hangul import edit_distance, is_initials_query, is_syllable, jamo
from sangsaeng.search.models import SynonymGroup, Term

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_CORRECTIONS = 2
CANDIDATES = 400


@dataclass
class Parsed:
    plan: Plan
    terms: list[str] = field(default_factory=list)
    corrections: dict[str, list[str]] = field(default_factory=dict)
    initials: list[str] = field(default_factory=list)


def clean(q: str) -> str:
    """Control characters out, whitespace collapsed, at most MAX_QUERY_CHARS characters."""
    text = "".join(c if c.isprintable() else " " for c in q)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _usable(term: str) -> bool:
    return any(c.isalnum() for c in term)


_synonym_cache: dict[str, object] = {"key": None, "forms": []}


def _synonym_forms() -> list[list[tuple[str, ...]]]:
    """Every synonym group as Kiwi term tuples; analysed again only when a group changed."""
    rows = list(SynonymGroup.objects.values_list("terms", "updated_at").order_by("id"))
    key = tuple(rows)
    if _synonym_cache["key"] != key:
        groups = [[w.strip() for w in terms.split(",") if w.strip()] for terms, _at in rows]
        words = sorted({w for g in groups for w in g})
        analysed = dict(zip(words, (tuple(a.terms) for a in analyse(words)), strict=True))
        _synonym_cache["forms"] = [[analysed[w] for w in g if analysed[w]] for g in groups]
        _synonym_cache["key"] = key
    forms = _synonym_cache["forms"]
    return forms if isinstance(forms, list) else []


def synonyms_for(terms: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """For each query term, the other members of its synonym groups as Kiwi term tuples."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for forms in _synonym_forms():
        singles = {f[0] for f in forms if len(f) == 1}
        for term in terms:
            if term in singles:
                found.setdefault(term, []).extend(f for f in forms if f != (term,))
    return found


def _known(terms: list[str]) -> set[str]:
    return set(Term.objects.filter(term__in=terms, df__gt=0).values_list("term", flat=True))


def corrections_for(term: str) -> list[str]:
    """Indexed terms within a small jamo edit distance of an unknown Hangul term.

    Candidates share the first or the last syllable (one typo rarely hits both ends of a word of
    two or more syllables), which keeps them a prefix lookup on `term` or on `rev` (the term reversed).
    """
    if len(term) < 2 or not all(is_syllable(c) for c in term):
        return []
    target = jamo(term)
    limit = 1 if len(target) <= 6 else 2
    first, last = term[0], term[-1]
    candidates = set(Term.objects.filter(term__startswith=first, df__gt=0).values_list("term", "df")[:CANDIDATES])
    candidates |= set(Term.objects.filter(rev__startswith=last, df__gt=0).values_list("term", "df")[:CANDIDATES])
    scored = []
    for candidate, df in candidates:
        if candidate == term or abs(len(candidate) - len(term)) > 1:
            continue
        distance = edit_distance(target, jamo(candidate), limit)
        if distance <= limit:
            scored.append((distance, -df, candidate))
    return [c for _d, _df, c in sorted(scored)[:MAX_CORRECTIONS]]


def _parse_prefix(text: str) -> Parsed:
    """Autocomplete: the words before the last must all match; the last word is being typed, so
    it matches as a prefix, raw (블루투 -> 블루투스) or as its Kiwi terms (제주도에 -> 제주도)."""
    words = text.split()
    head, last = " ".join(words[:-1]), words[-1]
    head_analysis, last_analysis = analyse([head, last])
    terms = list(dict.fromkeys(t for t in head_analysis.terms if _usable(t)))[: MAX_TERMS - 1]
    plan = Plan(groups=[[Alternative(terms=(t,))] for t in terms], require_all=True)
    last_group = []
    if _usable(last):
        last_group.append(Alternative(terms=(last.lower(),), prefix=True))
    last_terms = tuple(t for t in last_analysis.terms if _usable(t))
    if last_terms and last_terms != (last.lower(),) and last_analysis.only_function_words_dropped:
        last_group.append(Alternative(terms=last_terms, prefix=True))
    if last_group:
        plan.groups.append(last_group)
    return Parsed(plan=plan if plan.groups else Plan(), terms=[*terms, *last_terms])


def parse(q: str, *, prefix_last: bool = False) -> Parsed:
    """The plan for a query. `prefix_last` (autocomplete) lets the last term match as a prefix."""
    text = clean(q)
    if not text:
        return Parsed(plan=Plan())
    if is_initials_query(text):
        words = text.split()[:MAX_TERMS]
        return Parsed(
            plan=Plan(groups=[[Alternative(terms=(w,), prefix=True, column=INITIALS)] for w in words]), initials=words
        )
    if prefix_last:
        return _parse_prefix(text)
    terms = list(dict.fromkeys(t for t in analyse([text])[0].terms if _usable(t)))[:MAX_TERMS]
    if not terms:
        return Parsed(plan=Plan())
    known = _known(terms)
    synonyms = synonyms_for(terms)
    parsed = Parsed(plan=Plan(), terms=terms)
    for i, term in enumerate(terms):
        group = [Alternative(terms=(term,), prefix=prefix_last and i == len(terms) - 1)]
        group.extend(Alternative(terms=s) for s in synonyms.get(term, []))
        if term not in known and term not in synonyms:
            fixes = corrections_for(term)
            if fixes:
                parsed.corrections[term] = fixes
                group.extend(Alternative(terms=(f,)) for f in fixes)
            elif not group[0].prefix:
                group.append(Alternative(terms=(term,), prefix=True))
        parsed.plan.groups.append(group)
    return parsed
