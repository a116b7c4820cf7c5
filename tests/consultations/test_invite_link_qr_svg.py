"""The QR code of an invite link is inline SVG a page can show under a strict CSP."""

import re
import xml.etree.ElementTree as ET

import pytest
import segno

from consultations.services import invite_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(campaign, organisation, settings):
    settings.SITE_URL = "https://inspraak.example"
    return invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, not untrusted input


def dark_modules(svg: ET.Element) -> set[tuple[int, int]]:
    """Read the modules back from the path segno draws (M/m moves, h runs, 4-module border)."""
    (path,) = [element for element in svg.iter("path") if element.get("stroke")]
    x = y = 0.0
    modules = set()
    for move, dx, dy, run in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", path.get("d")):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        row = int(y - 0.5) - 4
        modules.update((row, int(x) - 4 + i) for i in range(int(run)))
        x += int(run)
    return modules


def test_it_is_svg_with_a_title_naming_the_link(link):
    markup = link.qr_svg()
    svg = parse(markup)
    assert markup.startswith("<svg ")
    assert svg.tag == "svg"
    assert svg.get("role") == "img"
    assert svg.find("title").text == f"QR code for https://inspraak.example/j/{link.code}"


def test_it_scales_through_its_viewbox(link):
    svg = parse(link.qr_svg())
    assert svg.get("viewBox")
    assert svg.get("width") == svg.get("height")


def test_it_needs_no_style_attribute_or_element(link):
    svg = parse(link.qr_svg())
    assert all("style" not in element.attrib for element in svg.iter())
    assert svg.find(".//style") is None


def test_it_draws_the_qr_code_of_the_links_url(link):
    drawn = dark_modules(parse(link.qr_svg()))
    expected = segno.make(f"https://inspraak.example/j/{link.code}", error="m")
    assert drawn == {
        (row, column)
        for row, line in enumerate(expected.matrix)
        for column, dark in enumerate(line)
        if dark
    }
    other = segno.make("https://inspraak.example/j/ZZZZZZZZ", error="m")
    assert drawn != {(r, c) for r, line in enumerate(other.matrix) for c, d in enumerate(line) if d}
