// The places at a date, for the app's web map (controlmap.web.folium_map.dated_layer).
// Called with the places as GeoJSON, the ids of places to mark as changed, and the style spec from
// controlmap.style; returns one Leaflet feature group. ONE style function draws every place from its
// properties (fill, stroke, status, kind); a casing under river reaches that are fought over shows their
// ring; a halo under each changed place marks it when two dates are compared.
(function (data, changed, spec) {
  var group = L.featureGroup();
  function pattern(p) { return spec.patterns[p.status] || spec.patterns.unknown; }
  function style(feature) {
    var p = feature.properties, pat = pattern(p);
    var cls = "cm-place cm-place-" + p.id + " cm-status-" + p.status;
    if (p.kind === "river") {
      return {className: cls, color: p.fill, weight: spec.lineWidth, opacity: 1,
              dashArray: pat.ring ? null : pat.dash, lineCap: "butt"};
    }
    var opacity = pat.fill_opacity * (p.kind === "region" ? spec.areaOpacity : 1);
    return {className: cls, fillColor: p.fill, fillOpacity: opacity, color: p.stroke,
            weight: pat.stroke_width, opacity: 1, dashArray: pat.dash};
  }
  function radius(p) { return spec.radius[p.kind] || 5; }
  var changedIds = {};
  changed.forEach(function (id) { changedIds[id] = true; });
  if (changed.length) {
    L.geoJSON(data, {
      interactive: false,
      filter: function (f) { return changedIds[f.properties.id] === true; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: radius(f.properties) + spec.mark.halo, interactive: false});
      },
      style: function (f) {
        var line = f.properties.kind === "river";
        return {className: "cm-changed cm-changed-" + f.properties.id, color: spec.mark.colour, fill: false,
                opacity: spec.mark.opacity,
                weight: line ? spec.lineWidth + 2 * spec.mark.stroke_width : spec.mark.stroke_width};
      }
    }).addTo(group);
  }
  L.geoJSON(data, {
    interactive: false,
    filter: function (f) { return f.properties.kind === "river" && pattern(f.properties).ring; },
    style: function (f) {
      var pat = pattern(f.properties);
      return {className: "cm-casing cm-casing-" + f.properties.id, color: f.properties.stroke, opacity: 1,
              weight: spec.lineWidth + 2 * pat.stroke_width, dashArray: pat.dash, lineCap: "butt"};
    }
  }).addTo(group);
  L.geoJSON(data, {
    style: style,
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: radius(f.properties)}); },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(f.properties.tooltip, {sticky: true, className: "cm-tooltip"});
      layer.bindPopup(f.properties.popup, {minWidth: 260, maxWidth: 360, maxHeight: 280});
    }
  }).addTo(group);
  return group;
})
