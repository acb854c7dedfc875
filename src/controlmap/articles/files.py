"""Reading articles and review files, and loading the gazetteer (the I/O edge of article extraction)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controlmap.articles._geonames import geonames_rows
from controlmap.articles.evaluation_articles import labelled_articles_from_documents
from controlmap.articles.gazetteer import gazetteer_from_sources
from controlmap.articles.review import review_from_document
from controlmap.basemap import load_basemap
from controlmap.errors import ArticleError, ReviewError
from controlmap.io import dataset_from_dir, default_data_dir

if TYPE_CHECKING:
    from controlmap.articles.evaluation_articles import LabelledArticle
    from controlmap.articles.gazetteer import Gazetteer
    from controlmap.articles.review import Review
    from controlmap.model import Dataset

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
"""Longer texts are refused unread: a news article is a few kilobytes."""
MAX_REVIEW_BYTES = 20 * 1024 * 1024


def article_from_bytes(data: bytes, *, name: str = "article") -> str:
    """Decode an article, refusing what is not plain UTF-8 text of a sensible size.

    Parameters
    ----------
    data
        The file's bytes.
    name
        What to call it in messages.

    Raises
    ------
    ArticleError
        Empty, too large, binary or not UTF-8, with one line saying which.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(_too_large(name, len(data)))
    if b"\x00" in data:
        msg = f"{name}: looks like a binary file (it has NUL bytes), not plain text"
        raise ArticleError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        msg = f"{name}: not UTF-8 text: byte {data[error.start]:#04x} at line {line}, offset {error.start}"
        raise ArticleError(msg) from None
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        msg = f"{name}: looks like a binary file ({controls} control characters), not plain text"
        raise ArticleError(msg)
    if not text.strip():
        msg = f"{name}: the article is empty"
        raise ArticleError(msg)
    return text


def _too_large(name: str, size: int) -> str:
    return f"{name}: {size / 1e6:.1f} MB is too large for an article (the limit is {MAX_ARTICLE_BYTES / 1e6:.0f} MB)"


def article_from_file(path: Path) -> str:
    """Read an article from a plain-text file (see `article_from_bytes` for what is refused)."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(_too_large(str(path), size))
        data = path.read_bytes()
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise ArticleError(msg) from None
    except IsADirectoryError:
        msg = f"{path}: is a directory, not an article"
        raise ArticleError(msg) from None
    except OSError as error:
        msg = f"{path}: cannot read: {error.strerror or error}"
        raise ArticleError(msg) from None
    return article_from_bytes(data, name=str(path))


def gazetteer_from_dataset(dataset: Dataset, *, data_dir: Path | str | None = None) -> Gazetteer:
    """The gazetteer of a dataset, with GeoNames towns and the basemap rivers and lakes of ``data_dir``."""
    basemap = load_basemap(data_dir)
    return gazetteer_from_sources(
        dataset, geonames=geonames_rows(), rivers=basemap.layer("rivers"), lakes=basemap.layer("lakes")
    )


def gazetteer_from_dir(data_dir: Path | str | None = None) -> Gazetteer:
    """Load a geodata directory (validated) and build its gazetteer."""
    directory = default_data_dir() if data_dir is None else Path(data_dir)
    return gazetteer_from_dataset(dataset_from_dir(directory), data_dir=directory)


def review_from_file(path: Path) -> Review:
    """Read and check a review file.

    Raises
    ------
    ReviewError
        When it cannot be read, is not JSON, or has problems (all listed).
    """
    return review_from_document(review_document_from_file(path), name=str(path))


def review_document_from_file(path: Path) -> Any:
    """The parsed JSON of a review file, unchecked."""
    try:
        if path.stat().st_size > MAX_REVIEW_BYTES:
            raise ReviewError(str(path), [f"larger than {MAX_REVIEW_BYTES / 1e6:.0f} MB"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(str(path), ["no such file"]) from None
    except IsADirectoryError:
        raise ReviewError(str(path), ["is a directory, not a review file"]) from None
    except OSError as error:
        raise ReviewError(str(path), [f"cannot read: {error.strerror or error}"]) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ReviewError(str(path), [f"not UTF-8 at offset {error.start}"]) from None
    except json.JSONDecodeError as error:
        raise ReviewError(
            str(path), [f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None


def labelled_articles_from_dir(directory: Path) -> list[LabelledArticle]:
    """The labelled articles of a directory: ``expected.json`` and the text files it names.

    Raises
    ------
    ArticleError
        When ``expected.json`` or a text it names is missing or unreadable.
    """
    index = directory / "expected.json"
    try:
        expected = json.loads(index.read_text("utf-8"))
    except (OSError, ValueError) as error:
        msg = f"{index}: cannot read the labels: {error}"
        raise ArticleError(msg) from None
    texts = {name: article_from_file(directory / name) for name in expected}
    return labelled_articles_from_documents(expected, texts)
