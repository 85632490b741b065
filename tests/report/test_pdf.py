"""The global report opens in another word processor: LibreOffice (headless) converts it to a PDF of sensible length."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from test_build import build, env  # noqa: F401 - env is a fixture

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def soffice():
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run and `make test` install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (`apt-get install libreoffice-writer-nogui`)")
    return SOFFICE


def test_the_global_report_converts_to_a_pdf_of_sensible_length(env, soffice, tmp_path):
    summary = build(*env)
    profile = tmp_path / "lo-profile"  # a private LibreOffice profile: no clash with another running instance
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(summary.global_report)],
                            capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "global_synthesis.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    pages = PdfReader(pdf).pages
    assert 8 <= len(pages) <= 80, len(pages)
    text = " ".join(page.extract_text() or "" for page in pages)
    assert "DRAFT" in text and "Who is being left behind" in text
