"""What an uploaded file really is, decided by its content, not by its name or declared type.

Accepted: PDF (without JavaScript or launch actions), JPEG, PNG and OFD (the national layout
format: a ZIP package whose root holds OFD.xml). Refused: executables, scripts, other archives,
anything unrecognised. The name is normalised (trailing dots and spaces, double extensions)
and gets the detected extension; the file is stored with the detected media type. Each user
has a storage quota (`UPLOAD_QUOTA_MB`), and an optional virus scanner (`UPLOAD_SCANNER`, a
dotted path to `scan(file, name) -> str | None`, the reason when infected) sees every file.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from yiwang.errors import invalid_field

KINDS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "ofd": "application/ofd",
}
EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xfe\xed\xfa",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia|XFA)\b")
ARCHIVES = {
    "zip",
    "tar",
    "rar",
    "gz",
    "bz2",
    "7z",
    "xz",
    "cab",
    "Z",
    "lz",
    "lz4",
    "lzo",
    "zst",
    "deb",
    "rpm",
    "ar",
    "br",
    "crx",
}
KNOWN_EXTENSIONS = (
    set(KINDS)
    | ARCHIVES
    | {
        "jpeg",
        "jpe",
        "exe",
        "bat",
        "cmd",
        "com",
        "js",
        "msi",
        "scr",
        "sh",
        "vbs",
        "jar",
        "ps1",
        "dll",
        "html",
        "htm",
        "svg",
        "php",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "txt",
        "bin",
        "elf",
    }
)


@dataclass(frozen=True)
class Inspected:
    kind: str  # pdf | jpg | png | ofd
    content_type: str
    name: str  # normalised, with the detected extension


def quota_bytes() -> int:
    return int(getattr(settings, "UPLOAD_QUOTA_MB", 500)) * 1024 * 1024


def normalised_name(name: str, kind: str) -> str:
    """`evil.exe.` → `evil.pdf`; `plan.pdf.exe` → `plan.pdf`; `a.b.pdf` → `a_b.pdf`."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem = base.strip().rstrip(". ")
    while "." in stem and stem.rsplit(".", 1)[1].strip().lower() in KNOWN_EXTENSIONS:
        stem = stem.rsplit(".", 1)[0].rstrip(". ")
    stem = stem.replace(".", "_").strip(" _") or "file"
    return f"{stem[:200]}.{kind}"


def _refuse(message, code: str):
    return invalid_field("file", message, code=code)


def _read_head(upload: IO[bytes], size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_ofd(upload: IO[bytes]) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = {info.filename for info in package.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "OFD.xml" in names or "ofd.xml" in {name.lower() for name in names}


def _pdf_is_active(upload: IO[bytes]) -> bool:
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(1024 * 1024):
            if PDF_ACTIVE.search(tail + chunk):
                return True
            tail = chunk[-32:]
    finally:
        upload.seek(0)
    return False


def inspect_upload(upload: Any, *, used_bytes: int) -> Inspected:
    """Decide by content what the file is, or refuse it (400 naming `file` and the rule)."""
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    if used_bytes + size > quota_bytes():
        raise _refuse(
            _(
                "Your uploads would take %(used).1f MB of your %(quota)d MB storage; "
                "remove files you no longer need or ask the hall for more."
            )
            % {"used": (used_bytes + size) / 2**20, "quota": quota_bytes() // 2**20},
            "quota_exceeded",
        )
    head = _read_head(upload)
    if head.startswith(EXECUTABLE_MAGIC):
        raise _refuse(_("Programs and scripts may not be uploaded."), "forbidden_type")
    guessed = filetype.guess(head)
    extension = guessed.extension if guessed else None
    if extension == "exe" or extension == "elf":
        raise _refuse(_("Programs and scripts may not be uploaded."), "forbidden_type")
    if extension == "zip" and _is_ofd(upload):
        extension = "ofd"
    elif extension in ARCHIVES:
        raise _refuse(
            _("Archives may not be uploaded: upload each document as PDF, OFD, JPEG or PNG."),
            "forbidden_type",
        )
    if extension not in KINDS:
        raise _refuse(
            _("Only PDF, OFD, JPEG and PNG files may be uploaded; this file is none of them."),
            "forbidden_type",
        )
    if extension == "pdf" and _pdf_is_active(upload):
        raise _refuse(
            _("PDF files with scripts or actions may not be uploaded; print it to a plain PDF."),
            "active_content",
        )
    scanner = getattr(settings, "UPLOAD_SCANNER", "")
    if scanner:
        upload.seek(0)
        reason = import_string(scanner)(upload, upload.name)
        upload.seek(0)
        if reason:
            raise _refuse(
                _("The virus scan refused this file: %(reason)s") % {"reason": reason}, "infected"
            )
    return Inspected(
        kind=extension, content_type=KINDS[extension], name=normalised_name(upload.name, extension)
    )
