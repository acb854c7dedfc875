// controlmap's time engine, part 5 of 7: the controls that live with the map. A range input labelled "Date"
// (arrows step a day, Page Up / Page Down jump to the previous / next change), previous and next change
// buttons, play (days per second, or change by change) that can be paused at any frame, a strip under the
// slider with how many changes fall in each month, the shading toggle, and the legend as a map control.

var PLAY_FPS = 12;
var PLAY_SPEEDS = [["30", "30 days a second"], ["7", "a week a second"], ["120", "4 months a second"],
  ["changes", "change by change"]];
var CHANGE_STEP_MS = 900;

function Controls(engine, container, options) {
  this.engine = engine;
  var data = engine.data;
  this.data = data;
  var bar = element("div", "cm-bar");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Date controls");
  var row = element("div", "cm-bar-row");
  this.previous = this._button("◀", "Previous change", "cm-prev");
  this.play = this._button("▶ Play", "Play through time", "cm-play");
  this.play.setAttribute("aria-pressed", "false");
  this.speed = element("select", "cm-speed");
  this.speed.setAttribute("aria-label", "Play speed");
  var self = this;
  PLAY_SPEEDS.forEach(function (pair) {
    var option = element("option", null, pair[1]);
    option.value = pair[0];
    self.speed.appendChild(option);
  });
  this.next = this._button("▶", "Next change", "cm-next");
  var track = element("div", "cm-track");
  this.slider = element("input", "cm-slider");
  this.slider.type = "range";
  this.slider.id = "cm-slider";
  this.slider.min = "0";
  this.slider.max = String(data.end - data.start);
  this.slider.step = "1";
  this.slider.setAttribute("aria-label", "Date");
  this.slider.setAttribute("aria-keyshortcuts", "PageUp PageDown");
  this.strip = this._strip();
  track.appendChild(this.slider);
  track.appendChild(this.strip);
  this.label = element("output", "cm-date");
  this.label.id = "cm-date";
  this.label.setAttribute("for", "cm-slider");
  this.label.setAttribute("aria-live", "polite");
  [this.previous, this.play, this.speed, this.next, track, this.label].forEach(function (node) {
    row.appendChild(node);
  });
  bar.appendChild(row);
  var toggles = element("div", "cm-bar-row cm-bar-options");
  var shade = element("label", "cm-toggle");
  this.shade = element("input");
  this.shade.type = "checkbox";
  this.shade.checked = options.shade !== false;
  shade.appendChild(this.shade);
  shade.appendChild(document.createTextNode(" Shade the land around places"));
  toggles.appendChild(shade);
  if (options.paletteChoice) {
    this.palette = element("select", "cm-palette");
    this.palette.setAttribute("aria-label", "Colours");
    Object.keys(data.payload.palettes).forEach(function (id) {
      var option = element("option", null, data.payload.palettes[id].label);
      option.value = id;
      self.palette.appendChild(option);
    });
    this.palette.value = options.palette;
    var choice = element("label", "cm-toggle", "Colours ");
    choice.appendChild(this.palette);
    toggles.appendChild(choice);
  }
  bar.appendChild(toggles);
  container.appendChild(bar);
  this.timer = null;
  this.frame = 0;
  this.pending = null;
  this.pointer = false;
  this._wire();
}

Controls.prototype._button = function (text, title, id) {
  var button = element("button", "cm-button", text);
  button.type = "button";
  button.id = id;
  button.title = title;
  button.setAttribute("aria-label", title);
  return button;
};

