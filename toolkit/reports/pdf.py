"""Print a report's HTML to PDF with headless Chromium (a fresh throw-away profile each time)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from toolkit.course.system import BY_NAME, CHROMIUM_ENV, find_chromium, install_command
from toolkit.errors import ReportError
from toolkit.settings import PDF_TIMEOUT

__all__ = ["CHROMIUM_ENV", "FLAGS", "find_chromium", "no_pdf_reason", "print_pdf"]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def no_pdf_reason() -> str | None:
    """Why no PDF can be printed on this machine (Chromium absent, and how to install it), or
    None when Chromium is there."""
    if find_chromium() is not None:
        return None
    return (
        "no PDF: Chromium is not installed (install it with "
        f"`{install_command([BY_NAME['chromium']])}` or set ${CHROMIUM_ENV}); "
        "the HTML report holds the same content"
    )


def print_pdf(html: Path, pdf: Path, *, timeout: float = PDF_TIMEOUT) -> Path:
    """Print ``html`` to ``pdf``; raise :class:`ReportError` when Chromium is absent or fails."""
    browser = find_chromium()
    if browser is None:
        raise ReportError(
            "Chromium is not installed, so the PDF cannot be printed",
            hint=f"install it ({install_command([BY_NAME['chromium']])}) or pass --no-pdf",
        )
    pdf.unlink(missing_ok=True)
    profile = pdf.parent / ".chromium-profile"
    command = [
        browser,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ReportError(f"Chromium did not print the PDF within {timeout} s", path=html) from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise ReportError(f"Chromium failed to print the PDF: {tail[0]}", path=html)
    return pdf
