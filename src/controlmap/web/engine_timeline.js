// controlmap's time engine, part 6 of 7: the timeline. A row per place, a bar per period in its holder's
// colour (outlined in the opponent's colour when fought over, dashed when contested), blank where nothing
// is known, with a rule at the date shown and a dashed one at the date compared with. Drawn on canvas, only
// the rows in view (so ten thousand places cost no more than a screenful); the rule moves with every step,
// the bars are drawn again only when the palette changes, the rows scroll or the width changes.

var ROW = 11;
var AXIS = 18;
var NAMES = 150;

function Timeline(engine, container) {
  this.engine = engine;
  var data = engine.data;
  this.data = data;
  var box = element("details", "cm-timeline");
  box.open = true;
  box.appendChild(element("summary", "cm-timeline-title", "Timeline: who held each place, 2013–2019"));
  var scroller = element("div", "cm-timeline-scroll");
  scroller.setAttribute("role", "img");
  scroller.setAttribute("aria-label", "Timeline of every place's holders; the rule marks the date shown");
  var inner = element("div", "cm-timeline-inner");
  inner.style.height = (data.count * ROW + AXIS) + "px";
  this.bars = element("canvas", "cm-timeline-bars");
  this.rules = element("canvas", "cm-timeline-rules");
  this.tip = element("div", "cm-timeline-tip");
  this.tip.style.display = "none";
  inner.appendChild(this.bars);
  inner.appendChild(this.rules);
  scroller.appendChild(inner);
  box.appendChild(scroller);
  box.appendChild(this.tip);
  container.appendChild(box);
  this.box = box;
  this.scroller = scroller;
  var self = this;
  scroller.addEventListener("scroll", function () {
    self.draw();
  });
  box.addEventListener("toggle", function () {
    self.draw();
  });
  window.addEventListener("resize", function () {
    self.draw();
  });
  this.rules.addEventListener("mousemove", function (event) {
    self._hover(event);
  });
  this.rules.addEventListener("mouseleave", function () {
    self.tip.style.display = "none";
  });
  this.rules.addEventListener("click", function (event) {
    var i = self._row(event);
    if (i >= 0) {
      engine.select(i, true);
      if (engine.options.onPick) {
        engine.options.onPick(data.places.id[i]);
      }
    }
  });
}

Timeline.prototype._size = function () {
  var width = Math.max(200, this.scroller.clientWidth);
  var height = Math.max(AXIS + ROW, Math.min(this.scroller.clientHeight, this.data.count * ROW + AXIS));
  var ratio = window.devicePixelRatio || 1;
  var top = this.scroller.scrollTop;
  [this.bars, this.rules].forEach(function (canvas) {
    canvas.style.top = top + "px";
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
  });
  return {width: width, height: height, ratio: ratio, top: top};
};

Timeline.prototype._x = function (day, width) {
  var data = this.data;
  return NAMES + (day - data.start) / (data.end + 1 - data.start) * (width - NAMES - 4);
};