// How many changes fall in each month, as bars under the slider (their heights by the square root, so a
// month with one change still shows).
Controls.prototype._strip = function () {
  var data = this.data;
  var strip = element("div", "cm-strip");
  strip.setAttribute("aria-hidden", "true");
  var first = new Date(data.start * DAY_MS);
  var last = new Date(data.end * DAY_MS);
  var months = [];
  for (var y = first.getUTCFullYear(), m = first.getUTCMonth();
    y < last.getUTCFullYear() || (y === last.getUTCFullYear() && m <= last.getUTCMonth()); m += 1) {
    if (m === 12) {
      m = 0;
      y += 1;
    }
    months.push({year: y, month: m, count: 0, first: null});
  }
  var base = first.getUTCFullYear() * 12 + first.getUTCMonth();
  data.changes.forEach(function (day, k) {
    var date = new Date(day * DAY_MS);
    var slot = months[date.getUTCFullYear() * 12 + date.getUTCMonth() - base];
    if (slot) {
      slot.count += data.changeCounts[k];
      if (slot.first === null) {
        slot.first = day;
      }
    }
  });
  var most = Math.max.apply(null, months.map(function (slot) {
    return slot.count;
  }).concat([1]));
  var self = this;
  months.forEach(function (slot) {
    var bar = element("span", "cm-strip-bar");
    var name = data.payload.months[slot.month] + " " + slot.year;
    bar.title = name + ": " + slot.count + " change" + (slot.count === 1 ? "" : "s");
    bar.style.height = slot.count ? Math.max(8, Math.round(100 * Math.sqrt(slot.count / most))) + "%" : "0";
    bar.setAttribute("data-month", slot.year + "-" + String(slot.month + 1).padStart(2, "0"));
    bar.setAttribute("data-count", String(slot.count));
    if (slot.first !== null) {
      bar.addEventListener("click", function () {
        self.stop();
        self.engine.setDay(slot.first, "strip");
      });
    }
    strip.appendChild(bar);
  });
  return strip;
};

Controls.prototype._wire = function () {
  var self = this;
  var engine = this.engine;
  var slider = this.slider;
  slider.addEventListener("pointerdown", function () {
    self.pointer = true;
    self.stop();
  });
  // One restyle per frame, at the slider's latest value: the map follows the hand however fast it moves.
  slider.addEventListener("input", function () {
    self.pending = engine.data.start + Number(slider.value);
    if (!self.frame) {
      self.frame = window.requestAnimationFrame(function () {
        self.frame = 0;
        if (self.pending !== null) {
          engine.setDay(self.pending, null);
          self.pending = null;
        }
      });
    }
  });
  slider.addEventListener("change", function () {
    var day = engine.data.start + Number(slider.value);
    engine.setDay(day, self.pointer ? "drag" : "key");
    self.pointer = false;
  });
  slider.addEventListener("keydown", function (event) {
    var day = null;
    if (event.key === "PageUp") {
      day = engine.previousChange();
    } else if (event.key === "PageDown") {
      day = engine.nextChange();
    } else {
      return;
    }
    event.preventDefault();
    self.stop();
    if (day !== null) {
      engine.setDay(day, "key");
    }
  });
  this.previous.addEventListener("click", function () {
    self.stop();
    var day = engine.previousChange();
    if (day !== null) {
      engine.setDay(day, "button");
    }
  });
  this.next.addEventListener("click", function () {
    self.stop();
    var day = engine.nextChange();
    if (day !== null) {
      engine.setDay(day, "button");
    }
  });
  this.play.addEventListener("click", function () {
    if (self.timer === null) {
      self.start();
    } else {
      self.stop();
    }
  });
  this.speed.addEventListener("change", function () {
    if (self.timer !== null) {
      self.stop();
      self.start();
    }
  });
  this.shade.addEventListener("change", function () {
    engine.setShading(self.shade.checked, true);
  });
  if (this.palette) {
    this.palette.addEventListener("change", function () {
      engine.setPalette(self.palette.value);
    });
  }
};

