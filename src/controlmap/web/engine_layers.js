// controlmap's time engine, part 3 of 7: the places on the map. Each place's geometry is made into Leaflet
// layers once; a date step restyles only the places whose period changed. Panes keep the order whatever
// the data's: shaded areas, then regions, rivers, the marks of compared and selected places, and points on
// top (the basemap's panes are under them, its labels over the areas).

var PANES = [["cm-territory", 335], ["cm-areas", 400], ["cm-lines", 410], ["cm-marks", 415], ["cm-points", 420],
  ["cm-selected", 425], ["cm-place-labels", 460], ["cm-fan", 640]];
var SVG_NS = "http://www.w3.org/2000/svg";
var KIND_POINT = 0;
var KIND_LINE = 1;
var KIND_AREA = 2;

function geometryKind(geometry) {
  if (geometry.type === "Point") {
    return KIND_POINT;
  }
  return geometry.type === "LineString" || geometry.type === "MultiLineString" ? KIND_LINE : KIND_AREA;
}

function Layers(map, data, options) {
  this.map = map;
  this.data = data;
  this.options = options;
  this.display = data.payload.display;
  this.kinds = data.places.geometry.map(geometryKind);
  this.shapes = new Array(data.count);
  this.casings = new Array(data.count);
  this.areas = new Array(data.count);
  this.hidden = new Uint8Array(data.count);
  this.patternIds = {};
  var self = this;
  PANES.forEach(function (pane) {
    var node = map.getPane(pane[0]) || map.createPane(pane[0]);
    node.style.zIndex = String(pane[1]);
    if (pane[0] === "cm-place-labels" || pane[0] === "cm-marks" || pane[0] === "cm-selected") {
      node.style.pointerEvents = "none";
    }
  });
  this.renderers = {};
  ["cm-territory", "cm-areas", "cm-lines", "cm-marks", "cm-points", "cm-selected"].forEach(function (pane) {
    self.renderers[pane] = data.canvas ? L.canvas({pane: pane, padding: 0.2}) : L.svg({pane: pane, padding: 0.2});
  });
  this.marks = L.featureGroup().addTo(map);
  this.selection = L.featureGroup().addTo(map);
  this.patterns = data.canvas ? null : this._patternDefs();
  for (var i = 0; i < data.count; i += 1) {
    this._make(i);
  }
}

Layers.prototype._patternDefs = function () {
  var svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "cm-patterns");
  svg.setAttribute("aria-hidden", "true");
  var defs = document.createElementNS(SVG_NS, "defs");
  svg.appendChild(defs);
  this.map.getContainer().appendChild(svg);
  return defs;
};

function svgNode(tag, attributes) {
  var node = document.createElementNS(SVG_NS, tag);
  Object.keys(attributes).forEach(function (name) {
    node.setAttribute(name, String(attributes[name]));
  });
  return node;
}

// Hatches for fought-over areas, as SVG patterns (canvas maps fill them plain, at the pattern's opacity).
Layers.prototype.hatch = function (look, opacity) {
  var key = [look.hatch, look.fill, look.stroke, opacity].join("|");
  if (!this.patternIds[key]) {
    var id = "cm-pattern-" + Object.keys(this.patternIds).length;
    var pattern = svgNode("pattern", {id: id, patternUnits: "userSpaceOnUse", width: 8, height: 8});
    pattern.appendChild(svgNode("rect", {width: 8, height: 8, fill: look.fill, "fill-opacity": opacity}));
    if (look.hatch.indexOf(".") >= 0) {
      pattern.appendChild(svgNode("circle", {cx: 2, cy: 2, r: 1.3, fill: look.stroke}));
      pattern.appendChild(svgNode("circle", {cx: 6, cy: 6, r: 1.3, fill: look.stroke}));
    } else {
      pattern.appendChild(svgNode("path", {d: "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", stroke: look.stroke,
        "stroke-width": 1.5}));
    }
    this.patterns.appendChild(pattern);
    this.patternIds[key] = id;
  }
  return "url(#" + this.patternIds[key] + ")";
};

