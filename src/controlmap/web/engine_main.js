// controlmap's time engine, part 7 of 7: the engine itself, and its two hosts. `create` puts the places on a
// Leaflet map that folium built (basemap, panes, controls); `page` starts it in a self-contained HTML export;
// `mountInStreamlit` runs it as the app's map component, reporting dates and picked places to Streamlit and
// taking dates set by Streamlit's own controls without rebuilding the map (zoom and pan are kept).

var KEY_REPORT_MS = 300;
var PLAY_REPORT_MS = 500;

function Engine(map, payload, options) {
  var data = decode(payload);
  var self = this;
  this.map = map;
  this.data = data;
  this.options = options;
  this.palette = options.palette && payload.palettes[options.palette] ? options.palette : Object.keys(payload.palettes)[0];
  this.day = data.start;
  this.compare = null;
  this.changed = [];
  this.selected = -1;
  this.shading = options.shade !== false;
  this.current = new Int32Array(data.count).fill(-2);
  this.looks = new Array(data.count);
  this.counts = new Int32Array(payload.factions.length);
  this.statusCounts = new Int32Array(payload.statuses.length);
  this.reportTimer = null;
  this.lastPlayReport = 0;
  this.reported = null;
  this.steps = [];
  var hooks = {
    popups: options.popups === true,
    describe: function (i, links) {
      var p = self.current[i];
      return describe(data, i, p, self.looks[i] || lookOf(data, p, self.palette), links);
    },
    describeArea: function (i) {
      var p = self.current[i];
      return describeArea(data, i, p, self.looks[i] || lookOf(data, p, self.palette));
    },
    onPick: function (i) {
      self.select(i, false);
      if (options.onPick) {
        options.onPick(data.places.id[i]);
      }
    },
    onHover: function (i) {
      if (self.layout) {
        self.layout.hovered(i);
      }
    },
    lookOf: function (i) {
      return self.looks[i] || lookOf(data, self.current[i], self.palette);
    },
    idOf: function (i) {
      return data.places.id[i];
    }
  };
  this.layers = new Layers(map, data, hooks);
  this.legend = new Legend(this, options.legend || options.controls);
  this.timeline = options.timeline ? new Timeline(this, options.timeline) : null;
  this.controls = new Controls(this, options.controls, {shade: this.shading, paletteChoice: options.paletteChoice,
    palette: this.palette});
  this.layers.setShading(this.shading);
  this.setDay(options.opening === undefined ? payload.opening : options.opening, null);
  // The controls, legend and timeline take room from the page the map was made in: fit the map to what it
  // has now, and again whenever its element changes size.
  var bounds = map.getBounds();
  map.invalidateSize({pan: false});
  map.fitBounds(bounds, {animate: false});
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      map.invalidateSize({pan: false});
    }).observe(map.getContainer());
  }
  this.layout = new Layout(map, data, this.layers, hooks);
  if (this.timeline) {
    this.timeline.draw();
  }
}

// Move to a day: restyle the places whose period changed, update the counts, the legend and the controls.
// `reason` says who moved it; a move made by the host (null) is not reported back to it.
Engine.prototype.setDay = function (day, reason) {
  var began = window.performance.now();
  var data = this.data;
  day = Math.min(Math.max(Math.round(day), data.start), data.end);
  this.day = day;
  var restyled = 0;
  for (var i = 0; i < data.count; i += 1) {
    var was = this.current[i];
    var p = periodAt(data, i, day, was);
    if (p === was) {
      continue;
    }
    if (was !== -2) {
      this._count(was, -1);
    }
    this._count(p, 1);
    this.current[i] = p;
    if (was === -2 || !sameStyle(data, was, p)) {
      this._restyle(i);
      restyled += 1;
    }
  }
  if (this.compare !== null) {
    this._compare();
  }
  this.legend.update();
  this.controls.show(day);
  if (this.timeline) {
    this.timeline.drawRules();
  }
  document.documentElement.setAttribute("data-date", isoDate(day));
  this.steps.push({day: day, restyled: restyled, ms: window.performance.now() - began});
  if (this.steps.length > 200) {
    this.steps.shift();
  }
  if (reason) {
    this.report(reason);
  }
};

// Whether two periods draw alike (holder, status and the colour of the ring); -2 has never been drawn.
function sameStyle(data, a, b) {
  if (a < 0 || b < 0) {
    return a === b;
  }
  var oppA = data.pOpponents[a];
  var oppB = data.pOpponents[b];
  return sameState(data, a, b) && (oppA.length ? oppA[0] : -1) === (oppB.length ? oppB[0] : -1);
}

Engine.prototype._count = function (p, step) {
  var data = this.data;
  if (p >= 0) {
    this.counts[data.pController[p]] += step;
  }
  this.statusCounts[p < 0 ? STATUS_UNKNOWN : data.pStatus[p]] += step;
};

Engine.prototype._restyle = function (i) {
  var look = lookOf(this.data, this.current[i], this.palette);
  this.looks[i] = look;
  this.layers.restyle(i, look);
};

