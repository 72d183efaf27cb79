"""NTAG 424 DNA Secure Unique NFC (SUN) messages, checked as NXP AN12196 describes.

Every tap the tag rewrites its URL with:
- PICCData: AES-128-CBC(SDMMetaReadKey, IV 0) of a flags byte, the 7-byte UID and the 3-byte
  little-endian SDMReadCtr (or the UID and counter mirrored in plain hex);
- optionally SDMENCFileData: part of the file encrypted with a session key (SV1) and an IV made
  from the counter, so a copied URL shows nothing new;
- SDMMAC: the odd bytes of CMAC(session MAC key, input) where the session MAC key is
  CMAC(SDMFileReadKey, SV2 = 3CC300010080 || UID || SDMReadCtr, zero-padded). The input is empty,
  or the URL text from the encrypted data to just before the MAC (`<ENC hex>&cmac=`).

This module only does the cryptography; whether a counter is fresh is the caller's business,
because only the database knows the last counter seen for a tag.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

SV1_PREFIX = bytes.fromhex("C33C00010080")
SV2_PREFIX = bytes.fromhex("3CC300010080")
UID_MIRRORED = 0x80
COUNTER_MIRRORED = 0x40
TAMPER_STATES = {"C": "closed", "O": "open", "I": "invalid"}


class SunError(ValueError):
    """The SUN parameters are malformed or their MAC does not verify."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SunReading:
    uid: bytes
    counter: int | None
    file_data: bytes | None = None
    tamper: dict[str, str] | None = field(default=None)

    def as_dict(self) -> dict[str, object]:
        return {
            "uid": self.uid.hex().upper(),
            "counter": self.counter,
            "file_data": self.file_data.decode("utf-8", "replace") if self.file_data is not None else None,
            "tamper": self.tamper,
        }


def _aes_cbc(key: bytes, data: bytes, *, iv: bytes = bytes(16), decrypt: bool) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(data) + op.finalize()


def aes_cmac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def _session_vector(prefix: bytes, uid: bytes, counter: bytes) -> bytes:
    vector = prefix + uid + counter
    return vector + bytes(16 - len(vector)) if len(vector) < 16 else vector


def session_mac_key(file_read_key: bytes, uid: bytes, counter: bytes) -> bytes:
    """KSesSDMFileReadMAC = CMAC(SDMFileReadKey, SV2) (AN12196 §3.3)."""
    return aes_cmac(file_read_key, _session_vector(SV2_PREFIX, uid, counter))


def session_enc_key(file_read_key: bytes, uid: bytes, counter: bytes) -> bytes:
    """KSesSDMFileReadENC = CMAC(SDMFileReadKey, SV1)."""
    return aes_cmac(file_read_key, _session_vector(SV1_PREFIX, uid, counter))


def truncated_mac(session_key: bytes, data: bytes) -> bytes:
    """MACt: bytes 1, 3, …, 15 of the 16-byte CMAC."""
    return aes_cmac(session_key, data)[1::2]


def _hex(value: str, *, name: str, length: int | None = None) -> bytes:
    text = (value or "").strip()
    try:
        data = bytes.fromhex(text)
    except ValueError as exc:
        raise SunError(f"{name} is not hexadecimal") from exc
    if length is not None and len(data) != length:
        raise SunError(f"{name} must be {length} bytes")
    return data


def key_parse(value: str, *, name: str = "key") -> bytes:
    return _hex(value, name=name, length=16)


def mac_input(enc_hex: str | None, *, mac_param: str = "cmac") -> bytes:
    """What the tag MACs: nothing, or the encrypted data as the URL spells it up to the MAC."""
    if not enc_hex:
        return b""
    return enc_hex.strip().upper().encode("ascii") + f"&{mac_param}=".encode("ascii")