Layers.prototype._make = function (i) {
  var data = this.data;
  var id = data.places.id[i];
  var geometry = data.places.geometry[i];
  var kind = this.kinds[i];
  var className = "cm-place cm-place-" + id;
  var shape;
  if (kind === KIND_POINT) {
    var radius = this.display.point_radius[data.places.kinds[data.places.kind[i]]] || 5;
    shape = L.circleMarker([geometry.coordinates[1], geometry.coordinates[0]], {
      radius: radius, renderer: this.renderers["cm-points"], pane: "cm-points", className: className
    });
  } else if (kind === KIND_LINE) {
    this.casings[i] = L.geoJSON(geometry, {
      interactive: false, renderer: this.renderers["cm-lines"], pane: "cm-lines", className: "cm-casing cm-casing-" + id
    });
    shape = L.geoJSON(geometry, {renderer: this.renderers["cm-lines"], pane: "cm-lines", className: className});
  } else {
    shape = L.geoJSON(geometry, {renderer: this.renderers["cm-areas"], pane: "cm-areas", className: className});
  }
  this.shapes[i] = shape;
  var cell = data.places.territory[i];
  if (cell) {
    this.areas[i] = L.geoJSON(cell, {
      renderer: this.renderers["cm-territory"], pane: "cm-territory", className: "cm-area cm-area-" + id
    });
  }
  var options = this.options;
  var self = this;
  shape.bindTooltip(function () {
    return options.describe(i, false);
  }, {sticky: true, direction: "top", className: "cm-tooltip"});
  if (options.popups) {
    shape.bindPopup(function () {
      return options.describe(i, true);
    }, {maxWidth: 340, maxHeight: 300});
  }
  shape.on("click", function () {
    options.onPick(i);
  });
  shape.on("mouseover", function () {
    self.options.onHover(i);
  });
  if (this.areas[i]) {
    this.areas[i].bindTooltip(function () {
      return options.describeArea(i);
    }, {sticky: true, direction: "top", className: "cm-tooltip cm-tooltip-area"});
    this.areas[i].on("click", function () {
      options.onPick(i);
    });
  }
  if (this.areas[i]) {
    this.areas[i].addTo(this.map);
  }
  if (this.casings[i]) {
    this.casings[i].addTo(this.map);
  }
  shape.addTo(this.map);
};

function eachPath(layer, callback) {
  if (layer.eachLayer) {
    layer.eachLayer(function (child) {
      eachPath(child, callback);
    });
  } else {
    callback(layer);
  }
}

// Draw place i as it looks (from lookOf); areas around it too.
Layers.prototype.restyle = function (i, look) {
  var kind = this.kinds[i];
  var display = this.display;
  var shape = this.shapes[i];
  if (kind === KIND_LINE) {
    // A line's ring is a casing around it, in the ring's dash; any other dash goes to the line.
    this.casings[i].setStyle({color: look.stroke, weight: display.line_width + 2 * look.weight,
      opacity: look.ring ? 1 : 0, dashArray: look.dash, lineCap: "butt"});
    shape.setStyle({color: look.fill, weight: display.line_width, opacity: 1,
      dashArray: look.ring ? null : look.dash, lineCap: "butt"});
  } else {
    var opacity = look.fillOpacity * (kind === KIND_AREA ? display.area_opacity_scale : 1);
    var patterned = kind === KIND_AREA && look.hatch && this.patterns;
    shape.setStyle({
      fillColor: patterned ? this.hatch(look, opacity) : look.fill,
      fillOpacity: patterned ? 1 : opacity,
      color: look.stroke, weight: look.weight, opacity: 1, dashArray: look.dash
    });
  }
  var area = this.areas[i];
  if (area) {
    var territory = display.territory;
    var known = look.controller >= 0;
    var fought = look.ring;
    area.setStyle({
      fillColor: look.fill, fillOpacity: known ? (fought ? territory.fought_opacity : territory.fill_opacity) : 0,
      color: fought ? look.stroke : look.fill, weight: territory.stroke_width, opacity: known ? 0.6 : 0,
      dashArray: fought ? look.dash : null
    });
  }
  if (!this.data.canvas) {
    this._mark(i, look);
  }
};