// Tell the host the date, when a person moved it: at once at the end of a drag or a click, after a pause
// in key presses, and no more than twice a second while playing.
Engine.prototype.report = function (reason) {
  var onDate = this.options.onDate;
  if (!onDate) {
    return;
  }
  var self = this;
  var send = function () {
    self.reportTimer = null;
    var iso = isoDate(self.day);
    if (iso !== self.reported) {
      self.reported = iso;
      onDate(iso, reason);
    }
  };
  if (this.reportTimer !== null) {
    window.clearTimeout(this.reportTimer);
    this.reportTimer = null;
  }
  if (reason === "key") {
    this.reportTimer = window.setTimeout(send, KEY_REPORT_MS);
  } else if (reason === "play") {
    var now = window.performance.now();
    if (now - this.lastPlayReport >= PLAY_REPORT_MS) {
      this.lastPlayReport = now;
      send();
    }
  } else {
    send();
  }
};

Engine.prototype.previousChange = function () {
  var found = null;
  var changes = this.data.changes;
  for (var k = 0; k < changes.length && changes[k] < this.day; k += 1) {
    found = changes[k];
  }
  return found;
};

Engine.prototype.nextChange = function () {
  var changes = this.data.changes;
  for (var k = 0; k < changes.length; k += 1) {
    if (changes[k] > this.day) {
      return changes[k];
    }
  }
  return null;
};

Engine.prototype.setPalette = function (palette) {
  if (!this.data.payload.palettes[palette] || palette === this.palette) {
    return;
  }
  this.palette = palette;
  for (var i = 0; i < this.data.count; i += 1) {
    this._restyle(i);
  }
  if (this.controls.palette) {
    this.controls.palette.value = palette;
  }
  this.legend.update();
  if (this.timeline) {
    this.timeline.draw();
  }
};

// Compare with another day (null: stop comparing): the places whose holder or status differs are ringed.
Engine.prototype.setCompare = function (day) {
  this.compare = day === null ? null : Math.min(Math.max(day, this.data.start), this.data.end);
  if (this.compare === null) {
    this.changed = [];
    this.layers.showChanged([]);
  } else {
    this._compare();
  }
  this.legend.update();
  if (this.timeline) {
    this.timeline.drawRules();
  }
};

Engine.prototype._compare = function () {
  var data = this.data;
  var changed = [];
  for (var i = 0; i < data.count; i += 1) {
    if (!sameState(data, periodAt(data, i, this.compare, -1), this.current[i])) {
      changed.push(i);
    }
  }
  this.changed = changed;
  this.layers.showChanged(changed);
};

// Select a place (-1: none): ringed and named; with `fly`, the map zooms to it.
Engine.prototype.select = function (i, fly) {
  this.selected = i;
  this.layers.showSelected(i);
  if (this.layout) {
    this.layout.selected = i;
    if (fly && i >= 0) {
      var bounds = this.layers.boundsOf(i);
      var centre = bounds.getCenter();
      var zoom = Math.max(this.map.getZoom(), Math.min(9, this.map.getBoundsZoom(bounds.pad(0.5))));
      this.map.setView(centre, zoom, {animate: false});
    }
    this.layout.place();
  }
};

// Zoom to every part of a group (the index of its id in `places.groups`), selecting none of them.
Engine.prototype.showGroup = function (g) {
  var places = this.data.places;
  var bounds = null;
  for (var i = 0; i < places.group.length; i++) {
    if (places.group[i] === g) {
      var own = this.layers.boundsOf(i);
      bounds = bounds ? bounds.extend(own) : L.latLngBounds(own.getSouthWest(), own.getNorthEast());
    }
  }
  if (bounds) {
    this.map.fitBounds(bounds.pad(0.2), {animate: false});
  }
};

Engine.prototype.setShading = function (on, fromControl) {
  this.shading = on;
  this.layers.setShading(on);
  this.controls.shade.checked = on;
  this.legend.update();
  if (fromControl && this.options.onShade) {
    this.options.onShade(on);
  }
};

// What tests and benchmarks read: a place's drawn state, and the time the last steps took.
Engine.prototype.api = function () {
  var self = this;
  var data = this.data;
  return {
    map: this.map,
    setDate: function (iso) {
      self.controls.stop();
      self.setDay(dayOf(iso), null);
    },
    date: function () {
      return isoDate(self.day);
    },
    look: function (id) {
      var i = data.index[id];
      var look = self.looks[i];
      return {fill: look.fill, stroke: look.stroke, status: look.statusName,
        controller: look.controller < 0 ? null : data.payload.factions[look.controller].id};
    },
    changed: function () {
      return self.changed.map(function (i) {
        return data.places.id[i];
      });
    },
    select: function (id) {
      self.select(id === null ? -1 : data.index[id], true);
    },
    shown: function (id) {
      var i = data.index[id];
      return data.places.id[self.layout.shown(i)];
    },
    steps: function () {
      return self.steps.slice();
    },
    count: data.count,
    canvas: data.canvas
  };
};

function create(map, payload, options) {
  return new Engine(map, payload, options);
}

