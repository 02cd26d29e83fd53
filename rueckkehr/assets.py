"""Static assets under names that carry their content's hash, so browsers and proxies may keep them for a year.

``asset_url("css/app.css")`` in a template gives ``/static/dist/css/app.3f2a9c1e.css`` when ``HASHED_ASSETS`` is on
(production's default) and ``/static/css/app.css`` otherwise. ``flask assets build`` (run by ``make install``)
copies every file of ``static/`` into ``static/dist/`` under its hashed name and writes ``manifest.json``; an app that
finds no manifest builds it on first use. Stylesheets are rewritten to point at the hashed names of the fonts and
images they load, and hashed after that, so a changed font changes the stylesheet's name too. A file under
``static/dist/`` is answered with ``Cache-Control: public, max-age=31536000, immutable``.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import tempfile
from pathlib import Path

import click
from flask import Flask, Response, current_app, has_request_context, request, url_for

DIST = "dist"
MANIFEST = "manifest.json"
LONG_CACHE = "public, max-age=31536000, immutable"
_MANIFEST_KEY = "rueckkehr.asset_manifest"
_URLS_KEY = "rueckkehr.asset_urls"
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _write(path: Path, content: bytes) -> None:
    """Write atomically: several workers may build at once, and none may read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def hashed_name(name: str, content: bytes) -> str:
    """``css/app.css`` → ``css/app.<first 8 hex digits of its SHA-256>.css``."""
    stem, dot, extension = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:8]
    return f"{stem}.{digest}.{extension}" if dot and "/" not in extension else f"{name}.{digest}"


def _rewrite_css(name: str, css: str, manifest: dict[str, str]) -> str:
    """Point the relative ``url(…)`` references of a stylesheet at the hashed names."""
    folder = posixpath.dirname(name)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if re.match(r"^(?:[a-z]+:|/|#)", target, re.IGNORECASE):
            return match.group(0)  # data: URIs, absolute paths and fragments stay
        path, _, suffix = target.partition("?")
        path, _, fragment = path.partition("#")
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved not in manifest:
            return match.group(0)
        relative = posixpath.relpath(manifest[resolved], folder or ".")
        rest = ("?" + suffix if suffix else "") + ("#" + fragment if fragment else "")
        return f'url("{relative}{rest}")'

    return _CSS_URL.sub(replace, css)


def build_manifest(static_folder: Path) -> dict[str, str]:
    """Copy every static file into ``dist/`` under its hashed name; return and write the manifest."""
    dist = static_folder / DIST
    files = sorted(
        path.relative_to(static_folder).as_posix()
        for path in static_folder.rglob("*")
        if path.is_file() and DIST not in path.relative_to(static_folder).parts[:1] and not path.name.startswith(".")
    )
    manifest: dict[str, str] = {}
    for name in [name for name in files if not name.endswith(".css")] + [
        name for name in files if name.endswith(".css")
    ]:
        content = (static_folder / name).read_bytes()
        if name.endswith(".css"):
            content = _rewrite_css(name, content.decode("utf-8"), manifest).encode("utf-8")
        manifest[name] = hashed_name(name, content)
        target = dist / manifest[name]
        if not target.exists():
            _write(target, content)
        # Also under its own name beside the hashed one: a bundle that loads its parts by relative URL (the QR
        # scanner's worker) finds them. Those copies are not kept for a year (see _long_cache).
        _write(dist / name, content)
    _write(dist / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))
    return manifest


def manifest() -> dict[str, str]:
    """This app's manifest: read once, built first when there is none."""
    app = current_app
    cached: dict[str, str] | None = app.extensions.get(_MANIFEST_KEY)
    if cached is None:
        static_folder = Path(app.static_folder or "static")
        path = static_folder / DIST / MANIFEST
        cached = json.loads(path.read_text("utf-8")) if path.exists() else build_manifest(static_folder)
        app.extensions[_MANIFEST_KEY] = cached
    return cached


def asset_url(name: str) -> str:
    """The URL of a file in ``static/``: under its hashed name when ``HASHED_ASSETS`` is on.

    Built once per file, root path of the site and setting (every page asks for the same six or seven).
    """
    key = (request.script_root if has_request_context() else None, bool(current_app.config.get("HASHED_ASSETS")), name)
    urls: dict[tuple[str | None, bool, str], str] = current_app.extensions.setdefault(_URLS_KEY, {})
    url = urls.get(key)
    if url is None:
        url = urls[key] = _asset_url(name)
    return url


def _asset_url(name: str) -> str:
    if current_app.config.get("HASHED_ASSETS"):
        hashed = manifest().get(name)
        if hashed is None:
            raise LookupError(f"static/{name} is not in the asset manifest; run `flask assets build`")
        return url_for("static", filename=f"{DIST}/{hashed}")
    return url_for("static", filename=name)


def _long_cache(response: Response) -> Response:
    """Hashed files never change under their name: let everyone keep them for a year."""
    filename = (request.view_args or {}).get("filename", "")
    hashed = filename.removeprefix(DIST + "/") in set(manifest().values()) if filename.startswith(DIST + "/") else False
    if request.endpoint == "static" and hashed and response.status_code == 200:
        response.headers["Cache-Control"] = LONG_CACHE
    return response


@click.group("assets")
def assets_cli() -> None:
    """Static assets with hashed names."""


@assets_cli.command("build")
def build_command() -> None:
    """Copy static/ into static/dist/ under hashed names and write the manifest."""
    built = build_manifest(Path(current_app.static_folder or "static"))
    current_app.extensions[_MANIFEST_KEY] = built
    current_app.extensions.pop(_URLS_KEY, None)
    click.echo(f"{len(built)} static files hashed into static/{DIST}/")


def init_app(app: Flask) -> None:
    """The ``asset_url`` template helper, long cache headers for hashed files, ``flask assets build``."""
    app.add_template_global(asset_url)
    app.after_request(_long_cache)
    app.cli.add_command(assets_cli)


if __name__ == "__main__":  # `python -m rueckkehr.assets`: the build without an app, as `make install` runs it
    built = build_manifest(Path(__file__).resolve().parent.parent / "static")
    print(f"{len(built)} static files hashed into static/{DIST}/")
