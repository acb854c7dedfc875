"""The article commands: geocode, extract, ingest; bad input gets one clear line and a non-zero exit."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from controlmap.articles.files import MAX_ARTICLE_BYTES
from controlmap.cli import main

if TYPE_CHECKING:
    from pathlib import Path

ARTICLE = "Islamic State fighters captured Alfa on Sunday.\n\nPublished: 18/05/2015\n"


def test_geocode_prints_ranked_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Ar-Raqqah"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["score", "id", "name"]
    assert lines[1].split()[1] == "raqqa"
    assert "39.0" in lines[1]


def test_geocode_prefers_the_country_asked_for(capsys: pytest.CaptureFixture[str], mini_dir: Path) -> None:
    assert main(["geocode", "Alfa", "--country", "iq", "--data", str(mini_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[1] == "alpha"


def test_geocode_without_a_match(capsys: pytest.CaptureFixture[str], mini_dir: Path) -> None:
    assert main(["geocode", "Xqzzyw", "--data", str(mini_dir)]) == 1
    assert capsys.readouterr().err.strip() == "no place matches 'Xqzzyw'"


def test_extract_writes_a_review_file(tmp_path: Path, mini_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, "utf-8")
    review = tmp_path / "r.json"
    argv = ["extract", str(article), "--outlet", "Test Wire", "--url", "https://example.org/a", "-o", str(review)]
    assert main([*argv, "--data", str(mini_dir)]) == 0
    document = json.loads(review.read_text("utf-8"))
    assert document["article"]["published"] == "2015-05-18"
    assert document["article"]["title"] == "Islamic State fighters captured Alfa on Sunday."
    (claim,) = document["claims"]
    assert (claim["place"]["id"], claim["controller"], claim["date"]["start"]) == ("alpha", "isis", "2015-05-17")
    assert "1 proposed claims" in capsys.readouterr().err
    assert main([*argv, "--data", str(mini_dir)]) == 2  # exists: needs --force
    assert main([*argv, "--data", str(mini_dir), "--force"]) == 0


def test_extract_to_standard_output(tmp_path: Path, mini_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, "utf-8")
    url = "https://www.example.org/news/a"
    assert main(["extract", str(article), "--published", "2015-05-20", "--url", url, "--data", str(mini_dir)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["article"]["published_from"] == "given"
    assert document["article"]["outlet"] == "example.org"  # from the address's host
    assert document["article"]["source_id"] == "example-2015-05-20-islamic-state-fighters-captured-alfa"
    assert document["claims"][0]["date"]["start"] == "2015-05-17"


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "blank": b"  \n\t\n",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin1": "Raqqa was taken by the Islamic State in 2014. Caf\u00e9".encode("latin-1"),
        "huge": b"Raqqa. " * (MAX_ARTICLE_BYTES // 7 + 10),
        "no-places": b"Nothing happened anywhere on Tuesday.",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    paths["missing"] = tmp_path / "missing.txt"
    paths["directory"] = tmp_path
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "the article is empty"),
        ("blank", "the article is empty"),
        ("binary", "binary"),
        ("latin1", "not UTF-8"),
        ("huge", "too large"),
        ("no-places", "no places found"),
        ("missing", "no such file"),
        ("directory", "is a directory"),
    ],
)
def test_bad_articles_get_one_clear_line(
    tmp_path: Path, mini_dir: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    path = _bad_inputs(tmp_path)[name]
    argv = ["extract", str(path), "--outlet", "Test", "--data", str(mini_dir), "-o", str(tmp_path / "out.json")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--published", "24/03/2016"], "--published"),
        (["--url", "ftp://example.org"], "--url"),
        ([], "outlet: give the outlet, or the article's address"),
        (["--outlet", "  "], "outlet: give the outlet"),
    ],
)
def test_bad_options(
    tmp_path: Path, mini_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, "utf-8")
    assert main(["extract", str(article), *argv, "--data", str(mini_dir)]) == 2
    assert message in capsys.readouterr().err


def test_ingest_reports_each_claim(tmp_path: Path, mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Alfa remains under Peshmerga control.\n\nPublished: 13/11/2015", "utf-8")
    review = tmp_path / "r.json"
    assert main(["extract", str(article), "--outlet", "Test", "-o", str(review), "--data", str(mini_copy)]) == 0
    document = json.loads(review.read_text("utf-8"))
    document["claims"][0]["decision"] = "accepted"
    review.write_text(json.dumps(document), "utf-8")
    capsys.readouterr()
    assert main(["ingest", str(review), "--data", str(mini_copy)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("c1 alpha: conflict: ")
    assert "--apply-conflicts" in captured.err
    assert main(["ingest", str(review), "--data", str(mini_copy), "--apply-conflicts", "--dry-run"]) == 0
    assert "c1 alpha: forced" in capsys.readouterr().out
    assert main(["ingest", str(review), "--data", str(mini_copy), "--apply-conflicts"]) == 0
    assert "written:" in capsys.readouterr().err
    assert main(["validate", str(mini_copy)]) == 0


@pytest.mark.parametrize(("content", "message"), [("{", "invalid JSON"), ('{"format": 1}', "format")])
def test_ingest_refuses_bad_review_files(
    tmp_path: Path, mini_copy: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    review = tmp_path / "r.json"
    review.write_text(content, "utf-8")
    assert main(["ingest", str(review), "--data", str(mini_copy)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
