"""Branding: logo on the cover and every footer, label on every page, bad logos refused."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PdfReader

from calms_desktop.core.errors import CalmsError
from calms_desktop.reports import build_attendee_pdf, build_facilitator_pdf
from calms_desktop.reports.branding import Branding, check_logo

from .conftest import make_workshop


def png(path):
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("000000020000000108020000"
                                                                         "00"))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff"))
                     + chunk(b"IEND", b""))
    return path


def images_per_page(data: bytes) -> list[int]:
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        out.append(sum(1 for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"))
    return out


@pytest.mark.parametrize("build", [build_attendee_pdf, build_facilitator_pdf])
def test_the_logo_is_on_every_page_and_the_label_too(tmp_path, build):
    branding = Branding("Mara Lindholm", "Lindholm Agile", "mara@x.example",
                        png(tmp_path / "l.png"), "Client confidential")
    data = build(make_workshop(), branding=branding)
    assert all(n >= 1 for n in images_per_page(data))
    for page in PdfReader(io.BytesIO(data)).pages:
        assert "Client confidential" in page.extract_text()  # as typed


def test_an_svg_logo_is_drawn_as_vectors(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                   '<rect width="40" height="20" fill="#e69f00"/></svg>')
    data = build_attendee_pdf(make_workshop(), branding=Branding(logo=svg))
    assert data.startswith(b"%PDF")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("logo.gif", b"GIF89a", "must be a PNG, JPEG or SVG"),
    ("logo.png", b"not a png", "not a PNG image"),
    ("logo.svg", b"<html></html>", "not an SVG image"),
])
def test_a_bad_logo_gets_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert message in check_logo(path)
    with pytest.raises(CalmsError, match=message):
        build_attendee_pdf(make_workshop(), branding=Branding(logo=path))
    assert "no such file" in check_logo(tmp_path / "missing.png")


def test_a_logo_that_moved_away_leaves_the_report_without_it(tmp_path):
    from calms_desktop.reports.branding import Branding, usable

    branding, problem = usable(Branding(consultant="Ana", logo=tmp_path / "gone.png"))
    assert branding.logo is None and branding.consultant == "Ana"
    assert problem is not None and "gone.png" in problem


def test_a_huge_logo_is_refused_without_reading_it(tmp_path):
    from calms_desktop.reports.branding import MAX_LOGO_BYTES, check_logo

    big = tmp_path / "logo.png"
    with open(big, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(MAX_LOGO_BYTES + 1)  # sparse: no disk is spent
    assert "at most" in (check_logo(big) or "")


def _png_header(path, width: int, height: int):
    """A PNG whose header claims ``width`` × ``height`` (what the check reads)."""
    body = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + body
                     + zlib.crc32(body).to_bytes(4, "big"))
    return path


def test_a_logo_of_too_many_pixels_is_refused_and_the_report_is_built_without_it(tmp_path):
    """Breaking pass: a 20,000 × 20,000 PNG (1.2 MB) lost the whole export to Pillow's
    "decompression bomb"."""
    from calms_desktop.reports.branding import usable

    bomb = _png_header(tmp_path / "bomb.png", 20000, 20000)
    assert "20000 × 20000 pixels" in (check_logo(bomb) or "")
    kept, problem = usable(Branding(consultant="Mara", logo=bomb))
    assert kept.logo is None and "bomb.png" in (problem or "")
    assert build_attendee_pdf(make_workshop(), branding=kept).startswith(b"%PDF")


def test_a_big_logo_is_embedded_scaled_down(tmp_path):
    from PIL import Image

    from calms_desktop.reports import common

    path = tmp_path / "photo.png"
    Image.new("RGB", (3000, 1500), (200, 30, 30)).save(path)
    assert check_logo(path) is None
    data = build_attendee_pdf(make_workshop(), branding=Branding(logo=path))
    widths = [x.get_object()["/Width"] for page in PdfReader(io.BytesIO(data)).pages
              for x in page["/Resources"].get("/XObject", {}).values()
              if x.get_object()["/Subtype"] == "/Image"]
    assert widths and max(widths) == common.LOGO_PIXELS


@pytest.mark.parametrize(("svg", "ok"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect width="300" '
     'height="100"/></svg>', True),
    ('<svg xmlns="http://www.w3.org/2000/svg"><circle cx="5" cy="5" r="4"/></svg>', False),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1"><rect '
     'width="1000000" height="1"/></svg>', False)])
def test_an_svg_logo_needs_a_size_and_a_logo_shape(tmp_path, svg, ok):
    """An SVG with only a viewBox is drawn at its size; one without any size, or
    1,000,000 × 1, is refused with a message — never a failed export."""
    from calms_desktop.reports.branding import usable

    path = tmp_path / "logo.svg"
    path.write_text(svg)
    kept, problem = usable(Branding(logo=path))
    assert (kept.logo is not None) == ok and (problem is None) == ok
    build_facilitator_pdf(make_workshop(), branding=kept)
