"""Uploaded files: the type is decided by the content, never by the name."""

import hashlib
import io
import secrets
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The extensions a file of each accepted type may be given, the usual one first. An old Office file (OLE)
# may be any of its three, so it keeps the one it came with if that is one of them, and has none otherwise.
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "application/vnd.ms-office": ("", "doc", "xls", "ppt"),
    OOXML_PARTS["word/"]: ("docx",),
    OOXML_PARTS["xl/"]: ("xlsx",),
    OOXML_PARTS["ppt/"]: ("pptx",),
}


def sniff_content_type(head: bytes, file: UploadedFile | None = None) -> str | None:
    """The content type the bytes show, or None for anything we do not accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(OLE_MAGIC):
        return "application/vnd.ms-office"
    if head.startswith(b"PK\x03\x04") and file is not None:
        return _ooxml_type(file)
    return None


def _ooxml_type(file: UploadedFile) -> str | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for prefix, kind in OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)), None)


def check_upload(file: UploadedFile) -> str:
    """The accepted content type of ``file``, or a ValidationError saying what is wrong."""
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(_("The selected file must be smaller than %(mb)s MB.") % {"mb": limit}, code="too_big")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = sniff_content_type(head, file)
    if content_type is None:
        raise ValidationError(
            _("The selected file must be a PDF, an image (PNG, JPEG, GIF) or a Word, Excel or PowerPoint file."),
            code="type",
        )
    return content_type


def file_name(original: str, content_type: str) -> str:
    """The name a document is given for download: the uploader's name with an extension its content allows.

    ``poly.html`` holding a PDF becomes ``poly.pdf``, so a browser or desktop never opens it as a page.
    """
    leaf = PurePosixPath(original.replace("\\", "/")).name
    printable = "".join(ch for ch in unicodedata.normalize("NFC", leaf) if unicodedata.category(ch)[0] != "C")
    stem, dot, extension = printable.strip().strip(".").rpartition(".")
    if not dot:
        stem, extension = extension, ""
    allowed = EXTENSIONS.get(content_type, ("",))
    chosen = extension.lower() if extension.lower() in allowed else allowed[0]
    stem = stem.strip().strip(".")[:150] or "document"
    return f"{stem}.{chosen}" if chosen else stem


def documents_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


def store(file: UploadedFile) -> tuple[str, str]:
    """Write the file under MEDIA_ROOT with a random name; return (stored name, sha256)."""
    root = documents_root()
    root.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(32)
    digest = hashlib.sha256()
    file.seek(0)
    with open(root / stored_name, "xb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            out.write(chunk)
    return stored_name, digest.hexdigest()


def path_of(stored_name: str) -> Path:
    return documents_root() / stored_name
