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

// A canvas renderer that, on a date step, redraws only the small squares around the places that changed.
// Leaflet's own canvas clears and redraws one rectangle covering every change: with changes spread over the
// map (thousands of places), that is the whole map on every step. Here each change marks, on a grid over the
// canvas, the squares of TILE_PX pixels its old and new shape touch; the next frame clears those squares and
// redraws, clipped to them, only the shapes that touch one, in their order. Moving or zooming still redraws
// everything, as Leaflet does.
var TILE_PX = 8;
var PAD_PX = 1;
var MOST_TILES = 20000;
var TiledCanvas = null;

// The squares a shape touches, [x0, y0, x1, y1] on the grid: its pixel bounds (which Leaflet widens by half
// its stroke) and a pixel more; kept on the shape until its bounds change (a move or a zoom projects it again).
function tileRange(layer, grid) {
  if (layer._cmBounds !== layer._pxBounds || layer._cmGrid !== grid.id) {
    var bounds = layer._pxBounds;
    layer._cmBounds = bounds;
    layer._cmGrid = grid.id;
    layer._cmRange = [Math.max(0, Math.floor((bounds.min.x - PAD_PX) / TILE_PX) - grid.x),
      Math.max(0, Math.floor((bounds.min.y - PAD_PX) / TILE_PX) - grid.y),
      Math.min(grid.width - 1, Math.floor((bounds.max.x + PAD_PX) / TILE_PX) - grid.x),
      Math.min(grid.height - 1, Math.floor((bounds.max.y + PAD_PX) / TILE_PX) - grid.y)];
  }
  return layer._cmRange;
}

function touchesTile(layer, grid) {
  var range = tileRange(layer, grid);
  for (var y = range[1]; y <= range[3]; y += 1) {
    var row = y * grid.width;
    for (var x = range[0]; x <= range[2]; x += 1) {
      if (grid.dirty[row + x]) {
        return true;
      }
    }
  }
  return false;
}

var gridCount = 0;

function tiledCanvas(options) {
  if (TiledCanvas === null) {
    TiledCanvas = L.Canvas.extend({
      // The grid over the canvas as it is now placed (a new one after a move or a zoom), nothing marked.
      _tileGrid: function () {
        var bounds = this._bounds;
        var x = Math.floor(bounds.min.x / TILE_PX);
        var y = Math.floor(bounds.min.y / TILE_PX);
        var width = Math.floor(bounds.max.x / TILE_PX) - x + 1;
        var height = Math.floor(bounds.max.y / TILE_PX) - y + 1;
        var grid = this._grid;
        if (!grid || grid.x !== x || grid.y !== y || grid.width !== width || grid.height !== height) {
          gridCount += 1;
          grid = this._grid = {id: gridCount, x: x, y: y, width: width, height: height,
            dirty: new Uint8Array(width * height), marked: []};
        }
        return grid;
      },
      _extendRedrawBounds: function (layer) {
        L.Canvas.prototype._extendRedrawBounds.call(this, layer);
        if (!layer._pxBounds || this._wholeRedraw || !this._bounds) {
          return;
        }
        var grid = this._marking || (this._marking = this._tileGrid());
        var range = tileRange(layer, grid);
        if ((range[2] - range[0] + 1) * (range[3] - range[1] + 1) + grid.marked.length / 2 > MOST_TILES) {
          this._wholeRedraw = true;
          return;
        }
        for (var y = range[1]; y <= range[3]; y += 1) {
          for (var x = range[0]; x <= range[2]; x += 1) {
            var at = y * grid.width + x;
            if (!grid.dirty[at]) {
              grid.dirty[at] = 1;
              grid.marked.push(x, y);
            }
          }
        }
      },
      // A restyled shape may change size (a thicker ring): its squares are marked before (here) and after
      // (at the redraw, once Leaflet has measured it again).
      _updateStyle: function (layer) {
        L.Canvas.prototype._updateStyle.call(this, layer);
        (this._restyled || (this._restyled = [])).push(layer);
      },
      _redraw: function () {
        var restyled = this._restyled;
        this._restyled = null;
        if (restyled && this._marking) {
          for (var i = 0; i < restyled.length; i += 1) {
            this._extendRedrawBounds(restyled[i]);
          }
        }
        var grid = this._marking;
        var whole = this._wholeRedraw || !grid || !this._redrawBounds || grid !== this._grid;
        this._marking = null;
        this._wholeRedraw = false;
        if (whole) {
          L.Canvas.prototype._redraw.call(this);
        } else {
          this._redrawTiles(grid);
        }
        if (grid) {
          grid.dirty.fill(0);
          grid.marked = [];
        }
      },
      _redrawTiles: function (grid) {
        this._redrawRequest = null;
        var ctx = this._ctx;
        var marked = grid.marked;
        ctx.save();
        ctx.beginPath();
        for (var t = 0; t < marked.length; t += 2) {
          var left = (marked[t] + grid.x) * TILE_PX;
          var top = (marked[t + 1] + grid.y) * TILE_PX;
          ctx.clearRect(left, top, TILE_PX, TILE_PX);
          ctx.rect(left, top, TILE_PX, TILE_PX);
        }
        ctx.clip();
        this._drawing = true;
        for (var order = this._drawFirst; order; order = order.next) {
          var layer = order.layer;
          if (layer._pxBounds && touchesTile(layer, grid)) {
            layer._updatePath();
          }
        }
        this._drawing = false;
        ctx.restore();
        this._redrawBounds = null;
      }
    });
  }
  return new TiledCanvas(options);
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
    self.renderers[pane] = data.canvas ? tiledCanvas({pane: pane, padding: 0.2}) : L.svg({pane: pane, padding: 0.2});
  });
  if (data.canvas) {
    // On a canvas, the places share one: every canvas that changes is copied to the screen again on each
    // step, and areas, lines and points change together. Added in that order, they draw in that order.
    this.renderers["cm-lines"] = this.renderers["cm-points"] = this.renderers["cm-areas"];
  }
  this.marks = L.featureGroup().addTo(map);
  this.selection = L.featureGroup().addTo(map);
  this.patterns = data.canvas ? null : this._patternDefs();
  for (var i = 0; i < data.count; i += 1) {
    this._make(i);
  }
  this._addInOrder();
}

// Shaded land first, then areas, lines (each on its casing) and points: the order a shared canvas draws.
Layers.prototype._addInOrder = function () {
  var map = this.map;
  var add = function (layer) {
    if (layer) {
      layer.addTo(map);
    }
  };
  this.areas.forEach(add);
  for (var kind = KIND_AREA; kind >= KIND_POINT; kind -= 1) {
    for (var i = 0; i < this.shapes.length; i += 1) {
      if (this.kinds[i] === kind) {
        add(this.casings[i]);
        add(this.shapes[i]);
      }
    }
  }
};

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
    // A casing not shown is not stroked at all (a canvas would still draw it, transparent, on every step).
    this.casings[i].setStyle({stroke: look.ring, color: look.stroke,
      weight: look.ring ? display.line_width + 2 * look.weight : 0,
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
      fill: known, stroke: known,
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
