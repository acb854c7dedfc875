"""controlmap: who controlled what, and when, in the war against the Islamic State in Iraq and Syria."""

from __future__ import annotations

from controlmap._fs import write_bytes_atomic, write_text_atomic
from controlmap.dates import format_date, parse_date
from controlmap.errors import ControlmapError, DataError, DateError, OutputExistsError, PlaceNotFoundError, Problem
from controlmap.io import check_paths, dataset_from_dir, default_data_dir
from controlmap.model import UNKNOWN, Dataset, Faction, Palette, Period, Place, Source
from controlmap.records import place_properties, snapshot_to_features, snapshot_to_geojson
from controlmap.style import feature_style, legend_entries, palette_colours, style_spec
from controlmap.timeline import (
    Snapshot,
    change_dates,
    change_events,
    changes_between,
    next_change,
    place_history,
    previous_change,
    snapshot,
)

__all__ = [
    "UNKNOWN",
    "ControlmapError",
    "DataError",
    "Dataset",
    "DateError",
    "Faction",
    "OutputExistsError",
    "Palette",
    "Period",
    "Place",
    "PlaceNotFoundError",
    "Problem",
    "Snapshot",
    "Source",
    "change_dates",
    "change_events",
    "changes_between",
    "check_paths",
    "dataset_from_dir",
    "default_data_dir",
    "feature_style",
    "format_date",
    "legend_entries",
    "next_change",
    "palette_colours",
    "parse_date",
    "place_history",
    "place_properties",
    "previous_change",
    "snapshot",
    "snapshot_to_features",
    "snapshot_to_geojson",
    "style_spec",
    "write_bytes_atomic",
    "write_text_atomic",
]
