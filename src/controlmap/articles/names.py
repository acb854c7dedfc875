"""Place-name normalisation: one key for the many spellings of a name (pure).

Arabic place names reach English text in many transliterations: Raqqa, Raqqah, al-Raqqa, Ar-Raqqah;
Deir ez-Zor, Deir al-Zor, Dayr az Zawr. `name_key` maps such variants to one key, so that a gazetteer
lookup is a dictionary lookup, and what variation remains (Jarabulus, Jarablus) is left to a fuzzy
comparison of keys.
"""

from __future__ import annotations

import re
import unicodedata

ARTICLES: frozenset[str] = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ar",
        "ad",
        "as",
        "az",
        "an",
        "at",
        "ash",
        "adh",
        "ath",
        "es",
        "ez",
        "ed",
        "er",
        "en",
        "et",
    }
)
"""The Arabic article as transliterated, alone or assimilated to the next consonant (ar-Raqqa, ad-Dawr)."""

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0629": "\u0647",
        "\u0649": "\u064a",
        "\u0624": "\u0648",
        "\u0626": "\u064a",
    }
)
_APOSTROPHES = re.compile("['`\u00b4\u02bc\u02bb\u02be\u02bf\u2018\u2019\u2032]")
_NON_WORD = re.compile(r"[^\w]+|_")
# A glued, assimilated article: Arraqqa, Ezzor, Assuwayda (the vowel and doubled consonant of ar-/ez-/as-).
_GLUED_ARTICLE = re.compile(r"^[ae](?=(sh|th|dh|[tdrzsnl])\1)")
# Letter groups that transliterations write differently, in the order they are applied.
_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("dj", "j"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "ay"),
    ("ey", "ay"),
    ("ai", "ay"),
    ("aw", "u"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("q", "k"),
    ("e", "a"),
    ("o", "u"),
)
_DOUBLE = re.compile(r"(\w)\1+")
_FINAL_H = re.compile(r"(?<=[aiu])h$")


def strip_diacritics(text: str) -> str:
    """The text without accents and other combining marks (Kobanî -> Kobani, Hīt -> Hit)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def is_arabic(text: str) -> bool:
    """Whether the text has Arabic-script letters."""
    return any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in text)


def name_words(text: str) -> list[str]:
    """The words of a name, case-folded, without diacritics, apostrophes or articles.

    Parameters
    ----------
    text
        A place name in Latin or Arabic script.

    Returns
    -------
    The words; an article is kept only when it is the whole name.
    """
    if is_arabic(text):
        return _arabic_words(text)
    plain = _APOSTROPHES.sub("", strip_diacritics(text).casefold())
    words = [w for w in _NON_WORD.split(plain) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))]
    return kept or words


def _arabic_words(text: str) -> list[str]:
    plain = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_ARABIC_LETTERS)
    words = [w for w in _NON_WORD.split(plain) if w]
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]


def _spelling(word: str) -> str:
    if word.isascii():
        word = _GLUED_ARTICLE.sub("", word)
        for written, unified in _SPELLINGS:
            word = word.replace(written, unified)
        word = _DOUBLE.sub(r"\1", word)
        word = _FINAL_H.sub("", word)
    return word


def name_key(text: str) -> str:
    """The normalised key of a name: every spelling of one name gets the same key.

    Case-folds, strips diacritics and apostrophes, drops article prefixes (al-, el-, ar-, ad-, as-,
    az- ...), unifies letters that transliterations write differently (q/k, ou/u, ei/ay, kh/k, e/a,
    o/u, doubled letters, a final h after a vowel), and joins the words with single spaces. Arabic
    script keeps its letters, without vowel marks, with the forms of alef unified and the article
    dropped.

    Parameters
    ----------
    text
        A place name.

    Returns
    -------
    The key; empty when the name has no letters.

    Examples
    --------
    >>> name_key("Ar-Raqqah") == name_key("Raqqa") == name_key("al-Raqqa")
    True
    >>> name_key("Dayr az Zawr") == name_key("Deir ez-Zor")
    True
    """
    return " ".join(_spelling(word) for word in name_words(text))


def compact_key(text: str) -> str:
    """`name_key` without the spaces, so that Tal Afar and Talafar meet."""
    return name_key(text).replace(" ", "")


def word_set(text: str) -> frozenset[str]:
    """The words of a text as a set (for word lists written as prose)."""
    return frozenset(text.split())
