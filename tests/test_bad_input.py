"""Bad input never stops a batch: every broken file is a ``ReadError`` (or a ``Rejection`` from
``iter_inputs``) with a one-line reason, never another exception."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.models import ReadError, Rejection
from fazhi.readers import iter_inputs, read_bytes, read_path
from fazhi.readers.text import check_chinese
from fazhi.settings import MB, Settings
from tests.fixtures.make_forms import EXAMPLES, to_docx, to_html

SUFFIXES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]
REPORT = (EXAMPLES / "huli-district-2024.txt").read_text(encoding="utf-8")


def _reason(exc: pytest.ExceptionInfo[ReadError]) -> str:
    reason = str(exc.value)
    assert reason and "\n" not in reason and "Traceback" not in reason
    return reason


def _docx_bytes(tmp_path, text: str = REPORT) -> bytes:
    return to_docx(text, tmp_path / "r.docx").read_bytes()


def _pdf_bytes(text: str = "Rule of law report 2024. " * 40) -> bytes:
    """A PDF with a Latin text layer (core font: no CJK font needed)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


# --- paths --------------------------------------------------------------------------------------


def test_missing_path(tmp_path) -> None:
    with pytest.raises(ReadError) as err:
        read_path(tmp_path / "nope.pdf")
    assert _reason(err) == "no such file"
    assert list(iter_inputs([tmp_path / "nope.pdf"])) == [
        Rejection(str(tmp_path / "nope.pdf"), "no such file or folder")
    ]


def test_folder_without_a_readable_report(tmp_path) -> None:
    (tmp_path / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (found,) = iter_inputs([tmp_path])
    assert isinstance(found, Rejection)
    assert "folder holds no readable report" in found.reason
    with pytest.raises(ReadError, match="is a folder"):
        read_path(tmp_path)


def test_folder_with_reports_yields_them_and_rejects_the_missing(tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.HTML").write_bytes(to_html(REPORT, "湖里区2024年法治政府建设年度报告"))
    (tmp_path / "c.jpg").write_bytes(b"\xff\xd8")
    got = list(iter_inputs([tmp_path, tmp_path / "missing.docx"]))
    assert got[:2] == [tmp_path / "b.HTML", tmp_path / "sub" / "a.txt"]
    assert isinstance(got[2], Rejection)


# --- empty, too large ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_file(tmp_path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert _reason(err) == "empty file"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_file_over_the_size_limit(tmp_path, suffix: str) -> None:
    path = tmp_path / f"big{suffix}"
    path.write_bytes(REPORT.encode("utf-8"))
    small = Settings(max_bytes=1000)
    with pytest.raises(ReadError) as err:
        read_path(path, small)
    assert "larger than the limit" in _reason(err)
    with pytest.raises(ReadError, match="larger than the limit"):
        read_bytes(path.read_bytes(), str(path), "big", suffix, small)


# --- not what the ending says -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes(tmp_path, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(random.Random(7).randbytes(20_000))
    with pytest.raises(ReadError) as err:
        read_path(path)
    _reason(err)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"hello, this is not a PDF at all", "not a PDF file"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "not a readable PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "PDF"),
    ],
)
def test_broken_pdf(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.pdf", "x", ".pdf")
    assert reason in _reason(err)


def test_truncated_pdf() -> None:
    data = _pdf_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        try:
            raw = read_bytes(data[:cut], "t.pdf", "t", ".pdf")
        except ReadError as exc:
            assert str(exc)
        else:  # pdfminer may rebuild a file cut in its trailer: then the text must be there
            assert "Rule of law report" in raw.text


def test_pdf_without_text_layer(tmp_path) -> None:
    """A scan: pages with only an image (here a drawing) and no text."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    with pytest.raises(ReadError) as err:
        read_bytes(bytes(pdf.output()), "scan.pdf", "scan", ".pdf")
    assert _reason(err) == "PDF has no text layer (scanned?); OCR is not supported"


def test_encrypted_pdf() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "Rule of law report 2024. " * 20)
    with pytest.raises(ReadError) as err:
        read_bytes(bytes(pdf.output()), "locked.pdf", "locked", ".pdf")
    assert "encrypted" in _reason(err)


def test_pdf_locked_only_against_copying_is_read() -> None:
    """Government PDFs often carry an owner password (no copying) and an empty user password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", permissions=0)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "Rule of law report 2024. " * 20)
    assert "Rule of law report 2024." in read_bytes(bytes(pdf.output()), "p.pdf", "p", ".pdf").text


def test_truncated_docx(tmp_path) -> None:
    data = _docx_bytes(tmp_path)
    for cut in (100, len(data) // 2, len(data) - 10):
        with pytest.raises(ReadError) as err:
            read_bytes(data[:cut], "t.docx", "t", ".docx")
        assert ".docx" in _reason(err)


def test_corrupt_member_in_docx(tmp_path) -> None:
    """A zip whose directory is intact but whose document.xml is damaged."""
    data = bytearray(_docx_bytes(tmp_path))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 400)):
        data[i] ^= 0x5A
    with pytest.raises(ReadError) as err:
        read_bytes(bytes(data), "c.docx", "c", ".docx")
    assert ".docx" in _reason(err)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_named_docx() -> None:
    """One member that unpacks to 1000 times its size."""
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (20 * MB)})
    assert len(bomb) < 100_000
    with pytest.raises(ReadError) as err:
        read_bytes(bomb, "bomb.docx", "bomb", ".docx")
    assert "zip bomb" in _reason(err)


