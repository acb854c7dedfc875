// A basemap label as a text marker (Leaflet pointToLayer): the name is set as text, never as HTML.
function (feature, latlng) {
  var text = document.createElement("span");
  text.textContent = feature.properties.name || "";
  var kind = String(feature.properties.kind || "").replace(/[^a-z]/g, "");
  return L.marker(latlng, {interactive: false, keyboard: false, pane: "cm-labels",
    icon: L.divIcon({html: text, className: "cm-label cm-label-" + kind, iconSize: null})});
}
