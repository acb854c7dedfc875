"""From text to places, actors and claims, on short texts written for the tests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from controlmap.articles.actors import actors_from_text, countries_from_text
from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.mentions import places_from_text
from controlmap.articles.rules import sentences_from_text

if TYPE_CHECKING:
    from controlmap.articles.gazetteer import Gazetteer


@pytest.mark.parametrize(
    ("text", "faction"),
    [
        ("Islamic State fighters", "isis"),
        ("ISIS", "isis"),
        ("ISIL", "isis"),
        ("Daesh", "isis"),
        ("Iraqi troops", "iraq_gov"),
        ("Iraqi federal police", "iraq_gov"),
        ("the Peshmerga", "krg"),
        ("the Syrian army", "syria_gov"),
        ("Russian-backed forces", "syria_gov"),
        ("the Syrian Democratic Forces", "sdf"),
        ("YPG fighters", "sdf"),
        ("People's Protection Units", "sdf"),
        ("Turkish-backed rebels", "turkey"),
        ("the Free Syrian Army", "rebels"),
        ("Jabhat al-Nusra", "nusra"),
    ],
)
def test_actors_map_to_factions(text: str, faction: str) -> None:
    (actor,) = actors_from_text(f"Yesterday {text} moved.")
    assert actor.faction_in(None) == faction


def test_kurdish_forces_depend_on_the_country() -> None:
    (actor,) = actors_from_text("Kurdish forces advanced.")
    assert actor.faction_in("IQ") == "krg"
    assert actor.faction_in("SY") == "sdf"
    assert actor.faction_in(None) is None


def test_countries_from_text() -> None:
    shares = countries_from_text("Iraqi forces in Iraq and Syria.")
    assert shares["IQ"] == pytest.approx(2 / 3)


def test_sentences_keep_abbreviations_together() -> None:
    text = "The U.S.-backed SDF advanced. Gen. Smith said so.\nHeadline\nLast line"
    spans = sentences_from_text(text)
    assert [text[a:b] for a, b in spans] == [
        "The U.S.-backed SDF advanced.",
        "Gen. Smith said so.",
        "Headline",
        "Last line",
    ]


def _ids(text: str, gazetteer: Gazetteer) -> list[str]:
    mentions = places_from_text(text, gazetteer, actors=actors_from_text(text))
    return [m.best.entry.id for m in mentions if m.best is not None]


def test_places_are_found_with_their_spans(shipped_gazetteer: Gazetteer) -> None:
    text = "Fighting spread from ar-Raqqah to Deir al-Zor and Tadmur."
    mentions = places_from_text(text, shipped_gazetteer)
    assert [m.best.entry.id for m in mentions if m.best] == ["raqqa", "deir-ez-zor", "palmyra"]
    assert [text[m.start : m.end] for m in mentions] == ["ar-Raqqah", "Deir al-Zor", "Tadmur"]


def test_a_place_inside_a_name_is_not_a_place(shipped_gazetteer: Gazetteer) -> None:
    text = "Abu Bakr al-Baghdadi spoke. Later Baghdadi left for Mosul."
    assert _ids(text, shipped_gazetteer) == ["mosul"]


def test_actor_names_hide_places(shipped_gazetteer: Gazetteer) -> None:
    assert _ids("The Syrian Democratic Forces and the Free Syrian Army met.", shipped_gazetteer) == []


def test_parts_of_cities(shipped_gazetteer: Gazetteer) -> None:
    text = "Troops held Mosul's airport. They entered eastern Mosul, then the western part of the city."
    assert _ids(text, shipped_gazetteer) == ["mosul-east", "mosul-west"]
    site = places_from_text(text, shipped_gazetteer)[0]
    assert (site.text, site.role, site.candidates) == ("Mosul's airport", "site", ())  # a place of its own


def test_arabic_script_names(shipped_gazetteer: Gazetteer) -> None:
    assert _ids("تقدمت القوات نحو الموصل", shipped_gazetteer) == ["mosul"]


def test_rivers_and_regions(shipped_gazetteer: Gazetteer) -> None:
    text = "Villages along the Khabur River and in the Manbij pocket, west of the Euphrates."
    assert _ids(text, shipped_gazetteer) == ["khabur-river", "manbij-pocket", "euphrates-river"]


CLAIMS = [
    (
        "Islamic State fighters seized Ramadi on Sunday.",
        dt.date(2015, 5, 18),
        ("ramadi", "isis", "controlled", "captured", dt.date(2015, 5, 17), "day"),
    ),
    (
        "Iraqi forces retook Tikrit in March 2015.",
        dt.date(2015, 4, 10),
        ("tikrit", "iraq_gov", "controlled", "retaken", dt.date(2015, 3, 1), "month"),
    ),
    (
        "Kobane fell to the Islamic State in 2014, a commander said.",
        dt.date(2015, 4, 10),
        ("kobani", "isis", "controlled", "captured", dt.date(2014, 1, 1), "year"),
    ),
    (
        "The Syrian army is besieging al-Bab.",
        dt.date(2017, 2, 1),
        ("al-bab", "isis", "besieged", "besieged", dt.date(2017, 2, 1), "day"),
    ),
    (
        "Raqqa remains under Islamic State control.",
        dt.date(2016, 5, 1),
        ("raqqa", "isis", "controlled", "holds", dt.date(2016, 5, 1), "day"),
    ),
    (
        "Peshmerga forces are attacking Sinjar.",
        dt.date(2015, 11, 12),
        ("sinjar", "isis", "contested", "under attack", dt.date(2015, 11, 12), "day"),
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), CLAIMS)
def test_claims(shipped_gazetteer: Gazetteer, text: str, published: dt.date, expected: tuple[object, ...]) -> None:
    extraction = extraction_from_text(text, shipped_gazetteer, published=published)
    (claim,) = extraction.claims
    assert claim.place.best is not None
    date = claim.date
    assert date is not None
    got = (claim.place.best.entry.id, claim.controller, claim.status, claim.kind, date.start, date.precision)
    assert got == expected
    assert claim.sentence == (0, len(text))
    assert text[claim.trigger[1] : claim.trigger[2]] == claim.trigger[0]


def test_attackers_are_the_opponents(shipped_gazetteer: Gazetteer) -> None:
    extraction = extraction_from_text("Peshmerga forces are attacking Sinjar.", shipped_gazetteer)
    (claim,) = extraction.claims
    assert claim.opponents == ("krg",)


@pytest.mark.parametrize(
    "text",
    [
        "Iraqi forces could retake Mosul within weeks.",
        "The army plans to recapture Palmyra.",
        "Government forces broke the siege of Deir ez-Zor.",
        "Refugees fled Raqqa for Tell Abyad.",
    ],
)
def test_no_claim(shipped_gazetteer: Gazetteer, text: str) -> None:
    assert extraction_from_text(text, shipped_gazetteer, published=dt.date(2016, 1, 1)).claims == ()


def test_an_undated_past_event_is_dated_before_publication(shipped_gazetteer: Gazetteer) -> None:
    lead = "Aid reaches Anbar.\n\n" + " ".join(
        ["Convoys of trucks reached the province this week, officials said."] * 3
    )
    extraction = extraction_from_text(
        f"{lead}\n\nThe coalition had retaken Ramadi.", shipped_gazetteer, published=dt.date(2016, 3, 1)
    )
    (claim,) = extraction.claims
    assert claim.date is not None
    assert (claim.date.start, claim.date.end, claim.date.relation) == (None, dt.date(2016, 3, 1), "before")


def test_the_news_of_a_headline_is_dated_to_its_publication_day(shipped_gazetteer: Gazetteer) -> None:
    extraction = extraction_from_text(
        "The coalition has retaken Ramadi.", shipped_gazetteer, published=dt.date(2016, 3, 1)
    )
    (claim,) = extraction.claims
    assert claim.date is not None
    assert (claim.date.start, claim.date.precision, claim.date.relation) == (dt.date(2016, 3, 1), "day", "on")
    assert any("publication day" in reason for reason in claim.why)
    assert claim.confidence < 0.9  # a date the text does not give lowers the confidence


def test_the_publication_date_is_read_from_the_text(shipped_gazetteer: Gazetteer) -> None:
    text = "Iraqi forces retook Ramadi on Monday.\n\nLast update: Tue, 29/12/2015 - 10:00"
    extraction = extraction_from_text(text, shipped_gazetteer)
    assert (extraction.published, extraction.published_from) == (dt.date(2015, 12, 29), "text")
    (claim,) = extraction.claims
    assert claim.date is not None
    assert claim.date.start == dt.date(2015, 12, 28)


def test_an_undated_article_says_so(shipped_gazetteer: Gazetteer) -> None:
    extraction = extraction_from_text("Iraqi forces retook Ramadi on Monday.", shipped_gazetteer)
    assert extraction.published_from == "unknown"
    assert extraction.notes
    (claim,) = extraction.claims
    assert claim.date is None


# The causes of misses on real reports, one sentence each (written for these tests).


def _claims(text: str, gazetteer: Gazetteer, published: str) -> list[tuple[str | None, str, str, str | None, str]]:
    extraction = extraction_from_text(text, gazetteer, published=dt.date.fromisoformat(published))
    return [
        (
            c.place.best.entry.id if c.place.best else c.place.text,
            c.controller,
            c.status,
            None if c.date is None or c.date.start is None else c.date.start.isoformat(),
            "before" if c.date is not None and c.date.relation == "before" else c.kind,
        )
        for c in extraction.claims
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # 1. the place only referred to after it was named
        (
            "Iraqi forces entered Rutba last week. Troops took full control of the town on Friday.",
            "2016-05-22",
            ("rutba", "iraq_gov", "controlled", "2016-05-20", "captured"),
        ),
        # 2. a dateline is not where the news happened
        (
            "BAGHDAD (AP) - Iraqi forces recaptured the town of Rutba on Saturday.",
            "2016-05-22",
            ("rutba", "iraq_gov", "controlled", "2016-05-21", "retaken"),
        ),
        # 3. control stated by a noun phrase
        (
            "Air strikes hit the IS-held town of Rutba on Monday.",
            "2016-05-17",
            ("rutba", "isis", "controlled", "2016-05-16", "holds"),  # held on the day the clause names
        ),
        # 4. dates: counted from the date before them, and a month of last year
        (
            "IS seized Palmyra in May 2015. Syrian troops entered it ten months later.",
            "2016-03-28",
            ("palmyra", "isis", "controlled", "2015-05-01", "captured"),
        ),
        (
            "Syrian troops entered Palmyra in March last year.",
            "2017-03-02",
            ("palmyra", "isis", "contested", "2016-03-01", "under attack"),
        ),
        # 5. roles: a passive without an agent does not borrow the last actor seen
        (
            "Hawija, which IS had seized in 2014, was retaken on Thursday by Iraqi forces.",
            "2017-10-06",
            ("hawija", "iraq_gov", "controlled", "2017-10-05", "retaken"),
        ),
        # 6. actors named by role or by their backers
        (
            "Ankara-backed fighters seized al-Bab on Thursday.",
            "2017-02-24",
            ("al-bab", "turkey", "controlled", "2017-02-23", "captured"),
        ),
        # 7. triggers less common than "captured"
        (
            "Kurdish forces raised their flags over Tal Abyad on Monday.",
            "2015-06-16",
            ("tell-abyad", "sdf", "controlled", "2015-06-15", "captured"),
        ),
        # 8. a part of a place is fighting in it, not a change of its holder
        (
            "The army pushed into the old city of Mosul on Sunday.",
            "2017-06-19",
            ("mosul", "isis", "contested", "2017-06-18", "under attack"),
        ),
        (
            "Iraqi forces drove the militants out of the centre of Ramadi on Monday.",
            "2015-12-29",
            ("ramadi", "isis", "contested", "2015-12-28", "under attack"),
        ),
    ],
)
def test_a_cause_of_misses_on_real_reports(
    shipped_gazetteer: Gazetteer, text: str, published: str, expected: tuple[str, str, str, str | None, str]
) -> None:
    assert expected in _claims(text, shipped_gazetteer, published)


def test_the_headline_event_is_the_news_and_a_background_event_is_before(shipped_gazetteer: Gazetteer) -> None:
    lead = " ".join(["Aid convoys reached the besieged areas this week, officials said."] * 3)
    text = f"Iraqi forces retake Rutba\n\n{lead}\n\nThe militants had overrun Hit."
    claims = _claims(text, shipped_gazetteer, "2016-05-22")
    assert ("rutba", "iraq_gov", "controlled", "2016-05-22", "retaken") in claims
    assert ("hit", "isis", "controlled", None, "before") in claims


def test_the_last_neighbourhood_held_on_the_day_of_the_fall_is_no_hold(shipped_gazetteer: Gazetteer) -> None:
    text = "The SDF captured Tabqa on Friday, the last town held by Islamic State fighters west of Raqqa."
    claims = _claims(text, shipped_gazetteer, "2017-05-13")
    assert ("tabqa", "sdf", "controlled", "2017-05-12", "captured") in claims
    assert not any(c[0] == "tabqa" and c[1] == "isis" for c in claims)


def test_unknown_villages_are_proposed_unlocated(shipped_gazetteer: Gazetteer) -> None:
    text = "Islamic State fighters took over the villages of Qarqoosh Ulya and Tell Zanbur on Monday."
    extraction = extraction_from_text(text, shipped_gazetteer, published=dt.date(2015, 3, 3))
    unknown = {c.place.text for c in extraction.claims if c.place.role == "unknown"}
    assert {"Qarqoosh Ulya", "Tell Zanbur"} <= unknown
    assert all("locate it" in " ".join(c.why) for c in extraction.claims if c.place.best is None)
