// controlmap's time engine, part 4 of 7: what depends on the zoom. Points that overlap at the current zoom
// show as one marker (the most important one, with a count) that fans out its members on hover; names are
// laid out as text elements, the most important first (city, town, village, landmark; then population),
// more of them as you zoom in, never two overlapping. Laid out again after each zoom or move, not per date.

var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif";
var LABEL_HEIGHT = 15;
var LABEL_GAP = 3;
var MAX_LABELS = 400;
var CLUSTER_LIMIT = 5000;
// Above this many points, overlapping points are not grouped (each stays hoverable once zoomed in).
var LABEL_MIN_ZOOM = {city: 0, town: 6.5, village: 8, region: 8, river: 8, landmark: 9, infrastructure: 9};
var GRID = 64;

function Layout(map, data, layers, options) {
  this.map = map;
  this.data = data;
  this.layers = layers;
  this.options = options;
  this.pane = map.getPane("cm-place-labels");
  this.labels = new Array(data.count);
  this.widths = new Float32Array(data.count);
  this.lead = new Int32Array(data.count).fill(-1);
  this.members = {};
  this.badges = {};
  this.fan = null;
  this.selected = -1;
  var places = data.places;
  var order = [];
  for (var i = 0; i < data.count; i += 1) {
    order.push(i);
  }
  order.sort(function (a, b) {
    return places.rank[a] - places.rank[b] || (places.population[b] || 0) - (places.population[a] || 0) ||
      (places.name[a] < places.name[b] ? -1 : places.name[a] > places.name[b] ? 1 : 0);
  });
  this.order = order;
  this.points = order.filter(function (i) {
    return layers.kinds[i] === KIND_POINT;
  });
  this.measure = document.createElement("canvas").getContext("2d");
  this.measure.font = LABEL_FONT;
  var self = this;
  map.on("zoomend viewreset", function () {
    self.closeFan();
    self.cluster();
    self.place();
  });
  map.on("moveend resize", function () {
    self.place();
  });
  map.on("zoomstart", function () {
    self.closeFan();
  });
  map.on("mousemove", function (event) {
    self._maybeCloseFan(event);
  });
  this.cluster();
  this.place();
}

// Group the points that overlap at this zoom; each group's first (most important) point stands for it.
Layout.prototype.cluster = function () {
  var layers = this.layers;
  var data = this.data;
  var self = this;
  Object.keys(this.badges).forEach(function (key) {
    self.badges[key].remove();
  });
  this.badges = {};
  this.members = {};
  this.lead.fill(-1);
  if (this.points.length > CLUSTER_LIMIT) {
    return;
  }
  var map = this.map;
  var zoom = map.getZoom();
  var cell = 24;
  var grid = {};
  var at = {};
  this.points.forEach(function (i) {
    var point = map.project(layers.shapes[i].getLatLng(), zoom);
    var radius = layers.shapes[i].getRadius();
    var column = Math.floor(point.x / cell);
    var row = Math.floor(point.y / cell);
    var overlapping = -1;
    for (var dx = -1; dx <= 1 && overlapping < 0; dx += 1) {
      for (var dy = -1; dy <= 1 && overlapping < 0; dy += 1) {
        (grid[(column + dx) + ":" + (row + dy)] || []).forEach(function (j) {
          var other = at[j];
          if (overlapping < 0 && point.distanceTo(other.point) < radius + other.radius + 2) {
            overlapping = j;
          }
        });
      }
    }
    if (overlapping >= 0) {
      self.lead[i] = overlapping;
      (self.members[overlapping] = self.members[overlapping] || []).push(i);
      layers.hide(i, true);
      return;
    }
    at[i] = {point: point, radius: radius};
    var key = column + ":" + row;
    (grid[key] = grid[key] || []).push(i);
    layers.hide(i, false);
  });
  Object.keys(this.members).forEach(function (key) {
    var lead = Number(key);
    var count = self.members[lead].length;
    // The badge only shows the count; hovering the group's point (never covered by it) fans the group out.
    var badge = L.marker(layers.shapes[lead].getLatLng(), {
      pane: "cm-place-labels", keyboard: false, interactive: false,
      icon: L.divIcon({className: "cm-cluster-badge", html: element("span", null, "+" + count), iconSize: null})
    }).addTo(self.map);
    badge.getElement().setAttribute("data-cluster", data.places.id[lead]);
    badge.getElement().setAttribute("title", count + " more place" + (count === 1 ? "" : "s") + " here");
    self.badges[lead] = badge;
  });
};

// A point was hovered: when it stands for a group, fan the group out.
Layout.prototype.hovered = function (i) {
  if (this.members[i]) {
    this.openFan(i);
  }
};

// Spread a group's points in a circle around it, each with its own look, tooltip and click.
Layout.prototype.openFan = function (lead) {
  if (this.fan && this.fan.lead === lead) {
    return;
  }
  this.closeFan();
  var map = this.map;
  var layers = this.layers;
  var members = [lead].concat(this.members[lead] || []);
  var centre = map.latLngToLayerPoint(layers.shapes[lead].getLatLng());
  var spread = 22 + 5 * members.length;
  var group = L.featureGroup();
  var options = this.options;
  members.forEach(function (i, k) {
    var angle = 2 * Math.PI * k / members.length - Math.PI / 2;
    var spot = map.layerPointToLatLng(centre.add(L.point(Math.cos(angle) * spread, Math.sin(angle) * spread)));
    group.addLayer(L.polyline([layers.shapes[lead].getLatLng(), spot], {
      pane: "cm-fan", color: "#555555", weight: 1, interactive: false
    }));
    var look = options.lookOf(i);
    var marker = L.circleMarker(spot, {
      pane: "cm-fan", radius: layers.shapes[i].getRadius() + 1, fillColor: look.fill, fillOpacity: 1,
      color: look.stroke, weight: look.weight, dashArray: look.dash, className: "cm-fanned cm-fanned-" +
      options.idOf(i)
    });
    marker.bindTooltip(function () {
      return options.describe(i, false);
    }, {direction: "top", className: "cm-tooltip"});
    marker.on("click", function () {
      options.onPick(i);
    });
    group.addLayer(marker);
  });
  group.addTo(map);
  this.fan = {lead: lead, group: group, centre: centre, reach: spread + 30};
};

