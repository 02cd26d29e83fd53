"""Company logos: PNG, JPEG or WebP only, re-encoded by Pillow without metadata, stored under instance/uploads/.

A logo chosen in a sign-up that failed for another field is kept for a day (``keep_pending``), so the next try
need not choose it again; the form carries a signed token that names the kept file.
"""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
LOGO_BOX = (600, 600)
ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
PENDING_SECONDS = 24 * 3600


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


def _write(data: bytes, folder: Path, stem: str) -> str:
    """Re-encode a logo and save it in ``folder`` as ``stem`` and its extension; return the file name."""
    encoded, extension = reencode(data)
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{stem}.{extension}"
    (folder / filename).write_bytes(encoded)
    return filename


def store_logo(data: bytes, employer_id: int) -> str:
    """Re-encode and save a logo under a fresh random name; return the file name."""
    return _write(data, logo_folder(), f"{employer_id}-{secrets.token_hex(8)}")


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


def _pending_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="rueckkehr.pending-logo")


def pending_folder() -> Path:
    """Where logos of failed sign-ups wait for the next try."""
    return logo_folder() / "pending"


def keep_pending(data: bytes, original_name: str) -> str:
    """Keep a checked logo for the next try of a form; return the signed token that names it (and its file name)."""
    filename = _write(data, pending_folder(), secrets.token_hex(16))
    return str(_pending_signer().dumps({"f": filename, "n": Path(original_name).name[:120]}))


def pending_logo(token: str) -> tuple[bytes, str] | None:
    """The bytes and the original file name of a kept logo, or None when the token is bad or the file is gone."""
    try:
        data = _pending_signer().loads(token, max_age=PENDING_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), str):
        return None
    path = pending_folder() / Path(data["f"]).name
    if not path.is_file():
        return None
    return path.read_bytes(), str(data.get("n") or "")


def forget_pending(token: str) -> None:
    """Delete a kept logo once it was used."""
    try:
        data = _pending_signer().loads(token)
    except BadSignature:
        return
    if isinstance(data, dict) and isinstance(data.get("f"), str):
        (pending_folder() / Path(data["f"]).name).unlink(missing_ok=True)


def delete_stale_pending(now: float | None = None) -> int:
    """Delete kept logos older than a day (their tokens have run out); return how many (a periodic job)."""
    folder = pending_folder()
    if not folder.is_dir():
        return 0
    limit = (now or time.time()) - PENDING_SECONDS
    stale = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < limit]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
