"""The one upload rule for private documents (conventions: private uploads; R-SEC-6)."""

from __future__ import annotations

import io

import pytest

from opstap.documents.services import PDF_ONLY, UploadRefusedError, check_upload


def _file(name: str, content: bytes) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.mark.parametrize(
    ("name", "content", "allowed", "expected"),
    [
        ("plan.pdf", b"%PDF-1.7 ...", None, "application/pdf"),
        ("foto.JPG", b"\xff\xd8\xff\xe0rest", None, "image/jpeg"),
        (
            "rapport.docx",
            b"PK\x03\x04rest",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("factuur.pdf", b"%PDF-1.4", PDF_ONLY, "application/pdf"),
    ],
)
def test_accepted_uploads(name: str, content: bytes, allowed, expected: str) -> None:
    kwargs = {"allowed": allowed} if allowed else {}
    assert check_upload(_file(name, content), **kwargs) == expected


@pytest.mark.parametrize(
    ("name", "content", "allowed", "message"),
    [
        # an executable renamed to .pdf: the content decides, not the name
        ("virus.pdf", b"MZ\x90\x00", None, "geen echt PDF-bestand"),
        ("script.exe", b"MZ\x90\x00", None, "Alleen PDF, DOCX, ODT, PNG of JPG"),
        # a Word file where only PDF is allowed (invoices)
        ("factuur.docx", b"PK\x03\x04", PDF_ONLY, "Alleen PDF kan worden geüpload."),
        ("geen-extensie", b"%PDF", None, "Alleen"),
    ],
)
def test_refused_uploads(name: str, content: bytes, allowed, message: str) -> None:
    kwargs = {"allowed": allowed} if allowed else {}
    with pytest.raises(UploadRefusedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_upload(_file(name, content), **kwargs)


def test_size_limit() -> None:
    big = _file("groot.pdf", b"%PDF" + b"0" * 2048)
    with pytest.raises(UploadRefusedError, match="groter dan 1 kB"):
        check_upload(big, max_bytes=1024)
    assert check_upload(big, max_bytes=4096) == "application/pdf"
