// The basemap's panes: (map, [[name, zIndex], ...]); they never take the pointer, so places under labels
// can still be hovered.
function (map, panes) {
  panes.forEach(function (p) {
    var pane = map.createPane("cm-" + p[0]);
    pane.style.zIndex = p[1];
    pane.style.pointerEvents = "none";
  });
}
