"""Review files and ingest: schema checks, merges, conflicts, validation before writing, backups.

Accepted claims are merged into a copy of the mini dataset, and nothing is lost when a write fails.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

import controlmap
from controlmap import _fs
from controlmap.articles import ingest as ingest_module
from controlmap.articles.extraction import extraction_from_text
from controlmap.articles.files import gazetteer_from_dataset, review_from_file
from controlmap.articles.ingest import ingest_review
from controlmap.articles.review import review_from_document, review_from_extraction, source_id_for
from controlmap.errors import ReviewError
from controlmap.validate import schema

if TYPE_CHECKING:
    from pathlib import Path


def claim(cid: str, place: str | None, controller: str, kind: str, start: str | None, **extra: Any) -> dict[str, Any]:
    status = {"under attack": "contested", "besieged": "besieged"}.get(kind, "controlled")
    entry: dict[str, Any] = {
        "id": cid,
        "decision": "accepted",
        "place": {"text": place or "somewhere", "id": place},
        "controller": controller,
        "status": status,
        "opponents": ["sdf"] if status != "controlled" else [],
        "kind": kind,
        "date": {"start": start, "end": None, "precision": "day", "relation": "on"},
        "confidence": 0.9,
    }
    entry.update(extra)
    return entry


def review(*claims: dict[str, Any], source_id: str = "test-2016-01-01-report") -> dict[str, Any]:
    return {
        "format": "controlmap-review",
        "version": 1,
        "article": {
            "source_id": source_id,
            "title": "Report",
            "outlet": "Test",
            "published": "2016-01-01",
            "url": None,
        },
        "claims": list(claims),
    }


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), "utf-8")
    return path


def snapshot_of(data: Path) -> dict[str, str]:
    return {str(p.relative_to(data)): p.read_text("utf-8") for p in sorted(data.rglob("*")) if p.is_file()}


def test_an_extraction_makes_a_valid_review_file(mini: controlmap.Dataset) -> None:
    gazetteer = gazetteer_from_dataset(mini)
    text = "Islamic State fighters captured Alfa on Sunday. The Beta River remains under Islamic State control."
    extraction = extraction_from_text(text, gazetteer, published=dt.date(2015, 5, 18))
    document = review_from_extraction(extraction, title="Alfa falls", outlet="Test Wire", url="https://example.org/x")
    jsonschema.validate(document, schema("review"))
    assert [c["decision"] for c in document["claims"]] == ["pending", "pending"]
    first = document["claims"][0]
    assert first["place"]["id"] == "alpha"
    assert text[slice(*first["sentence"]["span"])] == first["sentence"]["text"]
    assert text[slice(*first["place"]["span"])] == "Alfa"
    assert first["date"]["start"] == "2015-05-17"
    assert document["claims"][1]["place"]["id"] == "beta"
    parsed = review_from_document(document)
    assert parsed.accepted == ()
    assert parsed.source_id == source_id_for(title="Alfa falls", outlet="Test Wire", published=dt.date(2015, 5, 18))


def test_a_new_town_is_proposed_with_its_coordinates(mini: controlmap.Dataset) -> None:
    rows = [(7, "Tell Zebra", "SY", 39.5, 36.2, 3000, ())]
    from controlmap.articles.gazetteer import gazetteer_from_sources  # noqa: PLC0415

    gazetteer = gazetteer_from_sources(mini, geonames=rows)
    extraction = extraction_from_text(
        "ISIS fighters seized Tell Zebra on Monday.", gazetteer, published=dt.date(2015, 1, 7)
    )
    (entry,) = review_from_extraction(extraction, title="t", outlet="o")["claims"]
    assert entry["place"]["id"] is None
    assert entry["place"]["new_place"] == {
        "id": "tell-zebra",
        "name": "Tell Zebra",
        "kind": "town",
        "country": "SY",
        "lon": 39.5,
        "lat": 36.2,
        "aliases": [],
        "note": "Location from GeoNames (geonames:7).",
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "other"}, "document"),
        (review(claim("c1", None, "isis", "captured", "2015-01-01")), "no id and no new_place"),
        (review(claim("c1", "alpha", "isis", "captured", None)), "needs date.start"),
        (review(claim("c1", "alpha", "isis", "captured", "2015-01-01", decision="maybe")), "decision"),
        (
            review(
                claim("c1", "alpha", "isis", "captured", "2015-01-01"),
                claim("c1", "alpha", "isis", "holds", "2015-01-01"),
            ),
            "duplicate",
        ),
        (review(claim("c1", "alpha", "isis", "under attack", "2015-01-01", opponents=[])), "opponents"),
    ],
)
def test_bad_review_files_are_refused_with_every_problem(document: dict[str, Any], message: str) -> None:
    with pytest.raises(ReviewError) as caught:
        review_from_document(document, name="r.json")
    assert message in str(caught.value)
    assert all(line.startswith("r.json: ") for line in caught.value.problems)


def test_pending_claims_need_no_date() -> None:
    pending = claim("c1", None, "isis", "captured", None, decision="pending")
    assert review_from_document(review(pending)).claims[0].decision == "pending"


def test_ingest_applies_accepted_claims_and_cites_the_article(mini_copy: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.json",
        review(
            claim("c1", "alpha", "iraq_gov", "retaken", "2017-07-10"),  # agrees with the data
            claim("c2", "gamma", "turkey", "captured", "2016-09-01"),  # agrees
            claim("c3", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True),  # cuts the open Iraqi period
            claim("c4", "alpha", "isis", "captured", "2015-01-01", decision="rejected"),
        ),
    )
    report = ingest_review(review_from_file(path), data_dir=mini_copy)
    assert [(o.claim_id, o.action) for o in report.outcomes] == [("c1", "agrees"), ("c2", "agrees"), ("c3", "forced")]
    assert report.source_added
    assert report.not_accepted == ("c4 (rejected)",)
    dataset = controlmap.dataset_from_dir(mini_copy)
    assert "test-2016-01-01-report" in dataset.sources
    alpha = dataset.place("alpha")
    assert [(p.start, p.end, p.controller) for p in alpha.history[-2:]] == [
        (dt.date(2017, 7, 10), dt.date(2018, 3, 1), "iraq_gov"),
        (dt.date(2018, 3, 1), None, "isis"),
    ]
    assert "test-2016-01-01-report" in alpha.history[-2].sources
    assert (mini_copy / "places" / "test.geojson.bak").is_file()
    assert (mini_copy / "sources.json.bak").is_file()
    assert controlmap.check_paths([mini_copy]) == []


def test_ingest_is_idempotent(mini_copy: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.json", review(claim("c1", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True))
    )
    ingest_review(review_from_file(path), data_dir=mini_copy)
    after_first = snapshot_of(mini_copy)
    report = ingest_review(review_from_file(path), data_dir=mini_copy)
    assert [o.action for o in report.outcomes] == ["agrees"]
    assert {k: v for k, v in snapshot_of(mini_copy).items() if not k.endswith(".bak")} == {
        k: v for k, v in after_first.items() if not k.endswith(".bak")
    }


def test_conflicts_are_listed_not_applied(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot_of(mini_copy)
    path = write(tmp_path / "r.json", review(claim("c1", "alpha", "sdf", "holds", "2015-03-01")))
    report = ingest_review(review_from_file(path), data_dir=mini_copy)
    assert [o.action for o in report.conflicts] == ["conflict"]
    assert snapshot_of(mini_copy) == before


@pytest.mark.parametrize("per_claim", [True, False])
def test_conflicts_are_applied_when_the_reviewer_chose_so(mini_copy: Path, tmp_path: Path, per_claim: bool) -> None:
    entry = claim("c1", "alpha", "iraq_gov", "retaken", "2016-01-01", apply_conflict=per_claim)
    report = ingest_review(
        review_from_file(write(tmp_path / "r.json", review(entry))), data_dir=mini_copy, apply_conflicts=not per_claim
    )
    assert [o.action for o in report.outcomes] == ["forced"]
    alpha = controlmap.dataset_from_dir(mini_copy).place("alpha")
    assert any(p.start == dt.date(2016, 1, 1) and p.controller == "iraq_gov" for p in alpha.history)


def test_a_claim_about_a_group_applies_to_every_member(mini_copy: Path, tmp_path: Path) -> None:
    # "beta" is both the river's id and its group id in the mini dataset; a group of one.
    report = ingest_review(
        review_from_file(write(tmp_path / "r.json", review(claim("c1", "beta", "isis", "holds", "2015-01-01")))),
        data_dir=mini_copy,
    )
    assert [(o.place_id, o.action) for o in report.outcomes] == [("beta", "agrees")]


def test_a_new_place_is_added_beside_the_places_of_its_country(mini_copy: Path, tmp_path: Path) -> None:
    new = {"id": "tell-zebra", "name": "Tell Zebra", "kind": "town", "country": "SY", "lon": 39.5, "lat": 36.2}
    entry = claim("c1", None, "isis", "captured", "2014-06-01")
    entry["place"] = {"text": "Tell Zebra", "id": None, "new_place": new}
    report = ingest_review(review_from_file(write(tmp_path / "r.json", review(entry))), data_dir=mini_copy)
    assert report.new_places == ("tell-zebra",)
    zebra = controlmap.dataset_from_dir(mini_copy).place("tell-zebra")
    assert [(p.start, p.end, p.controller) for p in zebra.history] == [
        (dt.date(2014, 6, 1), dt.date(2016, 1, 1), "isis")
    ]


def test_unknown_places_and_factions_are_refused(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot_of(mini_copy)
    path = write(
        tmp_path / "r.json",
        review(
            claim("c1", "nowhere", "isis", "holds", "2015-01-01"),
            claim("c2", "alpha", "martians", "holds", "2015-01-01"),
        ),
    )
    with pytest.raises(ReviewError) as caught:
        ingest_review(review_from_file(path), data_dir=mini_copy)
    assert "no place or group with id 'nowhere'" in str(caught.value)
    assert "unknown faction 'martians'" in str(caught.value)
    assert snapshot_of(mini_copy) == before


def test_a_result_that_would_not_validate_is_not_written(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot_of(mini_copy)
    far = {"id": "far-away", "name": "Far Away", "kind": "town", "country": "SY", "lon": 10.0, "lat": 10.0}
    entry = claim("c1", None, "isis", "captured", "2014-06-01")
    entry["place"] = {"text": "Far Away", "id": None, "new_place": far}
    with pytest.raises(controlmap.DataError) as caught:
        ingest_review(review_from_file(write(tmp_path / "r.json", review(entry))), data_dir=mini_copy)
    assert "nothing was written" in str(caught.value)
    assert snapshot_of(mini_copy) == before


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        (
            claim("c7", "nowhere", "isis", "holds", "2015-01-01"),
            "claim c7: place.id: no place or group with id 'nowhere'",
        ),
        (claim("c7", "alpha", "martians", "holds", "2015-01-01"), "claim c7: controller: unknown faction 'martians'"),
        (
            claim("c7", "alpha", "isis", "under attack", "2015-01-01", opponents=["martians"]),
            "claim c7: opponents: unknown faction 'martians'",
        ),
        (claim("c7", "alpha", "isis", "holds", "2021-01-01"), "claim c7: date.start: 2021-01-01 is outside the data's"),
        (claim("c7", "alpha", "isis", "holds", "2015-01-01", decision="maybe"), "claim c7 (claims/0): decision:"),
    ],
)
def test_bad_review_files_are_refused_naming_the_claim_and_field(
    mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, Any], named: str
) -> None:
    from controlmap.cli import main  # noqa: PLC0415 - the command line, as a reviewer runs it

    before = snapshot_of(mini_copy)
    path = write(tmp_path / "r.json", review(entry))
    assert main(["ingest", str(path), "--data", str(mini_copy)]) != 0
    assert named in capsys.readouterr().err
    assert snapshot_of(mini_copy) == before  # nothing written


def test_broken_geodata_is_not_touched(mini_copy: Path, tmp_path: Path) -> None:
    (mini_copy / "sources.json").write_text("{", "utf-8")
    before = snapshot_of(mini_copy)
    with pytest.raises(controlmap.DataError):
        ingest_review(
            review_from_file(
                write(
                    tmp_path / "r.json",
                    review(claim("c1", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True)),
                )
            ),
            data_dir=mini_copy,
        )
    assert snapshot_of(mini_copy) == before


def test_a_failed_write_puts_back_what_was_written(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot_of(mini_copy)
    calls: list[Path] = []
    real = controlmap.write_bytes_atomic

    def failing(path: Path, data: bytes, *, backup: bool = False) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, backup=backup)

    monkeypatch.setattr(_fs, "write_bytes_atomic", failing)
    path = write(
        tmp_path / "r.json", review(claim("c1", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True))
    )
    with pytest.raises(controlmap.ControlmapError, match="put back"):
        ingest_review(review_from_file(path), data_dir=mini_copy)
    assert len(calls) == 2
    assert {k: v for k, v in snapshot_of(mini_copy).items() if not k.endswith(".bak")} == before


def test_a_dry_run_writes_nothing(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot_of(mini_copy)
    path = write(
        tmp_path / "r.json", review(claim("c1", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True))
    )
    report = ingest_review(review_from_file(path), data_dir=mini_copy, dry_run=True)
    assert [o.action for o in report.outcomes] == ["forced"]
    assert snapshot_of(mini_copy) == before


def test_the_plan_is_pure_and_names_the_files_in_write_order(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot_of(mini_copy)
    path = write(
        tmp_path / "r.json", review(claim("c1", "alpha", "isis", "captured", "2018-03-01", apply_conflict=True))
    )
    plan = ingest_module.plan_ingest(review_from_file(path), controlmap.io.valid_documents(mini_copy))
    assert snapshot_of(mini_copy) == before
    names = [p.name for p, _ in plan.files]
    assert names[0] == "sources.json"  # the registry first: a kill never leaves a dangling source id
    assert len(names) == 2
    assert '"controller": "isis"' in dict(plan.files)[plan.files[1][0]]
    assert [o.action for o in plan.report.outcomes] == ["forced"]


def test_a_retaking_that_disagrees_by_status_is_listed_with_both_sources(mini_copy: Path, tmp_path: Path) -> None:
    # The data has IS holding a contested alpha from 2016-11-01 (report-b); "IS retook alpha" is no agreement.
    before = snapshot_of(mini_copy)
    path = write(tmp_path / "r.json", review(claim("c1", "alpha", "isis", "retaken", "2017-01-03")))
    report = ingest_review(review_from_file(path), data_dir=mini_copy)
    (outcome,) = report.conflicts
    assert (outcome.claim_id, outcome.data_sources, outcome.claim_source) == (
        "c1",
        ("report-b",),
        "test-2016-01-01-report",
    )
    assert "contested" in outcome.message
    assert snapshot_of(mini_copy) == before  # nothing is written until the reviewer asks for that claim


def test_a_claim_in_an_unknown_gap_fills_it(mini_copy: Path, tmp_path: Path) -> None:
    # beta has no period after 2018-01-01: a state there fills one unit, no conflict.
    path = write(tmp_path / "r.json", review(claim("c1", "beta", "sdf", "holds", "2018-06-01")))
    report = ingest_review(review_from_file(path), data_dir=mini_copy)
    assert [(o.action, o.data_sources) for o in report.outcomes] == [("applied", ())]
    beta = controlmap.dataset_from_dir(mini_copy).place("beta")
    assert (beta.history[-1].start, beta.history[-1].end, beta.history[-1].sources) == (
        dt.date(2018, 6, 1),
        dt.date(2018, 6, 2),
        ("test-2016-01-01-report",),
    )
