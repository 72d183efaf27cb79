"""`sangsaeng bench identity`: SD-JWT VC presentation verifications per second against bare ES256 JWTs.

Both run in this process, in the same run, on the same keys:
- `sdjwt_verify`: a full presentation check as the verifier endpoint does it: split, issuer signature,
  expiry, every disclosure's digest, the KB-JWT's signature, nonce, audience and sd_hash, and the
  status bit read from a decoded Token Status List;
- `bare_jwt_verify`: one compact ES256 JWT of the same byte length, parsed and signature-checked.

A presentation carries two signatures (issuer and holder), so the ratio's ceiling is about 0.5.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from bench.harness import record_samples
from sangsaeng.identity import jose, sdjwt, statuslist

NAME = "identity"
NONCE = "bench-nonce-0123456789"
AUDIENCE = "https://shop.example"


def _rate(fn: Callable[[], object], seconds: float, series: str, *, baseline: bool = False) -> dict[str, float]:
    for _ in range(50):  # warm caches and the allocator
        fn()
    count = 0
    batches = []  # ms per verification, averaged over each batch of 100 (for the plots)
    started = time.perf_counter()
    deadline = started + seconds
    batch_started = started
    while True:
        for _ in range(100):
            fn()
        count += 100
        now = time.perf_counter()
        batches.append((now - batch_started) * 1000 / 100)
        batch_started = now
        if now >= deadline:
            break
    elapsed = now - started
    record_samples(series, batches, baseline=baseline)
    return {"per_second": round(count / elapsed, 1), "us_each": round(elapsed / count * 1e6, 1), "count": count}


def _fixtures(disclose: list[str]) -> tuple[str, str, ec.EllipticCurvePublicKey, str]:
    issuer = ec.generate_private_key(ec.SECP256R1())
    holder = ec.generate_private_key(ec.SECP256R1())
    now = int(time.time())
    claims = {
        "iss": "https://sangsaeng.example",
        "iat": now,
        "exp": now + 86_400,
        "vct": "https://sangsaeng.example/vct/identity",
        "cnf": {"jwk": jose.public_jwk(holder.public_key())},
        "status": {"status_list": {"idx": 4242, "uri": "https://sangsaeng.example/identity/status/1"}},
        "name": "김상생",
        "birthdate": "1990-11-17",
        "is_over_19": True,
        "phone_number": "+821020211117",
    }
    token = sdjwt.issue(
        claims=claims, disclosable=["name", "birthdate", "is_over_19", "phone_number"], key=issuer, kid="k1"
    )
    presentation = sdjwt.present(
        sd_jwt=token, disclose=disclose, holder_key=holder, nonce=NONCE, audience=AUDIENCE, iat=now
    )
    # A plain JWT whose compact form is as long as the presentation.
    padding = "x"
    bare = jose.sign(header={"typ": "JWT"}, payload={"iss": claims["iss"], "pad": padding}, key=issuer)
    padding = "x" * max(1, 1 + (len(presentation) - len(bare)) * 3 // 4)  # base64url: 4 chars per 3 bytes
    bare = jose.sign(header={"typ": "JWT"}, payload={"iss": claims["iss"], "pad": padding}, key=issuer)
    lst = statuslist.bits_encode({7, 99}, size=131_072)
    return presentation, bare, issuer.public_key(), lst


def run(options: dict[str, Any]) -> dict[str, Any]:
    seconds = float(options.get("seconds", 5))
    disclose = str(options.get("disclose", "is_over_19")).split(",")
    presentation, bare, issuer_key, lst = _fixtures(disclose)
    data = zlib.decompress(jose.b64d(lst))  # verifiers cache the decoded list for its ttl
    now = int(time.time())

    def status_check(status: dict[str, Any]) -> int:
        index = status["status_list"]["idx"]
        return (data[index // 8] >> (index % 8)) & 1

    def verify_presentation() -> object:
        return sdjwt.verify(
            presentation,
            resolve_key=lambda iss, kid: issuer_key,
            nonce=NONCE,
            audience=AUDIENCE,
            now=now,
            status_check=status_check,
        )

    def verify_bare() -> object:
        return jose.verify(bare, key=issuer_key)

    assert verify_presentation() is not None
    results = {
        "bare_jwt_verify": _rate(verify_bare, seconds, "bare_jwt_verify_per_100", baseline=True),
        "sdjwt_verify": _rate(verify_presentation, seconds, "sdjwt_verify_per_100"),
    }
    return {
        "name": NAME,
        "seconds": seconds,
        "disclosed": disclose,
        "bytes": {"presentation": len(presentation), "bare_jwt": len(bare)},
        "rps": {k: v["per_second"] for k, v in results.items()},
        "us_each": {k: v["us_each"] for k, v in results.items()},
        "ratio": {
            "sdjwt_vs_bare_jwt": round(
                results["sdjwt_verify"]["per_second"] / results["bare_jwt_verify"]["per_second"], 3
            )
        },
    }