Layout.prototype.closeFan = function () {
  if (this.fan) {
    this.fan.group.remove();
    this.fan = null;
  }
};

Layout.prototype._maybeCloseFan = function (event) {
  if (this.fan && event.layerPoint.distanceTo(this.fan.centre) > this.fan.reach) {
    this.closeFan();
  }
};

// The place's point that stands for it at this zoom: its own, or its group's lead when hidden in a group.
Layout.prototype.shown = function (i) {
  return this.lead[i] >= 0 ? this.lead[i] : i;
};

Layout.prototype._label = function (i) {
  var label = this.labels[i];
  if (!label) {
    var places = this.data.places;
    label = element("span", "cm-place-label cm-place-label-" + places.kinds[places.kind[i]], places.name[i]);
    label.setAttribute("data-place", places.id[i]);
    this.pane.appendChild(label);
    this.labels[i] = label;
    this.widths[i] = this.measure.measureText(places.name[i]).width + 4;
  }
  return label;
};

// Boxes already taken on the screen, found by a grid so that many can be checked quickly.
function Taken() {
  this.cells = {};
}

Taken.prototype.add = function (box) {
  for (var x = Math.floor(box[0] / GRID); x <= Math.floor(box[2] / GRID); x += 1) {
    for (var y = Math.floor(box[1] / GRID); y <= Math.floor(box[3] / GRID); y += 1) {
      var key = x + ":" + y;
      (this.cells[key] = this.cells[key] || []).push(box);
    }
  }
};

Taken.prototype.hits = function (box) {
  for (var x = Math.floor(box[0] / GRID); x <= Math.floor(box[2] / GRID); x += 1) {
    for (var y = Math.floor(box[1] / GRID); y <= Math.floor(box[3] / GRID); y += 1) {
      var found = this.cells[x + ":" + y];
      if (found && found.some(overlaps(box))) {
        return true;
      }
    }
  }
  return false;
};

// Lay the names out: the selected place's first, then by importance, each at the first free spot beside its
// point (right, left, above, below) that covers no name already placed and no point of a more important
// place; a name that fits nowhere is not shown at this zoom.
Layout.prototype.place = function () {
  var map = this.map;
  var data = this.data;
  var layers = this.layers;
  var places = data.places;
  var zoom = map.getZoom();
  var view = map.getBounds().pad(0.05);
  var taken = new Taken();
  var shown = 0;
  var self = this;
  var visible = new Uint8Array(data.count);
  var candidates = this.selected >= 0 ? [this.selected].concat(this.order) : this.order;
  for (var k = 0; k < candidates.length && shown < MAX_LABELS; k += 1) {
    var i = candidates[k];
    if (visible[i] || this.lead[i] >= 0) {
      continue;
    }
    var kind = places.kinds[places.kind[i]];
    if (i !== this.selected && zoom < (LABEL_MIN_ZOOM[kind] || 0)) {
      continue;
    }
    var anchor = places.anchor[i];
    var latlng = L.latLng(anchor[1], anchor[0]);
    if (!view.contains(latlng)) {
      continue;
    }
    var point = map.latLngToLayerPoint(latlng);
    var radius = layers.kinds[i] === KIND_POINT ? layers.shapes[i].getRadius() : 0;
    if (radius) {
      // Its point, and its group's badge, are kept clear of every less important name.
      taken.add([point.x - radius, point.y - radius, point.x + radius, point.y + radius]);
      if (this.members[i]) {
        taken.add([point.x + 4, point.y - 18, point.x + 28, point.y - 4]);
      }
    }
    this._label(i);
    var width = this.widths[i];
    var spots = [
      [point.x + radius + LABEL_GAP, point.y - LABEL_HEIGHT / 2],
      [point.x - radius - LABEL_GAP - width, point.y - LABEL_HEIGHT / 2],
      [point.x - width / 2, point.y - radius - LABEL_GAP - LABEL_HEIGHT],
      [point.x - width / 2, point.y + radius + LABEL_GAP]
    ];
    var chosen = null;
    for (var s = 0; s < spots.length && chosen === null; s += 1) {
      var box = [spots[s][0], spots[s][1], spots[s][0] + width, spots[s][1] + LABEL_HEIGHT];
      if (!taken.hits(box)) {
        chosen = box;
      }
    }
    if (chosen === null && i === this.selected) {
      chosen = [spots[0][0], spots[0][1], spots[0][0] + width, spots[0][1] + LABEL_HEIGHT];
    }
    if (chosen === null) {
      continue;
    }
    taken.add(chosen);
    visible[i] = 1;
    shown += 1;
    L.DomUtil.setPosition(this.labels[i], L.point(chosen[0], chosen[1]));
  }
  this.labels.forEach(function (label, i) {
    if (label) {
      label.style.display = visible[i] ? "" : "none";
      label.classList.toggle("cm-place-label-selected", i === self.selected);
    }
  });
};

function overlaps(box) {
  return function (other) {
    return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
  };
}
