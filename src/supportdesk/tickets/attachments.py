"""Screenshots: check that an upload is a raster image, re-encode it, make its thumbnail once.

Re-encoding decodes every pixel and writes a fresh file, so whatever else the upload carried (a
photo's location, comments, a polyglot payload) is gone. SVG, HTML and anything that does not decode
as PNG, JPEG, GIF or WebP is refused.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from supportdesk.tickets.errors import DomainError, ValidationFailed
from supportdesk.tickets.models import Attachment

if TYPE_CHECKING:
    from supportdesk.accounts.models import User

ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "png", "WEBP": "png"}
THUMBNAIL_BOX = (480, 320)


def _refuse(name: str, why: str) -> ValidationFailed:
    return ValidationFailed({"attachments": [_("%(name)s: %(why)s") % {"name": name, "why": why}]})


def _decode(data: bytes, name: str) -> tuple[Image.Image, str]:
    max_pixels = settings.ATTACHMENT_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            image_format = probe.format or ""
            if image_format not in ALLOWED_FORMATS:
                raise _refuse(name, _("only PNG, JPEG, GIF and WebP images can be attached."))
            if probe.width * probe.height > max_pixels:
                raise _refuse(name, _("the image is too large in pixels."))
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(name, _("this is not an image we can open.")) from None
    except (OSError, ValueError, SyntaxError):
        raise _refuse(name, _("the image is damaged or incomplete.")) from None
    return image, ALLOWED_FORMATS[image_format]


def _encode(image: Image.Image, target: str) -> bytes:
    out = io.BytesIO()
    if target == "jpeg":
        # Pillow copies a JPEG's comment (COM marker) from the source unless told otherwise.
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, comment=b"")
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _clean_name(name: str) -> str:
    base = "".join(ch for ch in (name or "") if ch.isprintable() and ch not in '/\\"<>')
    return (base.strip() or "screenshot")[:120]


def upload_image(uploader: User, upload: UploadedFile) -> Attachment:
    """Store one image for ``uploader`` (not yet bound to a ticket); ``ValidationFailed`` if refused."""
    name = _clean_name(upload.name or "")
    if upload.size is None or upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise _refuse(
            name, _("the file is larger than %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    if not uploader.is_authenticated:
        raise DomainError(_("Sign in to attach files."))
    data = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise _refuse(name, _("the file is too large."))
    image, target = _decode(data, name)
    content = _encode(image, target)
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_BOX)
    thumb_content = _encode(thumb, target)
    extension = "jpg" if target == "jpeg" else "png"
    attachment = Attachment(
        uploader=uploader,
        original_name=name,
        content_type=f"image/{target}",
        size=len(content),
    )
    # Named content: Django reads width and height only from a file that has a name (else stores NULL).
    attachment.file.save(f"image.{extension}", ContentFile(content, name=f"image.{extension}"), save=False)
    attachment.thumbnail.save(f"thumb.{extension}", ContentFile(thumb_content, name=f"thumb.{extension}"), save=False)
    try:
        attachment.save()
    except Exception:
        _delete_files(attachment)
        raise
    return attachment


def _delete_files(attachment: Attachment) -> None:
    for field in (attachment.file, attachment.thumbnail):
        if field:
            field.storage.delete(field.name)


def discard_upload(uploader: User, token: str) -> None:
    """Remove an upload its owner took back before sending; a sent one stays with its ticket."""
    attachment = Attachment.objects.filter(token=token, uploader=uploader, ticket__isnull=True).first()
    if attachment is None:
        return
    attachment.delete()
    transaction.on_commit(lambda: _delete_files(attachment))


def pending_uploads(uploader: User, tokens: list[str]) -> list[Attachment]:
    """The uploader's own unsent uploads among ``tokens``; anyone else's token is refused."""
    unique = list(dict.fromkeys(t for t in tokens if t))
    if not unique:
        return []
    if len(unique) > settings.ATTACHMENT_MAX_COUNT:
        raise ValidationFailed(
            {"attachments": [_("At most %(count)d files per message.") % {"count": settings.ATTACHMENT_MAX_COUNT}]}
        )
    found = list(
        Attachment.objects.select_for_update().filter(token__in=unique, uploader=uploader, ticket__isnull=True)
    )
    if len(found) != len(unique):
        raise ValidationFailed({"attachments": [_("An attachment is no longer available; add it again.")]})
    order = {token: i for i, token in enumerate(unique)}
    return sorted(found, key=lambda a: order[a.token])
