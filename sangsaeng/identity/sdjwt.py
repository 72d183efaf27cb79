"""SD-JWT (RFC 9901) and SD-JWT VC: issuing, presenting with key binding, verifying.

An SD-JWT is an issuer-signed JWT whose payload holds, instead of each selectively disclosable
claim, the SHA-256 digest of a *disclosure* `[salt, name, value]`. The holder reveals a claim by
sending its disclosure next to the JWT; the verifier hashes it and finds the digest in the signed
`_sd` list, so disclosures can't be invented or edited. Undisclosed claims stay hidden behind
digests salted with 128 random bits. Decoy digests hide how many claims there are.

A presentation ends with a KB-JWT signed by the holder key named in `cnf.jwk`. It binds the
verifier's nonce and audience and the hash of exactly the disclosures sent (`sd_hash`), so a
presentation captured by one verifier can't be replayed to another or with other disclosures.

This module is pure: keys, clocks and status lookups come in as arguments, so the verifier can run
anywhere, and tests check it against an independent implementation (the `sd-jwt` library).
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sangsaeng.core.json_bounded import loads_bounded
from sangsaeng.identity import jose
from sangsaeng.identity.jose import JoseError, b64d, b64e

SD_ALG = "sha-256"
VC_TYPES = ("dc+sd-jwt", "vc+sd-jwt")
KB_TYPE = "kb+jwt"
# Claims that are never selectively disclosable (SD-JWT VC §3.2.2.2) and never come from a disclosure.
RESERVED = frozenset({"iss", "nbf", "exp", "iat", "cnf", "vct", "vct#integrity", "status", "_sd", "_sd_alg", "..."})
DEFAULT_LEEWAY = 60
KB_MAX_AGE = 300


class VerificationError(Exception):
    """A presentation that is refused, with a stable reason code for verifiers to switch on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verified:
    issuer: str
    vct: str
    claims: dict[str, Any]
    disclosed: list[str]
    holder_jwk: dict[str, Any] | None
    payload: dict[str, Any] = field(repr=False)


def _digest(text: str) -> str:
    return b64e(hashlib.sha256(text.encode("ascii")).digest())


def disclosure_make(name: str, value: Any) -> str:
    salt = b64e(secrets.token_bytes(16))
    return b64e(json.dumps([salt, name, value], ensure_ascii=False).encode())


def issue(
    *,
    claims: dict[str, Any],
    disclosable: Iterable[str],
    key: ec.EllipticCurvePrivateKey,
    kid: str,
    typ: str = "dc+sd-jwt",
    decoys: int = 2,
) -> str:
    """An SD-JWT in issuance form: `<jwt>~<disclosure>~...~`.

    `claims` holds every claim; those named in `disclosable` are replaced by digests.
    """
    payload: dict[str, Any] = {}
    disclosures: list[str] = []
    hidden = set(disclosable)
    if hidden & RESERVED:
        raise ValueError(f"claims {sorted(hidden & RESERVED)} can't be selectively disclosable")
    digests: list[str] = []
    for name, value in claims.items():
        if name in hidden:
            disclosure = disclosure_make(name, value)
            disclosures.append(disclosure)
            digests.append(_digest(disclosure))
        else:
            payload[name] = value
    digests.extend(_digest(b64e(secrets.token_bytes(32))) for _ in range(decoys))
    random.SystemRandom().shuffle(digests)
    if digests:
        payload["_sd"] = sorted(digests)
        payload["_sd_alg"] = SD_ALG
    token = jose.sign(header={"typ": typ, "kid": kid}, payload=payload, key=key)
    return token + "~" + "".join(d + "~" for d in disclosures)


def split(sd_jwt: str) -> tuple[str, list[str], str]:
    """The issuer JWT, the disclosures, and the KB-JWT ("" when none)."""
    if not isinstance(sd_jwt, str) or "~" not in sd_jwt:
        raise VerificationError("malformed", "An SD-JWT is <jwt>~<disclosures>~[<kb-jwt>].")
    parts = sd_jwt.split("~")
    return parts[0], parts[1:-1], parts[-1]


