"""The uploaded spreadsheet, kept under MEDIA_ROOT/imports with a random name (never served directly)."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings


def imports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store_bytes(data: bytes) -> tuple[str, str]:
    """Write the file with a random name; return (stored name, sha256)."""
    root = imports_root()
    root.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(32)
    with open(root / stored_name, "xb") as out:
        out.write(data)
    return stored_name, hashlib.sha256(data).hexdigest()


def read_bytes(stored_name: str) -> bytes:
    return (imports_root() / stored_name).read_bytes()
