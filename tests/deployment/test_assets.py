"""Static assets under hashed names with long cache headers, and every template asks for them by ``asset_url``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from rueckkehr.assets import LONG_CACHE, build_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_links_a_static_file_past_asset_url() -> None:
    pattern = re.compile(r"""url_for\(\s*['"]static['"]""")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("templates", "rueckkehr")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt", ".py", ".xml", ".ics"}
        and path.name != "assets.py"
        and pattern.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_pages_link_hashed_assets_that_are_served_with_long_cache_headers(make_app: Callable[..., Flask]) -> None:
    app = make_app(HASHED_ASSETS=True)
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(re.fullmatch(r"/static/dist/css/app\.[0-9a-f]{8}\.css", link) for link in links), links
    assert all(link.startswith("/static/dist/") for link in links), links
    stylesheet = next(link for link in links if "/app." in link)
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == LONG_CACHE
    assert response.get_data() == (ROOT / "static/css/app.css").read_bytes()
    assert "immutable" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_without_hashed_assets_pages_link_the_plain_files(make_app: Callable[..., Flask]) -> None:
    html = make_app(HASHED_ASSETS=False).test_client().get("/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html


def test_a_stylesheet_loads_the_hashed_fonts_and_changes_its_name_when_a_font_changes(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    (fonts / "fira").mkdir(parents=True)
    (fonts / "fira" / "Regular.woff2").write_bytes(b"font one")
    (fonts / "fira.css").write_text('@font-face { src: url("./fira/Regular.woff2") format("woff2"); }\n'
                                    'a { background: url("data:image/svg+xml,%3Csvg%3E") }')  # fmt: skip
    first = build_manifest(tmp_path)
    css = (tmp_path / "dist" / first["fonts/fira.css"]).read_text()
    font = first["fonts/fira/Regular.woff2"]
    assert f'url("{font.removeprefix("fonts/")}")' in css
    assert (tmp_path / "dist" / font).read_bytes() == b"font one"
    assert 'url("data:image/svg+xml,%3Csvg%3E")' in css
    (fonts / "fira" / "Regular.woff2").write_bytes(b"font two")
    second = build_manifest(tmp_path)
    assert second["fonts/fira.css"] != first["fonts/fira.css"]
    assert (tmp_path / "dist" / first["fonts/fira.css"]).exists()  # pages still open in a browser keep working


def test_a_bundle_that_loads_its_parts_by_relative_url_finds_them_and_they_are_not_kept_a_year(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(HASHED_ASSETS=True)
    client = app.test_client()
    with app.test_request_context():
        from rueckkehr.assets import asset_url

        scanner = asset_url("vendor/qr-scanner/qr-scanner.min.js")
    assert re.fullmatch(r"/static/dist/vendor/qr-scanner/qr-scanner\.min\.[0-9a-f]{8}\.js", scanner), scanner
    body = client.get(scanner).get_data(as_text=True)
    assert 'import("./qr-scanner-worker.min.js")' in body  # the scanner loads its worker beside itself
    worker = client.get(scanner.rsplit("/", 1)[0] + "/qr-scanner-worker.min.js")
    assert worker.status_code == 200
    assert worker.get_data() == (ROOT / "static/vendor/qr-scanner/qr-scanner-worker.min.js").read_bytes()
    assert worker.headers.get("Cache-Control", "") != LONG_CACHE  # its name stays when it changes