// The self-contained HTML export: its data is in the page, the basemap made by folium's script before this.
function page(mapName) {
  var payload = JSON.parse(document.getElementById("controlmap-data").textContent);
  var map = window[mapName];
  map.attributionControl.setPrefix(false);
  var engine = create(map, payload, {controls: document.getElementById("cm-controls"),
    legend: document.getElementById("cm-legend"), timeline: document.getElementById("cm-timeline"), popups: true,
    paletteChoice: true, palette: payload.palette});
  window.controlmap = engine.api();
  document.documentElement.setAttribute("data-ready", "true");
  return engine;
}

var loaded = {};

// A file of the app's, fetched once per page (the component's loader may have asked for it already).
function fetchOnce(url, kind) {
  var asked = window.__controlmapFetches;
  if (!loaded[url] && asked && asked[url]) {
    loaded[url] = asked[url];
  }
  if (!loaded[url]) {
    loaded[url] = window.fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error("controlmap: " + url + " answered " + response.status);
      }
      return kind === "json" ? response.json() : response.text();
    });
  }
  return loaded[url];
}

// The app's map component (appui/map_component.py): build once per dataset and base map, then apply what
// Streamlit sends. A date Streamlit sends is applied only when its `date_seq` is new, so the echo of a date
// the map itself reported never pulls the slider back.
function mountInStreamlit(parent, data, setStateValue) {
  var state = parent.__controlmap;
  if (state && state.key === data.key) {
    return state.ready.then(function () {
      apply(state, data);
    });
  }
  var view = null;
  if (state) {
    view = state.engine ? {centre: state.engine.map.getCenter(), zoom: state.engine.map.getZoom()} : null;
    if (state.engine) {
      state.engine.controls.stop();
      state.engine.map.remove();
    }
  }
  parent.replaceChildren();
  var root = element("div", "cm-app");
  var controls = element("div", "cm-app-controls");
  var legend = element("div", "cm-app-legend");
  var timeline = element("div", "cm-app-timeline");
  var holder = element("div", "cm-app-map");
  holder.id = data.map_id;
  holder.style.height = data.height + "px";
  holder.setAttribute("aria-label", "Map");
  root.appendChild(holder);
  root.appendChild(controls);
  root.appendChild(legend);
  root.appendChild(timeline);
  parent.appendChild(root);
  state = {key: data.key, engine: null, seen: {}};
  parent.__controlmap = state;
  state.ready = Promise.all([fetchOnce(data.payload, "json"), fetchOnce(data.basemap, "text")]).then(function (got) {
    // folium's script for the base map (basemap layers, panes, scale), made in Python for this dataset.
    var map = new Function(got[1] + "\nreturn " + data.map_id + ";")();
    map.attributionControl.setPrefix(false);
    if (view) {
      map.setView(view.centre, view.zoom, {animate: false});
    }
    state.engine = create(map, got[0], {
      controls: controls, legend: legend, timeline: timeline, popups: false, palette: data.palette, shade: data.shade,
      opening: dayOf(data.date),
      onDate: function (iso) {
        setStateValue("date", iso);
      },
      onPick: function (id) {
        setStateValue("place", id);
      },
      onShade: function (on) {
        setStateValue("shade", on);
      }
    });
    state.seen = {date_seq: data.date_seq, focus_seq: null, palette: data.palette, compare: null, place: null,
      shade: data.shade};
    window.controlmapApp = state.engine.api();
    apply(state, data);
    root.setAttribute("data-ready", "true");
    setStateValue("drawn", true);
  });
  return state.ready;
}

function apply(state, data) {
  var engine = state.engine;
  var seen = state.seen;
  if (data.date_seq !== seen.date_seq) {
    seen.date_seq = data.date_seq;
    engine.controls.stop();
    engine.reported = data.date;
    engine.setDay(dayOf(data.date), null);
  }
  if (data.palette !== seen.palette) {
    seen.palette = data.palette;
    engine.setPalette(data.palette);
  }
  if (data.compare !== seen.compare) {
    seen.compare = data.compare;
    engine.setCompare(data.compare ? dayOf(data.compare) : null);
  }
  if (data.shade !== seen.shade) {
    seen.shade = data.shade;
    engine.setShading(data.shade, false);
  }
  var place = data.place === null ? -1 : engine.data.index[data.place];
  if (place === undefined) {
    place = -1;
  }
  if (data.focus_seq !== seen.focus_seq) {
    // Streamlit asked to show a place (found by name, picked in a table, or named in the URL) or a group of
    // places (found by name): zoom to it.
    seen.focus_seq = data.focus_seq;
    seen.place = data.place;
    var group = data.focus ? engine.data.places.groups.indexOf(data.focus) : -1;
    engine.select(place, group < 0 && data.focus_seq > 0);
    if (group >= 0) {
      engine.showGroup(group);
    }
  } else if (data.place !== seen.place) {
    seen.place = data.place;
    engine.select(place, false);
  }
}

window.ControlmapEngine = {create: create, page: page, mountInStreamlit: mountInStreamlit, formatDay: formatDay,
  dayOf: dayOf, isoDate: isoDate};