def disclosure_name(disclosure: str) -> str:
    try:
        decoded = loads_bounded(b64d(disclosure))
    except (JoseError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise VerificationError("malformed_disclosure", "A disclosure is not base64url JSON.") from exc
    if not isinstance(decoded, list) or len(decoded) != 3 or not isinstance(decoded[1], str):
        raise VerificationError("malformed_disclosure", "An object disclosure is [salt, name, value].")
    return decoded[1]


def present(
    *,
    sd_jwt: str,
    disclose: Iterable[str],
    holder_key: ec.EllipticCurvePrivateKey,
    nonce: str,
    audience: str,
    iat: int,
) -> str:
    """A presentation that reveals only the named claims and ends with a KB-JWT."""
    jwt, disclosures, _kb = split(sd_jwt)
    wanted = set(disclose)
    chosen = [d for d in disclosures if disclosure_name(d) in wanted]
    prefix = jwt + "~" + "".join(d + "~" for d in chosen)
    kb = jose.sign(
        header={"typ": KB_TYPE},
        payload={"iat": iat, "aud": audience, "nonce": nonce, "sd_hash": _digest(prefix)},
        key=holder_key,
    )
    return prefix + kb


KeyResolver = Callable[[str, str], ec.EllipticCurvePublicKey | None]
StatusCheck = Callable[[dict[str, Any]], int]


def _time_check(payload: dict[str, Any], now: int, leeway: int) -> None:
    for claim in ("exp", "nbf", "iat"):
        if claim in payload and not isinstance(payload[claim], int):
            raise VerificationError("malformed", f"`{claim}` must be a NumericDate.")
    if "exp" in payload and now > payload["exp"] + leeway:
        raise VerificationError("expired", "The credential has expired.")
    if "nbf" in payload and now + leeway < payload["nbf"]:
        raise VerificationError("not_yet_valid", "The credential is not valid yet.")


def _open_disclosures(payload: dict[str, Any], disclosures: list[str]) -> dict[str, Any]:
    if payload.get("_sd_alg", SD_ALG) != SD_ALG:
        raise VerificationError("unsupported_sd_alg", "Only sha-256 disclosures are accepted.")
    digests = payload.get("_sd", [])
    if not isinstance(digests, list):
        raise VerificationError("malformed", "`_sd` must be an array.")
    allowed = set(digests)
    seen: set[str] = set()
    opened: dict[str, Any] = {}
    for disclosure in disclosures:
        digest = _digest(disclosure)
        if digest in seen:
            raise VerificationError("tampered_disclosure", "A disclosure was sent twice.")
        seen.add(digest)
        if digest not in allowed:
            raise VerificationError("tampered_disclosure", "A disclosure does not match any signed digest.")
        name = disclosure_name(disclosure)
        value = loads_bounded(b64d(disclosure))[2]
        if name in RESERVED or name in payload or name in opened:
            raise VerificationError("tampered_disclosure", f"The disclosure of `{name}` clashes with a claim.")
        opened[name] = value
    return opened


def _check_key_binding(
    *, kb: str, prefix: str, payload: dict[str, Any], nonce: str, audience: str, now: int, leeway: int
) -> dict[str, Any]:
    cnf = payload.get("cnf")
    if not isinstance(cnf, dict) or "jwk" not in cnf:
        raise VerificationError("no_holder_key", "The credential names no holder key (cnf.jwk).")
    if not kb:
        raise VerificationError("key_binding_missing", "The presentation has no key-binding JWT.")
    try:
        holder = jose.jwk_public_key(cnf["jwk"])
        header, claims = jose.verify(kb, key=holder)
    except JoseError as exc:
        raise VerificationError("bad_key_binding", f"The key-binding JWT does not verify: {exc}.") from exc
    if header.get("typ") != KB_TYPE:
        raise VerificationError("bad_key_binding", "The key-binding JWT must have typ kb+jwt.")
    if claims.get("sd_hash") != _digest(prefix):
        raise VerificationError("sd_hash_mismatch", "The key-binding JWT covers other disclosures.")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"].encode(), nonce.encode()):
        raise VerificationError("wrong_nonce", "The presentation was made for another nonce.")
    if claims.get("aud") != audience:
        raise VerificationError("wrong_audience", "The presentation was made for another verifier.")
    iat = claims.get("iat")
    if not isinstance(iat, int) or iat > now + leeway or iat < now - KB_MAX_AGE - leeway:
        raise VerificationError("stale_presentation", "The key-binding JWT is too old or from the future.")
    return dict(cnf["jwk"])


def verify(
    presentation: str,
    *,
    resolve_key: KeyResolver,
    nonce: str,
    audience: str,
    now: int,
    status_check: StatusCheck | None = None,
    require_key_binding: bool = True,
    leeway: int = DEFAULT_LEEWAY,
) -> Verified:
    """Verify an SD-JWT VC presentation; raises VerificationError with the first reason to refuse.

    Order matters: nothing in the payload is trusted before the issuer signature holds.
    """
    jwt, disclosures, kb = split(presentation)
    try:
        header, payload, signing_input, signature = jose.parse(jwt)
    except JoseError as exc:
        raise VerificationError("malformed", f"The issuer JWT is malformed: {exc}.") from exc
    if header.get("typ") not in VC_TYPES:
        raise VerificationError("wrong_type", "The issuer JWT is not an SD-JWT VC (typ dc+sd-jwt).")
    issuer = payload.get("iss")
    if not isinstance(issuer, str) or not isinstance(header.get("kid"), str):
        raise VerificationError("unknown_issuer", "The credential names no issuer key.")
    key = resolve_key(issuer, header["kid"])
    if key is None:
        raise VerificationError("unknown_issuer", f"The issuer {issuer} or its key is not trusted here.")
    try:
        jose.verify_signature(signing_input=signing_input, signature=signature, key=key)
    except JoseError as exc:
        raise VerificationError("bad_signature", "The issuer signature does not verify.") from exc
    _time_check(payload, now, leeway)
    opened = _open_disclosures(payload, disclosures)
    holder = None
    if require_key_binding or kb:
        prefix = jwt + "~" + "".join(d + "~" for d in disclosures)
        holder = _check_key_binding(
            kb=kb, prefix=prefix, payload=payload, nonce=nonce, audience=audience, now=now, leeway=leeway
        )
    if status_check is not None and "status" in payload:
        status = status_check(payload["status"])
        if status == 1:
            raise VerificationError("revoked", "The issuer has revoked this credential.")
        if status != 0:
            raise VerificationError("suspended", "The issuer has suspended this credential.")
    claims = {k: v for k, v in payload.items() if k not in {"_sd", "_sd_alg"}}
    claims.update(opened)
    return Verified(
        issuer=issuer,
        vct=str(payload.get("vct", "")),
        claims=claims,
        disclosed=sorted(opened),
        holder_jwk=holder,
        payload=payload,
    )
