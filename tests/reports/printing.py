"""Print checks of a rendered report in headless Chromium (Playwright): which elements overflow
an A4 page's width in print media, and the text of the printed PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

#: A4 width minus the print margins (12 mm each side) at 96 px per inch.
A4_CONTENT_PX = round((210 - 24) / 25.4 * 96)

_OVERFLOW_JS = """
(width) => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 1 &&
      ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
    if (box.right > width + 1 || scrolls) {
      bad.push(`${el.tagName.toLowerCase()}.${el.className}: right ${Math.round(box.right)}` +
               ` scroll ${el.scrollWidth}/${el.clientWidth} ` + (el.textContent || '').slice(0, 40));
    }
  }
  return bad;
}
"""


def print_overflows(html: Path, chromium: str) -> list[str]:
    """Elements of ``html`` wider than an A4 page's content, or scrolling, in print media."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page(viewport={"width": A4_CONTENT_PX, "height": 1100})
            page.emulate_media(media="print")
            page.goto(html.resolve().as_uri())
            return list(page.evaluate(_OVERFLOW_JS, A4_CONTENT_PX))
        finally:
            browser.close()


def pdf_text(pdf: Path, *, pages: int | None = None) -> str:
    """The text of a PDF, or of its first ``pages`` (poppler's pdftotext if installed, else
    pypdf)."""
    last = ["-l", str(pages)] if pages else []
    try:
        done = subprocess.run(
            ["pdftotext", *last, str(pdf), "-"], capture_output=True, check=True, timeout=60
        )
        return done.stdout.decode("utf-8", errors="replace")
    except FileNotFoundError:
        from pypdf import PdfReader

        chosen = PdfReader(pdf).pages[:pages] if pages else PdfReader(pdf).pages
        return "\n".join(page.extract_text() or "" for page in chosen)
