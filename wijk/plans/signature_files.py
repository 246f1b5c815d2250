"""The files of a signature, checked by what they contain: never by their name or by the
content type the browser sends.

- A signature drawn on the screen arrives as a `data:image/png;base64,…` URL from the canvas
  (wijk/plans/static/plans/signing.js): it must decode to a real PNG image of a sensible size.
- A scanned paper signature is an upload: a PDF, PNG or JPEG by its first bytes (and an image
  that Pillow can read), at most `WIJK_SIGNATURE_SCAN_MAX_BYTES`.

Each check returns the bytes with their content type, or raises `ValidationFailed` with one
Dutch message at the form field. Storing the file is wijk.core.private_files."""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from wijk.core.errors import ValidationFailed

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
SUFFIXES = {PNG: ".png", JPEG: ".jpg", PDF: ".pdf"}

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"
_DATA_URL_PREFIX = "data:image/png;base64,"

# A drawing from the canvas is a few tens of kilobytes; a scan of one page at 300 dpi is at
# most some 3500 x 5000 pixels. Larger images are refused before they are decoded.
DRAWING_MAX_BYTES = 1024 * 1024
DRAWING_MAX_PIXELS = 4000 * 2000
SCAN_MAX_PIXELS = 8000 * 8000

WRONG_TYPE = _("Kies een bestand van het type PDF, PNG of JPEG.")
NO_DRAWING = _("Er is nog geen handtekening getekend. Laat de inwoner tekenen in het vak.")
BAD_DRAWING = _("De tekening kon niet worden gelezen. Wis het vak en teken opnieuw.")


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.content_type]


def content_type_of(data: bytes) -> str | None:
    """PDF, PNG or JPEG by the file's first bytes; None for anything else."""
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_PDF_MAGIC):
        return PDF
    return None


def _image_readable(data: bytes, *, format_name: str, max_pixels: int) -> bool:
    """Pillow reads the header and checks the whole file (`verify`) without decoding the
    pixels; an image larger than `max_pixels` is refused before anything else."""
    try:
        with Image.open(io.BytesIO(data), formats=[format_name]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def drawing_from_data_url(value: str, *, field: str = "drawing") -> CheckedFile:
    """The PNG the canvas produced, from its data URL."""
    value = value.strip()
    if not value:
        raise ValidationFailed(fields={field: str(NO_DRAWING)})
    # Base64 is 4 characters for 3 bytes: refuse an oversized value before decoding it.
    if not value.startswith(_DATA_URL_PREFIX) or len(value) > DRAWING_MAX_BYTES * 4 // 3 + 64:
        raise ValidationFailed(fields={field: str(BAD_DRAWING)})
    try:
        data = base64.b64decode(value.removeprefix(_DATA_URL_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(fields={field: str(BAD_DRAWING)}) from None
    if (
        len(data) > DRAWING_MAX_BYTES
        or content_type_of(data) != PNG
        or not _image_readable(data, format_name="PNG", max_pixels=DRAWING_MAX_PIXELS)
    ):
        raise ValidationFailed(fields={field: str(BAD_DRAWING)})
    return CheckedFile(data=data, content_type=PNG)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def scan_too_large() -> str:
    """What the signing page says about a scan larger than the cap: here, and in the view
    when the upload handler dropped it while it arrived (wijk.core.uploads)."""
    limit: int = settings.WIJK_SIGNATURE_SCAN_MAX_BYTES
    return str(
        _("Het bestand is te groot. Het mag hooguit %(size)s MB zijn.")
        % {"size": _megabytes(limit)}
    )


def scan_from_upload(upload: UploadedFile[bytes] | None, *, field: str = "scan") -> CheckedFile:
    """The uploaded scan, when it is a PDF, PNG or JPEG by its content and not too large."""
    limit: int = settings.WIJK_SIGNATURE_SCAN_MAX_BYTES
    if upload is None:
        raise ValidationFailed(fields={field: str(_("Kies het bestand met de scan."))})
    if upload.size is not None and upload.size > limit:
        raise ValidationFailed(fields={field: scan_too_large()})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the size the browser gave was wrong
        raise ValidationFailed(fields={field: scan_too_large()})
    content_type = content_type_of(data)
    if content_type is None:
        raise ValidationFailed(fields={field: str(WRONG_TYPE)})
    if content_type == PDF:
        if b"%%EOF" not in data[-1024:]:
            raise ValidationFailed(
                fields={field: str(_("Dit PDF-bestand is niet compleet. Scan het opnieuw."))}
            )
    elif not _image_readable(
        data, format_name="PNG" if content_type == PNG else "JPEG", max_pixels=SCAN_MAX_PIXELS
    ):
        raise ValidationFailed(
            fields={field: str(_("Deze afbeelding kon niet worden gelezen. Scan het opnieuw."))}
        )
    return CheckedFile(data=data, content_type=content_type)
