// controlmap's time engine, part 1 of 7: dates, the payload as columns, the period of a place at a day,
// and the look of a state. Joined with the other engine_*.js files into one script (controlmap.web.engine).
// Nothing here touches the page: every colour, pattern and sentence comes in the payload from
// controlmap.style and controlmap.web.popups.

var DAY_MS = 86400000;
var STATUS_UNKNOWN = 3;
var SVG_LIMIT = 4000;
// Above this many places, paths are drawn on canvas (one redraw per step) rather than as SVG elements.

function isoDate(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function dayOf(iso) {
  var parts = String(iso).split("-");
  return Math.round(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])) / DAY_MS);
}

// A date as precisely as it is known (precision 0: day, 1: month, 2: year), as controlmap.dates.format_date.
function formatDay(day, precision, months) {
  var date = new Date(day * DAY_MS);
  var year = String(date.getUTCFullYear());
  if (precision === 2) {
    return year;
  }
  if (precision === 1) {
    return months[date.getUTCMonth()] + " " + year;
  }
  return date.getUTCDate() + " " + months[date.getUTCMonth()] + " " + year;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (whole, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

// The payload (controlmap.web.engine.engine_payload) as typed columns.
function decode(payload) {
  var places = payload.places;
  var periods = payload.periods;
  var count = places.id.length;
  var index = {};
  places.id.forEach(function (id, i) {
    index[id] = i;
  });
  return {
    payload: payload,
    count: count,
    start: payload.start,
    end: payload.end,
    index: index,
    places: places,
    offset: Int32Array.from(periods.offset),
    pStart: Int32Array.from(periods.start),
    pEnd: Int32Array.from(periods.end),
    pOpen: periods.open,
    pController: Int16Array.from(periods.controller),
    pStatus: Int8Array.from(periods.status),
    pOpponents: periods.opponents,
    pStartPrecision: Int8Array.from(periods.start_precision),
    pEndPrecision: Int8Array.from(periods.end_precision),
    pSources: periods.sources,
    pNote: periods.note,
    changes: payload.changes.map(function (pair) {
      return pair[0];
    }),
    changeCounts: payload.changes.map(function (pair) {
      return pair[1];
    }),
    canvas: count > SVG_LIMIT
  };
}

// The index of the period holding place i on day, or -1; `hint` is the one that held it last time, so a
// step of a day costs two comparisons for a place whose period did not change.
function periodAt(data, i, day, hint) {
  if (hint >= 0 && data.pStart[hint] <= day && day < data.pEnd[hint]) {
    return hint;
  }
  for (var p = data.offset[i]; p < data.offset[i + 1]; p += 1) {
    if (data.pStart[p] <= day && day < data.pEnd[p]) {
      return p;
    }
  }
  return -1;
}

// How a place looks in period p (-1: unknown), in a palette: as controlmap.style.feature_style.
function lookOf(data, p, palette) {
  var payload = data.payload;
  var colours = payload.palettes[palette];
  var status = p < 0 ? STATUS_UNKNOWN : data.pStatus[p];
  var pattern = payload.patterns[payload.statuses[status]];
  var controller = p < 0 ? -1 : data.pController[p];
  var opponents = p < 0 ? [] : data.pOpponents[p];
  var fillColour = controller < 0 ? colours.unknown : colours.colours[controller];
  var stroke = pattern.ring && opponents.length ? colours.colours[opponents[0]] : payload.outline;
  return {
    status: status,
    statusName: payload.statuses[status],
    controller: controller,
    fill: fillColour,
    stroke: stroke,
    weight: pattern.stroke_width,
    dash: pattern.dash,
    hatch: pattern.hatch,
    ring: pattern.ring,
    fillOpacity: pattern.fill_opacity,
    label: pattern.label
  };
}

// Whether two periods show the same state (holder and status): a change of sources alone is no change.
function sameState(data, a, b) {
  if (a < 0 || b < 0) {
    return a < 0 && b < 0;
  }
  return data.pController[a] === data.pController[b] && data.pStatus[a] === data.pStatus[b];
}
