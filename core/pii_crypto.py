"""Personal numbers at rest: SM4-GCM (or AES-256-GCM) encryption and HMAC-SM3 blind indexes.

A stored value is "<key id>$" + base64(12-byte nonce | ciphertext | 16-byte tag): a fresh nonce
per value, so equal numbers never look equal in the database, and the key id says which key of
the ring opens it (the first key of PII_KEYS encrypts, all of them decrypt). An exact lookup
cannot match a ciphertext, so each searchable number also keeps a blind index: an HMAC-SM3 of
its normal form under a key of its own (PII_INDEX_KEY), which finds equal numbers without
revealing them to someone who lacks that key.

Settings (weidu/settings.py reads them from the environment):
  PII_KEYS       {key id: key bytes}, in order: the first encrypts
  PII_INDEX_KEY  bytes of the blind-index key
  PII_CIPHER     "SM4-GCM" (default) or "AES-256-GCM"
"""

import base64
import binascii
import functools
import hmac as std_hmac
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

try:  # refused by name at start (core.pii_checks) rather than as an ImportError deep in a page
    from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
except ImportError:  # pragma: no cover - the system check reports it
    Cipher = None

SM4_GCM = "SM4-GCM"
AES_256_GCM = "AES-256-GCM"
KEY_BYTES = {SM4_GCM: 16, AES_256_GCM: 32}
NONCE_BYTES = 12
TAG_BYTES = 16
SEPARATOR = "$"


class PiiKeyError(Exception):
    """A stored value no key of the ring opens: unknown key id, wrong key, or tampered."""


def parse_keys(text: str) -> dict[str, bytes]:
    """ "k2:base64,k1:base64" → {"k2": bytes, "k1": bytes} (order kept: the first encrypts)."""
    keys = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        key_id, _, encoded = item.partition(":")
        key_id = key_id.strip()
        if not key_id or not encoded or SEPARATOR in key_id:
            raise ImproperlyConfigured(f"PII_KEYS: {item[:20]!r}… is not 'id:base64key'.")
        try:
            keys[key_id] = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as error:
            raise ImproperlyConfigured(f"PII_KEYS: the key {key_id!r} is not base64.") from error
    return keys


def parse_key(text: str, name: str) -> bytes:
    try:
        return base64.b64decode((text or "").strip(), validate=True)
    except binascii.Error as error:
        raise ImproperlyConfigured(f"{name} is not base64.") from error


def _algorithm(key: bytes):
    return _cached_algorithm(settings.PII_CIPHER, key)


@functools.lru_cache(maxsize=16)
def _cached_algorithm(cipher: str, key: bytes):
    # Building the algorithm object checks the key each time: a third of an encryption's cost.
    return algorithms.AES(key) if cipher == AES_256_GCM else algorithms.SM4(key)


@functools.lru_cache(maxsize=4)
def _keyed_sm3(key: bytes):
    """An HMAC-SM3 with the key already set up, copied for each message (3x faster)."""
    return crypto_hmac.HMAC(key, hashes.SM3())


def _keys() -> dict[str, bytes]:
    return settings.PII_KEYS


def current_key_id() -> str:
    return next(iter(_keys()))


def key_id_of(stored: str) -> str | None:
    """The key id a stored value names, or None for a blank or unencrypted value."""
    key_id, separator, _ = (stored or "").partition(SEPARATOR)
    return key_id if separator else None


def encrypt(plain: str, purpose: str, key_id: str | None = None) -> str:
    """`plain` encrypted under the current key; `purpose` is bound in as associated data, so a
    phone ciphertext copied into an ID-number column does not open."""
    key_id = key_id or current_key_id()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(_algorithm(_keys()[key_id]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return key_id + SEPARATOR + base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt(stored: str, purpose: str) -> str:
    key_id = key_id_of(stored)
    key = _keys().get(key_id) if key_id else None
    if key is None:
        raise PiiKeyError(f"No key {key_id!r} in PII_KEYS for a stored {purpose}.")
    try:
        raw = base64.b64decode(stored[len(key_id) + 1 :], validate=True)
    except binascii.Error as error:
        raise PiiKeyError(f"A stored {purpose} is not base64.") from error
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    if len(nonce) != NONCE_BYTES or len(tag) != TAG_BYTES:
        raise PiiKeyError(f"A stored {purpose} is too short.")
    decryptor = Cipher(_algorithm(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as error:
        raise PiiKeyError(f"The key {key_id!r} does not open a stored {purpose}.") from error


def blind_index(plain: str, purpose: str) -> str:
    """HMAC-SM3 of `purpose` and the normal form: equal numbers, equal index (43 characters of
    base64url: few digits in a row, so an index never looks like a phone number)."""
    mac = _keyed_sm3(settings.PII_INDEX_KEY).copy()
    mac.update(purpose.encode() + b"\x00" + plain.encode())
    return base64.urlsafe_b64encode(mac.finalize()).decode().rstrip("=")


def sm3_hmac(key: bytes, data: bytes) -> bytes:
    mac = _keyed_sm3(key).copy()
    mac.update(data)
    return mac.finalize()


def same_mac(first: bytes, second: bytes) -> bool:
    return std_hmac.compare_digest(first, second)


# --- The start-up check ---------------------------------------------------------------------------


@functools.cache
def missing_algorithms() -> list[str]:
    """The national algorithms this OpenSSL build (through `cryptography`) lacks, by name."""
    if Cipher is None:  # the package itself is missing
        return ["SM4-GCM", "SM3"]
    missing = []
    try:
        encryptor = Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
        encryptor.update(b"x")
        encryptor.finalize()
    except (UnsupportedAlgorithm, ValueError, AttributeError):
        missing.append("SM4-GCM")
    try:
        sm3_hmac(b"k", b"x")
    except (UnsupportedAlgorithm, ValueError, AttributeError):
        missing.append("SM3")
    return missing


def key_problems() -> list[str]:
    """What is wrong with the configured keys (empty when nothing is)."""
    problems = []
    cipher = settings.PII_CIPHER
    if cipher not in KEY_BYTES:
        return [f"PII_CIPHER is {cipher!r}; use {SM4_GCM!r} or {AES_256_GCM!r}."]
    if not settings.PII_KEYS:
        problems.append("PII_KEYS is empty: set at least one 'id:base64key'.")
    for key_id, key in settings.PII_KEYS.items():
        if len(key) != KEY_BYTES[cipher]:
            problems.append(
                f"PII_KEYS: the key {key_id!r} has {len(key)} bytes; {cipher} needs "
                f"{KEY_BYTES[cipher]}."
            )
    if len(settings.PII_INDEX_KEY) < 16:
        problems.append("PII_INDEX_KEY must have at least 16 bytes.")
    if settings.PII_INDEX_KEY in settings.PII_KEYS.values():
        problems.append("PII_INDEX_KEY must differ from every key of PII_KEYS.")
    return problems