Controls.prototype.start = function () {
  var engine = this.engine;
  var data = engine.data;
  var self = this;
  if (engine.day >= data.end) {
    engine.setDay(data.start, "play");
  }
  this.play.textContent = "❚❚ Pause";
  this.play.setAttribute("aria-pressed", "true");
  var speed = this.speed.value;
  if (speed === "changes") {
    this.timer = window.setInterval(function () {
      var day = engine.nextChange();
      if (day === null) {
        self.stop();
      } else {
        engine.setDay(day, "play");
      }
    }, CHANGE_STEP_MS);
    return;
  }
  var perFrame = Number(speed) / PLAY_FPS;
  var position = engine.day;
  this.timer = window.setInterval(function () {
    position = Math.min(data.end, position + perFrame);
    engine.setDay(Math.floor(position), "play");
    if (position >= data.end) {
      self.stop();
    }
  }, 1000 / PLAY_FPS);
};

Controls.prototype.stop = function () {
  if (this.timer !== null) {
    window.clearInterval(this.timer);
    this.timer = null;
    this.engine.report("pause");
  }
  this.play.textContent = "▶ Play";
  this.play.setAttribute("aria-pressed", "false");
};

Controls.prototype.show = function (day) {
  var data = this.data;
  this.slider.value = String(day - data.start);
  var text = formatDay(day, 0, data.payload.months);
  this.slider.setAttribute("aria-valuetext", text);
  this.label.textContent = text;
  this.previous.disabled = this.engine.previousChange() === null;
  this.next.disabled = this.engine.nextChange() === null;
};

// The legend: who holds how many places at the date, how status is drawn, what the shading and the rings
// mean. Beside the controls, not over the map (it would hide places), and redrawn at every step.
function Legend(engine, container) {
  this.engine = engine;
  var body = element("div", "cm-legend");
  body.setAttribute("role", "region");
  body.setAttribute("aria-label", "Legend");
  this.body = body;
  container.appendChild(body);
}

Legend.prototype.update = function () {
  var engine = this.engine;
  var data = engine.data;
  var payload = data.payload;
  var colours = payload.palettes[engine.palette];
  var body = this.body;
  body.replaceChildren();
  var held = element("div", "cm-legend-group");
  held.appendChild(element("span", "cm-legend-heading", "Held by (places):"));
  payload.factions.forEach(function (faction, code) {
    if (!engine.counts[code]) {
      return;
    }
    var row = element("span", "cm-legend-row");
    row.setAttribute("data-faction", faction.id);
    row.appendChild(swatch(colours.colours[code]));
    row.appendChild(element("span", "cm-legend-label", faction.label));
    row.appendChild(element("span", "cm-legend-count", String(engine.counts[code])));
    held.appendChild(row);
  });
  body.appendChild(held);
  var statuses = ["contested", "besieged", "unknown"].filter(function (status) {
    return engine.statusCounts[payload.statuses.indexOf(status)];
  });
  if (statuses.length) {
    var fought = element("div", "cm-legend-group");
    fought.appendChild(element("span", "cm-legend-heading", "Status:"));
    statuses.forEach(function (status) {
      var row = element("span", "cm-legend-row");
      row.setAttribute("data-status", status);
      var box = swatch(status === "unknown" ? colours.unknown : payload.display.basemap.land);
      box.className += " cm-swatch-" + status;
      row.appendChild(box);
      row.appendChild(element("span", "cm-legend-label", payload.patterns[status].label));
      row.appendChild(element("span", "cm-legend-count", String(engine.statusCounts[payload.statuses.indexOf(status)])));
      fought.appendChild(row);
    });
    body.appendChild(fought);
  }
  if (engine.compare !== null) {
    var changed = element("div", "cm-legend-group cm-legend-compare");
    var row = element("span", "cm-legend-row");
    row.appendChild(element("span", "cm-swatch cm-swatch-changed"));
    var count = engine.changed.length;
    row.appendChild(element("span", "cm-legend-label", count + " place" + (count === 1 ? "" : "s") +
      " changed hands or status since " + formatDay(engine.compare, 0, payload.months) + " (dotted ring)"));
    changed.appendChild(row);
    body.appendChild(changed);
  }
  if (engine.shading) {
    body.appendChild(element("div", "cm-legend-note", payload.display.territory.note));
  }
};
