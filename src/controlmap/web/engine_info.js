// controlmap's time engine, part 2 of 7: what a place says about itself in a tooltip, a popup or the
// legend. Text from the data only ever goes into the page through textContent, and only http(s) URLs become
// links; the sentences are the templates of controlmap.web.popups.WORDING.

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

function swatch(colour) {
  var box = element("span", "cm-swatch");
  box.style.background = /^#[0-9a-fA-F]{3,8}$/.test(colour) ? colour : "#999999";
  return box;
}

function factionLabel(data, code) {
  return code < 0 ? "" : data.payload.factions[code].label;
}

// Who holds a place in period p, in words: as controlmap.web.popups.holder_text.
function holderText(data, p) {
  var wording = data.payload.wording;
  if (p < 0) {
    return wording.unknown;
  }
  var status = data.payload.statuses[data.pStatus[p]];
  var opponents = data.pOpponents[p].map(function (code) {
    return factionLabel(data, code);
  }).join(", ");
  var template = wording[status === "controlled" || opponents ? status : status + "_alone"];
  return fill(template, {holder: factionLabel(data, data.pController[p]), opponents: opponents});
}

// Since (and until) when: as controlmap.web.popups.since_text.
function sinceText(data, p) {
  var wording = data.payload.wording;
  var months = data.payload.months;
  var text = fill(wording.since, {since: formatDay(data.pStart[p], data.pStartPrecision[p], months)});
  if (!data.pOpen[p]) {
    text += fill(wording.until, {until: formatDay(data.pEnd[p], data.pEndPrecision[p], months)});
  }
  return text;
}

function names(data, i, box) {
  var places = data.places;
  box.appendChild(element("b", "cm-info-name", places.name[i]));
  if (places.name_ar[i]) {
    var arabic = element("span", "cm-info-arabic", " " + places.name_ar[i]);
    arabic.setAttribute("dir", "rtl");
    arabic.setAttribute("lang", "ar");
    box.appendChild(arabic);
  }
  if (places.aliases[i].length) {
    box.appendChild(element("div", "cm-info-aliases", "also " + places.aliases[i].join(", ")));
  }
}

function sourceList(data, p, links) {
  var sources = data.payload.sources;
  var list = element("ul", "cm-info-sources");
  data.pSources[p].forEach(function (s) {
    var item = element("li");
    var url = links ? safeUrl(sources.url[s]) : null;
    var title = element(url ? "a" : "span", null, sources.title[s]);
    if (url) {
      title.href = url;
      title.target = "_blank";
      title.rel = "noopener noreferrer";
    }
    item.appendChild(title);
    var details = [sources.outlet[s]].concat(sources.published[s] ? [sources.published[s]] : []);
    item.appendChild(element("span", "cm-info-meta", " (" + details.join(", ") + ")"));
    list.appendChild(item);
  });
  return list;
}

// A place in period p: names, holder, status, dates, note and sources (as links in a popup).
function describe(data, i, p, look, links) {
  var box = element("div", "cm-info");
  box.setAttribute("data-place", data.places.id[i]);
  names(data, i, box);
  var holder = element("div", "cm-info-state");
  holder.appendChild(swatch(look.fill));
  holder.appendChild(document.createTextNode(" " + holderText(data, p)));
  box.appendChild(holder);
  if (p >= 0) {
    box.appendChild(element("div", "cm-info-status", "Status: " + look.label));
    var since = sinceText(data, p);
    box.appendChild(element("div", "cm-info-when", since.charAt(0).toUpperCase() + since.slice(1)));
    if (data.pNote[p]) {
      box.appendChild(element("div", "cm-info-note", data.pNote[p]));
    }
    box.appendChild(element("div", "cm-info-heading", "Sources:"));
    box.appendChild(sourceList(data, p, links));
  }
  if (data.places.note[i]) {
    box.appendChild(element("div", "cm-info-note", data.places.note[i]));
  }
  return box;
}

// The shaded area around place i: whose it is, and that it is derived, not sourced.
function describeArea(data, i, p, look) {
  var box = element("div", "cm-info cm-info-area");
  box.setAttribute("data-area", data.places.id[i]);
  var reach = data.places.reach_km[i];
  box.appendChild(element("b", "cm-info-name", "Around " + data.places.name[i]));
  if (reach) {
    box.appendChild(element("span", "cm-info-meta", " (within " + Math.round(reach) + " km)"));
  }
  var holder = element("div", "cm-info-state");
  holder.appendChild(swatch(look.fill));
  holder.appendChild(document.createTextNode(" " + holderText(data, p)));
  box.appendChild(holder);
  box.appendChild(element("div", "cm-info-note", "Shaded from the place's control: not a sourced front line."));
  return box;
}
