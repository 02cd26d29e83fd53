"""Company logos: PNG, JPEG or WebP only, re-encoded by Pillow without metadata, stored under instance/uploads/."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
LOGO_BOX = (600, 600)
ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


class InvalidLogoError(ValueError):
    """The upload is not a PNG, JPEG or WebP image of an acceptable size."""


def logo_folder() -> Path:
    """Where logos are kept: ``instance/uploads/logos`` unless UPLOAD_FOLDER says otherwise."""
    base = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(base) / "logos"


def reencode(data: bytes) -> tuple[bytes, str]:
    """Check and re-encode an image; return the new bytes and the file extension.

    Only the pixels survive: EXIF, ICC profiles, comments and anything appended to the file are dropped.
    """
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidLogoError("too large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS or width * height > MAX_PIXELS:
            raise InvalidLogoError("format or size")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            clean = image.convert("RGBA" if has_alpha else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidLogoError("unreadable") from error
    clean.thumbnail(LOGO_BOX)
    extension = ALLOWED_FORMATS[image_format]
    if extension == "jpeg" and has_alpha:
        extension = "png"
    output = io.BytesIO()
    if extension == "jpeg":
        clean.save(output, format="JPEG", quality=88, optimize=True)
    elif extension == "webp":
        clean.save(output, format="WEBP", quality=88)
    else:
        clean.save(output, format="PNG", optimize=True)
    return output.getvalue(), extension


def store_logo(data: bytes, employer_id: int) -> str:
    """Re-encode and save a logo under a fresh random name; return the file name."""
    encoded, extension = reencode(data)
    folder = logo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{employer_id}-{secrets.token_hex(8)}.{extension}"
    (folder / filename).write_bytes(encoded)
    return filename


def delete_logos(filenames: list[str]) -> None:
    """Remove stored logo files that were replaced, if they are still there (after the replacing commit)."""
    for filename in filenames:
        logo_path(filename).unlink(missing_ok=True)


def logo_path(filename: str) -> Path:
    """The file of a stored logo (only its base name is used, so no path can escape the folder)."""
    return logo_folder() / Path(filename).name


def content_type(filename: str) -> str:
    """The MIME type of a stored logo."""
    return CONTENT_TYPES.get(filename.rsplit(".", 1)[-1], "application/octet-stream")
