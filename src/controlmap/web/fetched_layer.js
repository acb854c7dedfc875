// An empty GeoJSON layer now, filled when its file arrives: (layer, url) -> layer. Its pane keeps it in
// its place among the others whatever the order the files arrive in.
function (layer, url) {
  fetch(url).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (data) {
    if (data) {
      layer.addData(data);
    }
  });
  return layer;
}