def test_docx_over_the_unpacked_limit() -> None:
    big = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": random.Random(1).randbytes(2 * MB)})
    with pytest.raises(ReadError) as err:
        read_bytes(big, "big.docx", "big", ".docx", Settings(max_unpacked_bytes=1 * MB))
    assert "unpacks to more than the limit" in _reason(err)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Word .doc"),
        ("<html><body><p>厦门市法治政府建设</p></body></html>".encode(), "web page"),
        (_zip({"readme.txt": "不是Word文档".encode()}), "no word/document.xml"),
        (_zip({"word/document.xml": b"<w:document/>"}), "no [Content_Types].xml"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"}),
            "not a readable .docx",
        ),
        (b"MIME-Version: 1.0\nContent-Type: multipart/related", "web page"),
    ],
)
def test_not_a_docx(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.docx", "x", ".docx")
    assert reason in _reason(err)


def test_docx_needing_an_unknown_zip_version(tmp_path) -> None:
    data = bytearray(_docx_bytes(tmp_path))
    at = data.index(b"PK\x01\x02")  # first central directory entry: "version needed" follows
    data[at + 6 : at + 8] = (222).to_bytes(2, "little")
    with pytest.raises(ReadError, match="not a readable .docx"):
        read_bytes(bytes(data), "v.docx", "v", ".docx")


def test_docx_without_text(tmp_path) -> None:
    import docx

    docx.Document().save(str(tmp_path / "blank.docx"))
    with pytest.raises(ReadError, match="has no text"):
        read_path(tmp_path / "blank.docx")


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_binary_content_in_a_text_format(suffix: str) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(ReadError, match="binary content"):
        read_bytes(data, f"x{suffix}", "x", suffix)


# --- not Chinese --------------------------------------------------------------------------------

ENGLISH = (
    "Report on the construction of a government under the rule of law in 2024. The city government "
    "improved administrative law enforcement and handled 1,200 administrative reconsideration cases.\n"
) * 10


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx"])
def test_non_chinese_text_reads_but_fails_check_chinese(tmp_path, suffix: str) -> None:
    if suffix == ".txt":
        data = ENGLISH.encode("utf-8")
    elif suffix == ".html":
        data = to_html(ENGLISH, "Annual report", encoding="utf-8")
    else:
        data = _docx_bytes(tmp_path, ENGLISH)
    raw = read_bytes(data, f"en{suffix}", "en", suffix)
    with pytest.raises(ReadError) as err:
        check_chinese(raw.text, Settings())
    assert _reason(err).startswith("text is not Chinese (")


def test_latin_pdf_reads_but_fails_check_chinese() -> None:
    raw = read_bytes(_pdf_bytes(), "en.pdf", "en", ".pdf")
    with pytest.raises(ReadError, match="text is not Chinese"):
        check_chinese(raw.text, Settings())


# --- anything at all ----------------------------------------------------------------------------


def _only_read_errors(data: bytes, suffix: str) -> None:
    try:
        raw = read_bytes(data, f"x{suffix}", "x", suffix)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(raw.text, str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_give_a_rawdoc_or_a_read_error(data: bytes, suffix: str) -> None:
    _only_read_errors(data, suffix)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=8)
)
def test_damaged_docx_gives_a_rawdoc_or_a_read_error(tmp_path_factory, flips: list[tuple[int, int]]) -> None:
    data = bytearray(_DOCX)
    for at, mask in flips:
        data[at % len(data)] ^= mask
    _only_read_errors(bytes(data), ".docx")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=8)
)
def test_damaged_pdf_gives_a_rawdoc_or_a_read_error(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_PDF)
    for at, mask in flips:
        data[at % len(data)] ^= mask
    _only_read_errors(bytes(data), ".pdf")


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_any_text_in_any_encoding_gives_a_rawdoc_or_a_read_error(text: str, encoding: str) -> None:
    for suffix in (".txt", ".html"):
        _only_read_errors(text.encode(encoding, errors="ignore"), suffix)


def _build_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in REPORT.splitlines()[:5]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_DOCX = _build_docx()
_PDF = _pdf_bytes()