// The state as attributes of the SVG elements: what tests and assistive tools read.
Layers.prototype._mark = function (i, look) {
  var id = this.data.places.id[i];
  var attributes = {
    "data-place": id,
    "data-status": look.statusName,
    "data-controller": look.controller < 0 ? "" : this.data.payload.factions[look.controller].id,
    "data-fill": look.fill,
    "data-stroke": look.stroke
  };
  var self = this;
  [this.shapes[i], this.casings[i], this.areas[i]].forEach(function (layer, which) {
    if (!layer) {
      return;
    }
    eachPath(layer, function (path) {
      var node = path.getElement && path.getElement();
      if (node) {
        Object.keys(attributes).forEach(function (name) {
          node.setAttribute(name, attributes[name]);
        });
        if (which === 1) {
          node.setAttribute("data-casing", "true");
        } else if (which === 2) {
          node.setAttribute("data-area", id);
        }
      }
    });
  });
  return self;
};

Layers.prototype.hide = function (i, hidden) {
  if (this.hidden[i] === (hidden ? 1 : 0)) {
    return;
  }
  this.hidden[i] = hidden ? 1 : 0;
  if (hidden) {
    this.shapes[i].remove();
  } else {
    this.shapes[i].addTo(this.map);
  }
};

Layers.prototype.setShading = function (on) {
  this.map.getPane("cm-territory").style.display = on ? "" : "none";
};

// A ring around place i (a compared place that changed, or the selected one), on a white casing so it reads
// on every colour; points get a circle outside their own, lines and areas an outline.
Layers.prototype.ring = function (group, i, mark, pane) {
  var data = this.data;
  var geometry = data.places.geometry[i];
  var casing = {color: "#ffffff", weight: mark.stroke_width * 2 + 2, opacity: 0.95, fill: false, interactive: false,
    pane: pane, renderer: this.renderers[pane]};
  var ring = {color: mark.colour, weight: mark.stroke_width, opacity: mark.opacity, fill: false, interactive: false,
    dashArray: mark.dash, lineCap: "round", pane: pane, renderer: this.renderers[pane],
    className: (pane === "cm-selected" ? "cm-selection cm-selection-" : "cm-changed cm-changed-") + data.places.id[i]};
  if (this.kinds[i] === KIND_POINT) {
    var radius = this.shapes[i].getRadius() + mark.halo;
    var at = [geometry.coordinates[1], geometry.coordinates[0]];
    group.addLayer(L.circleMarker(at, L.extend({radius: radius}, casing)));
    group.addLayer(L.circleMarker(at, L.extend({radius: radius}, ring)));
  } else {
    var extra = this.kinds[i] === KIND_LINE ? this.display.line_width : 0;
    group.addLayer(L.geoJSON(geometry, {style: L.extend({}, casing, {weight: casing.weight + extra + mark.halo}),
      interactive: false, pane: pane, renderer: this.renderers[pane]}));
    group.addLayer(L.geoJSON(geometry, {style: L.extend({}, ring, {weight: ring.weight + extra}),
      interactive: false, pane: pane, renderer: this.renderers[pane]}));
  }
};

Layers.prototype.showChanged = function (changed) {
  this.marks.clearLayers();
  var self = this;
  var mark = this.display.change_mark;
  changed.forEach(function (i) {
    self.ring(self.marks, i, mark, "cm-marks");
  });
};

Layers.prototype.showSelected = function (i) {
  this.selection.clearLayers();
  if (i >= 0) {
    this.ring(this.selection, i, this.display.selection_mark, "cm-selected");
  }
};

// The box around place i (for zooming to it).
Layers.prototype.boundsOf = function (i) {
  var shape = this.shapes[i];
  if (shape.getLatLng) {
    var at = shape.getLatLng();
    return L.latLngBounds([at, at]);
  }
  return shape.getBounds();
};