def _tamper(file_data: bytes | None, plain: str | None) -> dict[str, str] | None:
    """Tag Tamper status, two letters (permanent, current): mirrored in plain or at the start of the file data."""
    text = (plain or "").strip().upper()
    if not text and file_data is not None:
        text = file_data[:2].decode("ascii", "replace").upper()
    if len(text) == 2 and all(ch in TAMPER_STATES for ch in text):
        return {"permanent": TAMPER_STATES[text[0]], "current": TAMPER_STATES[text[1]]}
    return None


def _file_data(file_read_key: bytes, uid: bytes, counter: bytes, enc_hex: str) -> bytes:
    data = _hex(enc_hex, name="enc")
    if not data or len(data) % 16:
        raise SunError("enc must be a whole number of 16-byte blocks")
    key = session_enc_key(file_read_key, uid, counter)
    iv = _aes_cbc(key, counter + bytes(13), decrypt=False)
    return _aes_cbc(key, data, iv=iv, decrypt=True)


def _finish(
    *, file_read_key: bytes, uid: bytes, counter_le: bytes, cmac_hex: str, enc_hex: str | None, tamper: str | None
) -> SunReading:
    given = _hex(cmac_hex, name="cmac", length=8)
    expected = truncated_mac(session_mac_key(file_read_key, uid, counter_le), mac_input(enc_hex))
    if not hmac.compare_digest(given, expected):
        raise SunError("cmac does not verify")
    file_data = _file_data(file_read_key, uid, counter_le, enc_hex) if enc_hex else None
    counter = int.from_bytes(counter_le, "little") if counter_le else None
    return SunReading(uid=uid, counter=counter, file_data=file_data, tamper=_tamper(file_data, tamper))


def sun_verify_encrypted(
    *,
    meta_read_key: bytes,
    file_read_key: bytes,
    picc_data: str,
    cmac: str,
    enc: str | None = None,
    tamper: str | None = None,
) -> SunReading:
    """Decrypt PICCData, then check the MAC (and decrypt SDMENCFileData when present)."""
    plain = _aes_cbc(meta_read_key, _hex(picc_data, name="picc_data", length=16), decrypt=True)
    flags = plain[0]
    if not flags & UID_MIRRORED or (flags & 0x0F) != 7:
        # a wrong meta key decrypts to noise; the flags byte is the first thing that shows it
        raise SunError("picc_data does not decrypt to a UID")
    uid = plain[1:8]
    counter = plain[8:11] if flags & COUNTER_MIRRORED else b""
    return _finish(file_read_key=file_read_key, uid=uid, counter_le=counter, cmac_hex=cmac, enc_hex=enc, tamper=tamper)


def sun_verify_plain(
    *, file_read_key: bytes, uid: str, counter: str, cmac: str, enc: str | None = None, tamper: str | None = None
) -> SunReading:
    """UID and counter mirrored as plain hex (the counter big-endian, as the tag prints it)."""
    uid_bytes = _hex(uid, name="uid", length=7)
    counter_le = _hex(counter, name="ctr", length=3)[::-1] if counter else b""
    return _finish(
        file_read_key=file_read_key, uid=uid_bytes, counter_le=counter_le, cmac_hex=cmac, enc_hex=enc, tamper=tamper
    )


def sun_message(
    *, meta_read_key: bytes, file_read_key: bytes, uid: bytes, counter: int, file_data: bytes | None = None
) -> dict[str, str]:
    """What a tag would put in its URL for this UID and counter: used by tests, the demo and the bench."""
    counter_le = counter.to_bytes(3, "little")
    plain = bytes([0xC7]) + uid + counter_le
    picc = _aes_cbc(meta_read_key, plain + bytes(16 - len(plain)), decrypt=False)
    params = {"picc_data": picc.hex().upper()}
    enc_hex = None
    if file_data is not None:
        key = session_enc_key(file_read_key, uid, counter_le)
        iv = _aes_cbc(key, counter_le + bytes(13), decrypt=False)
        enc_hex = _aes_cbc(key, file_data, iv=iv, decrypt=False).hex().upper()
        params["enc"] = enc_hex
    mac = truncated_mac(session_mac_key(file_read_key, uid, counter_le), mac_input(enc_hex))
    params["cmac"] = mac.hex().upper()
    return params
