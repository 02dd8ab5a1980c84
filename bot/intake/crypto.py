"""Field encryption and keyed lookup hashes for personal data at rest.

The SQLAlchemy column type in models.py encrypts through the process-wide cipher set here, so
models stay plain declarations; the app installs the cipher once at start-up.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import MultiFernet


class CipherNotConfiguredError(RuntimeError):
    """Encrypted columns were used before the service installed its data key."""


_cipher: MultiFernet | None = None


def install_cipher(cipher: MultiFernet) -> None:
    """Use this cipher for every encrypted column from now on."""
    global _cipher
    _cipher = cipher


def current_cipher() -> MultiFernet:
    """The installed cipher; failing loudly beats storing personal data in clear."""
    if _cipher is None:
        raise CipherNotConfiguredError("no data key installed: call install_cipher() first")
    return _cipher


def blind_index(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of a normalised value, so equality lookups work without decrypting.

    The purpose prefix keeps a phone index from ever matching an e-mail or pickup-code index.
    """
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
