"""Loading articles (files, folders, stdin, HTML), refusing bad input with one line, and sanitising."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest

from annotations.article import Article, ArticleError, article_paths, load, sanitise
from tui.main import main

STORY = (
    "Harrowgate Mills closes its last spinning floor\n"
    "\n"
    "The last spinning floor at Harrowgate Mills will close on Friday, the owners said, "
    "ending 140 years of cotton work in the valley.\n"
    "\n"
    "Union organiser Petra Linwood said members were \"angry but not surprised\".\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- loading ---------------------------------------------------------------------


def test_txt_file_loads_with_its_first_line_as_title(tmp_path: Path) -> None:
    article = load(write(tmp_path / "mills.txt", STORY))
    assert article.text == STORY
    assert article.title == "Harrowgate Mills closes its last spinning floor"
    assert article.source == str(tmp_path / "mills.txt")


def test_markdown_is_shown_as_text_with_its_markup_visible(tmp_path: Path) -> None:
    md = "# Ferry timetable cut\n\nThe **winter** timetable drops the [late sailing](http://example.invalid).\n"
    article = load(write(tmp_path / "ferry.md", md))
    assert article.text == md
    assert "**winter**" in article.text and "[late sailing](http://example.invalid)" in article.text
    assert article.title == "# Ferry timetable cut"


def test_html_page_gives_its_main_text_and_the_title_from_the_title_element(tmp_path: Path) -> None:
    paragraphs = [
        "The Brenmoor county council approved a new bus route on Thursday after a long and heated debate "
        "about the cost of running services to the outlying villages of the moor.",
        "Councillor Agnes Tullow, who proposed the route, said it would connect four villages that have had "
        "no public transport since the old coach company folded three winters ago.",
        "Opponents argued that the money would be better spent repairing the roads that the buses would use, "
        "many of which were damaged in the floods of last spring and remain closed.",
    ]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    html = (
        "<!DOCTYPE html><html><head><title>Brenmoor backs village bus route</title></head>"
        "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Brenmoor backs village bus route</h1>{body}</article>"
        "<footer>Copyright Brenmoor Gazette</footer></body></html>"
    )
    article = load(write(tmp_path / "bus.html", html))
    assert article.title == "Brenmoor backs village bus route"
    for p in paragraphs:
        assert p in article.text
    assert "<p>" not in article.text and "Copyright" not in article.text
    # Paragraphs are separated by a blank line, which the paragraph motions rely on.
    assert f"{paragraphs[0]}\n\n{paragraphs[1]}" in article.text


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(STORY.encode("utf-8"))

    monkeypatch.setattr("sys.stdin", Stdin())
    article = load("-")
    assert article.text == STORY
    assert article.source == "-"


def test_folder_expands_to_its_articles_sorted_and_skips_other_files(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "a.md", STORY)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.html", "<html></html>")
    write(tmp_path / "notes.csv", "x,y")
    write(tmp_path / ".hidden.txt", STORY)
    assert article_paths([str(tmp_path)]) == [
        str(tmp_path / "a.md"), str(tmp_path / "b.txt"), str(tmp_path / "sub" / "c.html"),
    ]


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    assert load(path).text == STORY


def test_encoding_option_decodes_legacy_files(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 owner Jos\u00e9 Ib\u00e1\u00f1ez said prices would rise.".encode("cp1252"))
    assert load(path, encoding="cp1252").text == "Caf\u00e9 owner Jos\u00e9 Ib\u00e1\u00f1ez said prices would rise."


# ---- errors through the command line -------------------------------------------


def run_main_expecting_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("annotty: ")
    return err.strip()


def test_missing_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_main_expecting_error([str(tmp_path / "nowhere.txt")], capsys)
    assert "nowhere.txt" in err and "no such file" in err


def test_folder_without_articles_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "data.csv", "a,b\n")
    err = run_main_expecting_error([str(tmp_path)], capsys)
    assert "no articles" in err and ".txt" in err


def test_binary_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = run_main_expecting_error([str(path)], capsys)
    assert "looks like a PNG image" in err


def test_invalid_utf8_names_the_byte_offset_and_suggests_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = "The mayor of Dunholm said the fee was ".encode()
    path = tmp_path / "latin1.txt"
    path.write_bytes(good + b"\xa312 a month.")  # a Latin-1 pound sign
    err = run_main_expecting_error([str(path)], capsys)
    assert f"byte offset {len(good)}" in err
    assert "--encoding" in err


def test_empty_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n \t\n")
    err = run_main_expecting_error([str(path)], capsys)
    assert "empty" in err


def test_file_over_max_size_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "long.txt", STORY * 10)
    err = run_main_expecting_error([str(path), "--max-size", "100"], capsys)
    assert "--max-size" in err and "100" in err


def test_stdin_over_max_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(b"x" * 500)

    monkeypatch.setattr("sys.stdin", Stdin())
    with pytest.raises(ArticleError, match="--max-size"):
        load("-", max_bytes=100)


def test_unknown_encoding_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", STORY)
    err = run_main_expecting_error([str(path), "--encoding", "no-such-codec"], capsys)
    assert "no-such-codec" in err


# ---- encodings, binary formats and special files -----------------------------------

WORLDLY = "Zo\u00eb Ng\u0169y\u1ec5n paid \u00a312 for \u201cthe \u4e2d\u6587 edition\u201d.\n\nIt sold out.\n"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_a_byte_order_mark_names_the_encoding(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + WORLDLY.encode(codec))
    article = load(path)
    assert article.text == WORLDLY
    assert article.title == WORLDLY.split("\n")[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_names_the_encoding_that_opens_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], codec: str
) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(STORY.encode(codec))
    err = run_main_expecting_error([str(path)], capsys)
    assert "UTF-16" in err and f"--encoding {codec}" in err
    assert load(path, encoding=codec).text == STORY


def test_a_nul_byte_in_text_is_refused_saying_which_encoding_opens_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(STORY.encode() + b"Filed at 10:04\x00 by the desk.\n")
    err = run_main_expecting_error([str(path)], capsys)
    assert "binary" in err and "--encoding utf-8" in err
    # ... and that advice is right: the NUL is shown as the replacement mark, offsets unchanged.
    article = load(path, encoding="utf-8")
    assert article.text == STORY + "Filed at 10:04\ufffd by the desk.\n"


def make_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", lambda p: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
         "looks like a PDF; annotty reads .txt, .md and .html; extract the text first, e.g. with pdftotext"),
        ("story.docx", make_zip, "looks like a ZIP archive (a .docx, .odt or .epub is one)"),
        ("story.txt.gz", lambda p: gzip.compress(STORY.encode()), "gzip-compressed"),
        ("photo.jpg", lambda p: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "looks like a JPEG image"),
        ("story.doc", lambda p: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old Office file"),
    ],
    ids=["pdf", "docx", "gzip", "jpeg", "doc"],
)
def test_common_binary_formats_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content(path))
    err = run_main_expecting_error([str(path)], capsys)
    assert expected in err
    assert "cp1252" not in err, "no encoding makes these readable"
    # Asking for an encoding does not turn them into articles either.
    err = run_main_expecting_error([str(path), "--encoding", "cp1252"], capsys)
    assert expected in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_without_being_read(device: str) -> None:
    with pytest.raises(ArticleError, match=f"^{device}: is a character device, not an article"):
        load(device)


def fifo_with_writer(tmp_path: Path, data: bytes, repeat: bool) -> tuple[Path, threading.Thread]:
    """A named pipe, and a thread that writes *data* into it once, or until the reader goes away."""
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def write_into() -> None:
        with open(path, "wb") as pipe:
            try:
                while True:
                    pipe.write(data)
                    if not repeat:
                        return
            except BrokenPipeError:
                return

    writer = threading.Thread(target=write_into, daemon=True)
    writer.start()
    return path, writer


def test_a_named_pipe_is_read_like_a_file(tmp_path: Path) -> None:
    path, writer = fifo_with_writer(tmp_path, STORY.encode(), repeat=False)
    assert load(path).text == STORY
    writer.join(timeout=10)


def test_an_endless_pipe_stops_at_the_size_limit(tmp_path: Path) -> None:
    path, writer = fifo_with_writer(tmp_path, b"y\n" * 4096, repeat=True)
    with pytest.raises(ArticleError, match="over the limit of 100,000 bytes; raise it with --max-size"):
        load(path, max_bytes=100_000)
    writer.join(timeout=10)
    assert not writer.is_alive()


def test_a_large_limit_reads_a_short_stream_in_bounded_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    class Recording(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            asked.append(size)
            return super().read(size)

    class Stdin:
        buffer = Recording(STORY.encode())

    monkeypatch.setattr("sys.stdin", Stdin())
    assert load("-", max_bytes=1 << 40).text == STORY
    # Never one read of the whole limit (a terabyte buffer), never an unbounded read.
    assert asked and all(0 < size <= 1024 * 1024 for size in asked)


# ---- sanitising -------------------------------------------------------------------

C0 = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]


@pytest.mark.parametrize(
    "control",
    [*C0, "\x7f", *C1, *BIDI],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_each_unsafe_control_is_replaced_one_for_one(control: str) -> None:
    text = f"Ward {control}seven{control} votes"
    clean = sanitise(text)
    assert len(clean) == len(text)
    assert control not in clean
    # Everything around the control character stays where it was.
    for i, ch in enumerate(text):
        if ch != control:
            assert clean[i] == ch
        else:
            assert unicodedata.category(clean[i]) != "Cc" and clean[i] not in BIDI


def test_tab_and_newline_are_kept() -> None:
    assert sanitise("a\tb\nc") == "a\tb\nc"


def test_crlf_and_lone_cr_become_newlines() -> None:
    assert sanitise("one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_offsets_are_stable_after_sanitising_with_unix_line_endings() -> None:
    text = "Chief \x1b[31mconstable\x1b[0m Aled \u202eHughes\u202c said \x85no."
    clean = sanitise(text)
    assert len(clean) == len(text)
    start = text.index("constable")
    assert clean[start:start + len("constable")] == "constable"
    start = text.index("Hughes")
    assert clean[start:start + len("Hughes")] == "Hughes"


def test_loaded_crlf_file_has_offsets_into_the_sanitised_text(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title line\r\n\r\nBody with \x07bell.\r\n")
    article = load(path)
    assert article.text == "Title line\n\nBody with \ufffdbell.\n"
    assert article.text[article.text.index("bell"):][:4] == "bell"


def test_title_is_sanitised_to_one_line() -> None:
    article = Article.from_text("Body.", "x.txt", title="Two\nlines\x1b and\ttabs")
    assert "\n" not in article.title and "\x1b" not in article.title and "\t" not in article.title


def test_article_id_is_sha256_of_the_sanitised_text(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Line one\r\nLine \x1btwo\r\n")
    article = load(path)
    expected = hashlib.sha256("Line one\nLine \ufffdtwo\n".encode("utf-8")).hexdigest()
    assert article.id == expected
    # The same story with other line endings is the same article.
    other = tmp_path / "lf.txt"
    other.write_bytes(b"Line one\nLine \x1btwo\n")
    assert load(other).id == article.id


def test_html_title_comes_from_the_title_element_not_the_headline(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Mayor &amp; council clash over [bold]budget[/]</title></head><body>"
        "<article><h1>A different headline</h1><p>The mayor, Jane Doe, said on Monday that the budget "
        "was not enough to keep every library in the county open for another year.</p>"
        "<p>Councillor John Smith disagreed and said savings had been found before.</p></article></body></html>"
    )
    article = load(write(tmp_path / "page.html", html))
    assert article.title == "Mayor & council clash over [bold]budget[/]"
    assert "Jane Doe" in article.text


def test_error_messages_carry_no_control_characters(tmp_path: Path, capsys) -> None:
    hostile = tmp_path / "\x1b]0;pwned\x07\x9b2J.txt"
    assert main([str(hostile)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\x07" not in err and "\x9b" not in err
    assert "pwned" in err, "the name is still recognisable"


def test_the_quick_check_for_unsafe_characters_finds_just_what_the_character_class_does() -> None:
    from annotations.article import _UNSAFE, has_unsafe

    for code in [*range(0x0000, 0x10000), 0x1F600, 0x10FFFF]:
        ch = chr(code)
        for text in (ch, f"£{ch}’", f"Ward{ch}"):
            assert has_unsafe(text) == (_UNSAFE.search(text) is not None), f"U+{code:04X} in {text!r}"
    assert not has_unsafe("Cllr Ní Bhriain: “£19 million” — 한국 — 😀\tdone\n")