// The bars of the rows in view, and the years along the top.
Timeline.prototype.draw = function () {
  if (!this.box.open) {
    return;
  }
  var size = this._size();
  var data = this.data;
  var payload = data.payload;
  var colours = payload.palettes[this.engine.palette];
  var context = this.bars.getContext("2d");
  context.setTransform(size.ratio, 0, 0, size.ratio, 0, 0);
  context.clearRect(0, 0, size.width, size.height);
  context.font = "10px system-ui, sans-serif";
  context.textBaseline = "middle";
  var first = Math.max(0, Math.floor((size.top - AXIS) / ROW));
  var last = Math.min(data.count, Math.ceil((size.top + size.height) / ROW));
  for (var i = first; i < last; i += 1) {
    var y = AXIS + i * ROW - size.top;
    if (y < AXIS - ROW) {
      continue;
    }
    context.fillStyle = i % 2 ? "#f7f7f7" : "#ffffff";
    context.fillRect(0, y, size.width, ROW);
    context.fillStyle = "#333333";
    context.fillText(data.places.name[i].slice(0, 26), 2, y + ROW / 2);
    for (var p = data.offset[i]; p < data.offset[i + 1]; p += 1) {
      var x0 = this._x(data.pStart[p], size.width);
      var x1 = this._x(data.pEnd[p], size.width);
      var look = lookOf(data, p, this.engine.palette);
      context.fillStyle = look.fill;
      context.fillRect(x0, y + 1.5, Math.max(1, x1 - x0), ROW - 3);
      if (look.ring) {
        context.strokeStyle = look.stroke;
        context.lineWidth = 1.5;
        context.setLineDash(look.dash ? [3, 2] : []);
        context.strokeRect(x0 + 0.75, y + 2.25, Math.max(1, x1 - x0 - 1.5), ROW - 4.5);
        context.setLineDash([]);
      }
    }
  }
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, size.width, AXIS);
  context.fillStyle = "#555555";
  context.strokeStyle = "#bbbbbb";
  context.lineWidth = 1;
  var startYear = new Date(data.start * DAY_MS).getUTCFullYear();
  var endYear = new Date(data.end * DAY_MS).getUTCFullYear();
  for (var year = startYear; year <= endYear + 1; year += 1) {
    var x = this._x(dayOf(year + "-01-01"), size.width);
    if (x >= NAMES - 1 && x <= size.width) {
      context.fillText(String(year), x + 2, AXIS / 2);
      context.beginPath();
      context.moveTo(x, AXIS - 4);
      context.lineTo(x, size.height);
      context.stroke();
    }
  }
  this.colours = colours;
  this.drawRules();
};

// The rules at the date shown and the date compared with: all a date step redraws here.
Timeline.prototype.drawRules = function () {
  if (!this.box.open) {
    return;
  }
  var width = parseFloat(this.rules.style.width) || this.scroller.clientWidth;
  var height = parseFloat(this.rules.style.height) || 0;
  var ratio = window.devicePixelRatio || 1;
  var context = this.rules.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  var engine = this.engine;
  var marks = [[engine.day, []]].concat(engine.compare === null ? [] : [[engine.compare, [5, 3]]]);
  var self = this;
  marks.forEach(function (mark) {
    var x = self._x(mark[0], width) + 0.5;
    context.strokeStyle = "#111111";
    context.lineWidth = 2;
    context.setLineDash(mark[1]);
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, height);
    context.stroke();
  });
  context.setLineDash([]);
  this.rules.setAttribute("data-day", isoDate(engine.day));
};

Timeline.prototype._row = function (event) {
  var bounds = this.rules.getBoundingClientRect();
  var i = Math.floor((event.clientY - bounds.top + this.scroller.scrollTop - AXIS) / ROW);
  return i >= 0 && i < this.data.count && event.clientY - bounds.top > AXIS ? i : -1;
};

Timeline.prototype._hover = function (event) {
  var i = this._row(event);
  var tip = this.tip;
  if (i < 0) {
    tip.style.display = "none";
    return;
  }
  var bounds = this.rules.getBoundingClientRect();
  var data = this.data;
  var width = bounds.width;
  var day = data.start + (event.clientX - bounds.left - NAMES) / (width - NAMES - 4) * (data.end + 1 - data.start);
  var p = periodAt(data, i, Math.floor(day), -1);
  tip.replaceChildren();
  tip.appendChild(element("b", null, data.places.name[i]));
  tip.appendChild(element("div", null, holderText(data, p)));
  if (p >= 0) {
    tip.appendChild(element("div", "cm-info-when", sinceText(data, p)));
  }
  tip.style.display = "";
  tip.style.left = Math.min(event.clientX - bounds.left + 12, width - 220) + "px";
  tip.style.top = (event.clientY - this.box.getBoundingClientRect().top + 12) + "px";
};
