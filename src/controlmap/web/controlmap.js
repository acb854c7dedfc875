/*
 * controlmap: the interactive map of a self-contained HTML export.
 *
 * Reads the history embedded in the page (#controlmap-data), draws the places with Leaflet and restyles
 * them in the browser when the date changes: no server, no network. Every style comes precomputed from
 * controlmap.style (each period carries its own; `unknown_style` is for dates no period covers), so the
 * colours are the ones of the images and the data exports. Text from the data only ever goes through
 * textContent, and only http(s) URLs become links.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var PLAY_STEP_DAYS = 7;
  var PLAY_INTERVAL_MS = 90;
  var SVG_NS = "http://www.w3.org/2000/svg";

  function dayNumber(iso) {
    var parts = iso.split("-");
    return Math.round(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])) / DAY_MS);
  }

  function isoDate(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function formatDay(day) {
    var date = new Date(day * DAY_MS);
    return date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  var data = JSON.parse(document.getElementById("controlmap-data").textContent);
  var factions = {};
  data.factions.forEach(function (faction) {
    factions[faction.id] = faction;
  });
  var start = dayNumber(data.coverage.start);
  var end = dayNumber(data.coverage.end);
  var changes = data.changes.map(dayNumber);
  var places = data.places.map(function (place) {
    place.periods.forEach(function (period) {
      period.s = dayNumber(period.start);
      period.e = period.end === null ? Infinity : dayNumber(period.end);
    });
    return place;
  });

  function periodAt(place, day) {
    for (var i = 0; i < place.periods.length; i += 1) {
      var period = place.periods[i];
      if (period.s <= day && day < period.e) {
        return period;
      }
    }
    return null;
  }

  function factionLabel(id) {
    return factions[id] ? factions[id].label : id;
  }

  // ---- patterns: hatches for areas, as SVG patterns in a hidden <svg> of the page ----
  var patternDefs = document.querySelector("#cm-patterns defs");
  var patternIds = {};

  function svgNode(tag, attributes) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    return node;
  }

  function hatchFill(style, opacity) {
    var key = [style.hatch, style.fill, style.stroke, opacity].join("|");
    if (!patternIds[key]) {
      var id = "cm-pattern-" + Object.keys(patternIds).length;
      var pattern = svgNode("pattern", {id: id, patternUnits: "userSpaceOnUse", width: 8, height: 8});
      pattern.appendChild(svgNode("rect", {width: 8, height: 8, fill: style.fill, "fill-opacity": opacity}));
      if (style.hatch.indexOf(".") >= 0) {
        pattern.appendChild(svgNode("circle", {cx: 2, cy: 2, r: 1.3, fill: style.stroke}));
        pattern.appendChild(svgNode("circle", {cx: 6, cy: 6, r: 1.3, fill: style.stroke}));
      } else {
        pattern.appendChild(svgNode("path", {d: "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", stroke: style.stroke,
          "stroke-width": 1.5}));
      }
      patternDefs.appendChild(pattern);
      patternIds[key] = id;
    }
    return "url(#" + patternIds[key] + ")";
  }

  // ---- the map and the basemap ----
  var basemapStyle = data.display.basemap;
  var mapNode = document.getElementById("cm-map");
  mapNode.style.background = basemapStyle.sea;
  var map = L.map(mapNode, {zoomSnap: 0.25, attributionControl: true});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.credit.replace(/[<>&"]/g, ""));

  L.geoJSON(data.basemap.countries, {
    interactive: false,
    style: function () {
      return {fillColor: basemapStyle.land, fillOpacity: 1, color: basemapStyle.border,
        weight: basemapStyle.border_width};
    }
  }).addTo(map);
  L.geoJSON(data.basemap.lakes, {
    interactive: false,
    style: function () {
      return {fillColor: basemapStyle.water, fillOpacity: 1, stroke: false};
    }
  }).addTo(map);
  L.geoJSON(data.basemap.rivers, {
    interactive: false,
    style: function () {
      return {color: basemapStyle.water, weight: basemapStyle.river_width};
    }
  }).addTo(map);

  function textMarker(latlng, text, className) {
    var label = element("span", className, text);
    return L.marker(latlng, {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({className: "cm-label-icon", html: label, iconSize: null})
    });
  }

  var placeNames = {};
  places.forEach(function (place) {
    placeNames[place.name] = true;
  });
  data.basemap.labels.features.forEach(function (feature) {
    var props = feature.properties || {};
    if (!props.name || (props.kind === "city" && placeNames[props.name])) {
      return;
    }
    var coordinates = feature.geometry.coordinates;
    textMarker([coordinates[1], coordinates[0]], props.name, "cm-label cm-label-" + (props.kind || "other"))
      .addTo(map);
  });

  // ---- the places ----
  // The wording of the app's tooltips: holder and "since" sentences come made from controlmap.web.popups.
  function describe(place, period) {
    var box = element("div", "cm-info");
    box.appendChild(element("b", "cm-info-name", place.name));
    if (place.name_ar) {
      var arabic = element("span", "cm-info-arabic", " " + place.name_ar);
      arabic.setAttribute("dir", "rtl");
      arabic.setAttribute("lang", "ar");
      box.appendChild(arabic);
    }
    if (place.aliases.length) {
      box.appendChild(element("div", "cm-info-aliases", "also " + place.aliases.join(", ")));
    }
    var style = period === null ? data.unknown_style : period.style;
    var holder = element("div", "cm-info-state");
    holder.appendChild(swatch(style.fill));
    holder.appendChild(document.createTextNode(" " + (period === null ? data.unknown_holder : period.holder)));
    box.appendChild(holder);
    if (period !== null) {
      box.appendChild(element("div", "cm-info-state", "Status: " + style.label));
      if (period.since) {
        box.appendChild(element("div", "cm-info-when", period.since.charAt(0).toUpperCase() + period.since.slice(1)));
      }
      if (period.note) {
        box.appendChild(element("div", "cm-info-note", period.note));
      }
      var list = element("ul", "cm-info-sources");
      period.sources.forEach(function (id) {
        var source = data.sources[id];
        var item = element("li");
        var url = safeUrl(source.url);
        var title = url ? element("a", null, source.title) : element("span", null, source.title);
        if (url) {
          title.href = url;
          title.target = "_blank";
          title.rel = "noopener noreferrer";
        }
        item.appendChild(title);
        var details = [source.outlet].concat(source.published ? [source.published] : []);
        item.appendChild(element("span", "cm-info-meta", " (" + details.join(", ") + ")"));
        list.appendChild(item);
      });
      box.appendChild(element("div", "cm-info-heading", "Sources:"));
      box.appendChild(list);
    }
    if (place.note) {
      box.appendChild(element("div", "cm-info-note", place.note));
    }
    return box;
  }

  // Areas under lines under points, whatever the order of the files: a pane for each, one above the other,
  // inside the overlay pane (under tooltips and popups) and above the basemap's SVG there (Leaflet's CSS
  // gives it z-index 200).
  var order = {Polygon: 0, MultiPolygon: 0, LineString: 1, MultiLineString: 1, Point: 2};
  ["cm-areas", "cm-lines", "cm-points"].forEach(function (name, level) {
    map.createPane(name, map.getPane("overlayPane")).style.zIndex = String(201 + level);
  });
  // In each pane, one SVG per cell of a grid over the places, about PLACES_PER_SVG places each: a date step
  // repaints only the cells where a place changed (one SVG of thousands of places is repainted and
  // rasterised whole on every step).
  var PLACES_PER_SVG = 64;
  function firstPosition(coordinates) {
    return typeof coordinates[0] === "number" ? coordinates : firstPosition(coordinates[0]);
  }
  var anchors = places.map(function (place) {
    return firstPosition(place.geometry.coordinates);
  });
  var cells = Math.max(1, Math.round(Math.sqrt(places.length / PLACES_PER_SVG)));
  var west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  anchors.forEach(function (at) {
    west = Math.min(west, at[0]);
    east = Math.max(east, at[0]);
    south = Math.min(south, at[1]);
    north = Math.max(north, at[1]);
  });
  var cellWidth = (east - west) / cells || 1;
  var cellHeight = (north - south) / cells || 1;
  var renderers = {};
  function rendererFor(place, index) {
    var pane = ["cm-areas", "cm-lines", "cm-points"][order[place.geometry.type]];
    var column = Math.min(cells - 1, Math.floor((anchors[index][0] - west) / cellWidth));
    var row = Math.min(cells - 1, Math.floor((anchors[index][1] - south) / cellHeight));
    var key = pane + ":" + column + ":" + row;
    if (!renderers[key]) {
      renderers[key] = L.svg({pane: pane});
    }
    return renderers[key];
  }

  var currentDay = start;
  var placeLayers = places.map(function (place, index) {
    var kind = place.geometry.type;
    var layers = {place: place, shapes: [], casing: null};
    var renderer = rendererFor(place, index);
    if (kind === "Point") {
      var coordinates = place.geometry.coordinates;
      var radius = data.display.point_radius[place.kind] || 5;
      layers.shapes.push(L.circleMarker([coordinates[1], coordinates[0]], {radius: radius, renderer: renderer}));
    } else if (kind === "LineString" || kind === "MultiLineString") {
      layers.casing = L.geoJSON(place.geometry, {interactive: false, renderer: renderer});
      layers.shapes.push(L.geoJSON(place.geometry, {renderer: renderer}));
    } else {
      layers.shapes.push(L.geoJSON(place.geometry, {renderer: renderer}));
    }
    layers.group = L.featureGroup(layers.casing ? [layers.casing].concat(layers.shapes) : layers.shapes);
    var content = function () {
      return describe(place, periodAt(place, currentDay));
    };
    layers.shapes.forEach(function (shape) {
      shape.bindTooltip(content, {sticky: true, direction: "top", className: "cm-tooltip"});
      shape.bindPopup(content, {maxWidth: 340});
    });
    return layers;
  });
  placeLayers.forEach(function (layers) {
    layers.group.addTo(map);
  });
  places.forEach(function (place) {
    if (place.kind === "city") {
      var coordinates = place.geometry.coordinates;
      textMarker([coordinates[1], coordinates[0]], place.name, "cm-label cm-label-place").addTo(map);
    }
  });

  function eachPath(layer, callback) {
    if (layer.eachLayer) {
      layer.eachLayer(function (child) {
        eachPath(child, callback);
      });
    } else {
      callback(layer);
    }
  }

  function restyle(layers, period) {
    var style = period === null ? data.unknown_style : period.style;
    var type = layers.place.geometry.type;
    var lineWidth = data.display.line_width;
    if (layers.casing) {
      // A line's ring is a casing around it, in the ring's dash; any other dash goes to the line.
      layers.casing.setStyle({color: style.stroke, weight: lineWidth + 2 * style.stroke_width,
        opacity: style.ring ? 1 : 0, dashArray: style.dash, lineCap: "butt"});
      layers.shapes[0].setStyle({color: style.fill, weight: lineWidth, opacity: 1,
        dashArray: style.ring ? null : style.dash, lineCap: "butt"});
    } else {
      var area = type === "Polygon" || type === "MultiPolygon";
      var opacity = style.fill_opacity * (area ? data.display.area_opacity_scale : 1);
      var patterned = area && style.hatch;
      layers.shapes[0].setStyle({
        fillColor: patterned ? hatchFill(style, opacity) : style.fill,
        fillOpacity: patterned ? 1 : opacity,
        color: style.stroke, weight: style.stroke_width, opacity: 1, dashArray: style.dash
      });
    }
    eachPath(layers.group, function (path) {
      var node = path.getElement && path.getElement();
      if (node) {
        node.setAttribute("data-place", layers.place.id);
        node.setAttribute("data-controller", period === null ? "" : period.controller);
        node.setAttribute("data-status", period === null ? "unknown" : period.status);
        node.setAttribute("data-fill", style.fill);
        node.setAttribute("data-stroke", style.stroke);
        if (layers.casing && layers.casing.hasLayer(path)) {
          node.setAttribute("data-casing", "true");
        }
      }
    });
  }

  // ---- the legend ----
  var legendBody = element("div", "cm-legend");
  var Legend = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      L.DomEvent.disableClickPropagation(legendBody);
      return legendBody;
    }
  });
  new Legend().addTo(map);

  function swatch(colour) {
    var box = element("span", "cm-swatch");
    box.style.background = colour;
    return box;
  }

  function updateLegend(counts, statusCounts) {
    legendBody.replaceChildren();
    legendBody.appendChild(element("div", "cm-legend-heading", "Held by (places)"));
    data.factions.forEach(function (faction) {
      if (!counts[faction.id]) {
        return;
      }
      var row = element("div", "cm-legend-row");
      row.setAttribute("data-faction", faction.id);
      row.appendChild(swatch(data.style.colours[faction.id]));
      row.appendChild(element("span", "cm-legend-label", faction.label + " (" + counts[faction.id] + ")"));
      legendBody.appendChild(row);
    });
    var shown = ["contested", "besieged", "unknown"].filter(function (status) {
      return statusCounts[status];
    });
    if (shown.length) {
      legendBody.appendChild(element("div", "cm-legend-heading", "Status"));
      shown.forEach(function (status) {
        var pattern = data.style.patterns[status];
        var row = element("div", "cm-legend-row");
        row.setAttribute("data-status", status);
        var box = swatch(status === "unknown" ? data.unknown_style.fill : data.display.basemap.land);
        box.className += " cm-swatch-" + status;
        row.appendChild(box);
        row.appendChild(element("span", "cm-legend-label", pattern.label + " (" + statusCounts[status] + ")"));
        legendBody.appendChild(row);
      });
    }
  }

  // ---- the date controls ----
  var slider = document.getElementById("cm-slider");
  var dateLabel = document.getElementById("cm-date");
  var playButton = document.getElementById("cm-play");
  var previousButton = document.getElementById("cm-prev");
  var nextButton = document.getElementById("cm-next");
  slider.min = "0";
  slider.max = String(end - start);

  function previousChange(day) {
    var found = null;
    changes.forEach(function (change) {
      if (change < day) {
        found = change;
      }
    });
    return found;
  }

  function nextChange(day) {
    for (var i = 0; i < changes.length; i += 1) {
      if (changes[i] > day) {
        return changes[i];
      }
    }
    return null;
  }

  function setDay(day) {
    currentDay = Math.min(Math.max(day, start), end);
    var counts = {};
    var statusCounts = {};
    placeLayers.forEach(function (layers) {
      var period = periodAt(layers.place, currentDay);
      // Only a place whose period changed is restyled: a step of a day touches a few places, not all.
      if (!layers.drawn || period !== layers.period) {
        restyle(layers, period);
        layers.period = period;
        layers.drawn = true;
      }
      var status = period === null ? "unknown" : period.status;
      statusCounts[status] = (statusCounts[status] || 0) + 1;
      if (period !== null) {
        counts[period.controller] = (counts[period.controller] || 0) + 1;
      }
    });
    updateLegend(counts, statusCounts);
    slider.value = String(currentDay - start);
    slider.setAttribute("aria-valuetext", formatDay(currentDay));
    dateLabel.textContent = formatDay(currentDay);
    previousButton.disabled = previousChange(currentDay) === null;
    nextButton.disabled = nextChange(currentDay) === null;
    document.documentElement.setAttribute("data-date", isoDate(currentDay));
  }

  var timer = null;

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    playButton.textContent = "▶ Play";
    playButton.setAttribute("aria-pressed", "false");
  }

  function play() {
    if (currentDay >= end) {
      setDay(start);
    }
    playButton.textContent = "❚❚ Pause";
    playButton.setAttribute("aria-pressed", "true");
    timer = window.setInterval(function () {
      if (currentDay >= end) {
        stop();
        return;
      }
      setDay(currentDay + PLAY_STEP_DAYS);
    }, PLAY_INTERVAL_MS);
  }

  slider.addEventListener("input", function () {
    stop();
    setDay(start + Number(slider.value));
  });
  playButton.addEventListener("click", function () {
    if (timer === null) {
      play();
    } else {
      stop();
    }
  });
  previousButton.addEventListener("click", function () {
    var day = previousChange(currentDay);
    stop();
    if (day !== null) {
      setDay(day);
    }
  });
  nextButton.addEventListener("click", function () {
    var day = nextChange(currentDay);
    stop();
    if (day !== null) {
      setDay(day);
    }
  });

  // (west, south, east, north) of every place, or of the whole region when there is none.
  map.fitBounds([[data.bounds[1], data.bounds[0]], [data.bounds[3], data.bounds[2]]], {padding: [24, 24]});
  setDay(dayNumber(data.date));

  window.controlmap = {
    setDate: function (iso) {
      stop();
      setDay(dayNumber(iso));
    },
    date: function () {
      return isoDate(currentDay);
    },
    map: map
  };
  document.documentElement.setAttribute("data-ready", "true");
}());
