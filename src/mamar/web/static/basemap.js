// The offline base map and labels that do not pile up, shared by the map page and the
// point picker (window.MamarMap). The base map is served by Mamar itself
// (/api/v1/basemap: the imported OpenStreetMap extract's roads and named places within
// the view, simplified for the zoom): no tile server, no internet. Labels are placed
// most important first, each on the first side of its point where it overlaps no label
// already placed; a label with no free side is hidden until a zoom makes room for it.
(function () {
  "use strict";
  if (!window.L) return;

  // A road's width by its class; its colour is the page's (app.css's --road-major, …; dark.css
  // in the dark theme), read when the roads are drawn.
  var ROADS = { major: 4, secondary: 3, minor: 1.5 };
  function colour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }
  var GAP = 6;

  function text(tag, value, lang) {
    var element = document.createElement(tag);
    element.textContent = value == null ? "" : String(value);
    // A name in another language than the page's is marked with it; unknown: as written.
    if (lang) element.setAttribute("lang", lang);
    element.setAttribute("dir", "auto");
    return element;
  }

  function panes(map) {
    if (map.getPane("mamar-base")) return;
    map.createPane("mamar-base").style.zIndex = 250; // under the operation's layers
    var labels = map.createPane("mamar-labels");
    labels.style.zIndex = 650; // over them, never catching the pointer
    labels.style.pointerEvents = "none";
    labels.setAttribute("aria-hidden", "true"); // the lists beside the map say the same
  }

  // The scale bar in the page's language and the operation's digits (CLDR units, by the
  // browser): <html data-locale> is "ar-u-nu-arab" or "ar-u-nu-latn" (en: "en-GB-u-nu-latn").
  var ScaleBar = L.Control.Scale.extend({
    _updateMetric: function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      var km = meters >= 1000;
      var words;
      try {
        words = new Intl.NumberFormat(this.options.locale || this.options.lang, {
          style: "unit", unit: km ? "kilometer" : "meter", unitDisplay: "short"
        }).format(km ? meters / 1000 : meters);
      } catch (e) {
        words = String(km ? meters / 1000 : meters);
      }
      this._mScale.style.width = Math.round(this.options.maxWidth * meters / maxMeters) + "px";
      this._mScale.textContent = words;
    }
  });

  function Labels(map) {
    this.map = map;
    this.items = [];
    var self = this;
    var queued = false;
    this.schedule = function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; self.declutter(); });
    };
    map.on("zoomend moveend resize", this.schedule);
  }

  // ``priority``: lower first. ``dot``: the label names a point beside it (else it sits on it).
  Labels.prototype.add = function (latlng, value, options) {
    var span = text("span", value, options.lang);
    var marker = L.marker(latlng, {
      pane: "mamar-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "map-label " + (options.className || ""), html: span, iconSize: [0, 0], iconAnchor: [0, 0] })
    });
    var item = { marker: marker, span: span, priority: options.priority || 0, group: options.group || "", dot: options.dot !== false };
    this.items.push(item);
    marker.addTo(this.map);
    this.schedule();
    return marker;
  };

  Labels.prototype.clear = function (group) {
    var map = this.map;
    this.items = this.items.filter(function (item) {
      if (item.group !== group) return true;
      map.removeLayer(item.marker);
      return false;
    });
    this.schedule();
  };

  function overlaps(a, b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  }

  // The boxes of the map's controls, in the map's own coordinates (as its points are).
  function controlBoxes(map) {
    var container = map.getContainer();
    var frame = container.getBoundingClientRect();
    var x = frame.left + container.clientLeft, y = frame.top + container.clientTop;
    return Array.prototype.map.call(container.querySelectorAll(".leaflet-control"), function (c) {
      var r = c.getBoundingClientRect();
      return { x0: r.left - x - 2, y0: r.top - y - 2, x1: r.right - x + 2, y1: r.bottom - y + 2, owner: null };
    });
  }

  Labels.prototype.declutter = function () {
    var map = this.map;
    var size = map.getSize();
    var rtl = document.documentElement.dir === "rtl";
    var sides = rtl ? ["left", "right", "top", "bottom"] : ["right", "left", "top", "bottom"];
    var items = this.items.slice().sort(function (a, b) { return a.priority - b.priority; });
    // Read every size first, then write: one layout, however many labels.
    var measured = items.map(function (item) {
      return {
        item: item,
        at: map.latLngToContainerPoint(item.marker.getLatLng()),
        w: item.span.offsetWidth,
        h: item.span.offsetHeight
      };
    });
    // The points themselves are not covered by another's label, nor the map's controls
    // (zoom, layers, scale): a label under a control could not be read.
    var placed = measured.filter(function (m) { return m.item.dot; }).map(function (m) {
      return { x0: m.at.x - 3, y0: m.at.y - 3, x1: m.at.x + 3, y1: m.at.y + 3, owner: m.item };
    }).concat(controlBoxes(map));
    var shown = 0;
    measured.forEach(function (m) {
      var chosen = null;
      var candidates = m.item.dot ? sides : ["center"];
      for (var i = 0; i < candidates.length && !chosen; i++) {
        var side = candidates[i], x0, y0;
        if (side === "right") { x0 = m.at.x + GAP; y0 = m.at.y - m.h / 2; }
        else if (side === "left") { x0 = m.at.x - GAP - m.w; y0 = m.at.y - m.h / 2; }
        else if (side === "top") { x0 = m.at.x - m.w / 2; y0 = m.at.y - GAP - m.h; }
        else if (side === "bottom") { x0 = m.at.x - m.w / 2; y0 = m.at.y + GAP; }
        else { x0 = m.at.x - m.w / 2; y0 = m.at.y - m.h / 2; }
        var box = { x0: x0 - 1, y0: y0 - 1, x1: x0 + m.w + 1, y1: y0 + m.h + 1, owner: m.item };
        if (box.x0 < 0 || box.y0 < 0 || box.x1 > size.x || box.y1 > size.y) continue;
        var free = placed.every(function (other) { return other.owner === m.item || !overlaps(box, other); });
        if (free) { chosen = side; placed.push(box); }
      }
      var element = m.item.marker.getElement();
      if (!element) return;
      element.setAttribute("data-side", chosen || "none");
      element.classList.toggle("label-hidden", !chosen);
      if (chosen) shown++;
    });
    map.getContainer().setAttribute("data-labels-shown", String(shown));
    map.getContainer().dispatchEvent(new CustomEvent("mamar:labels-placed", { bubbles: true, detail: { shown: shown } }));
  };

  // The imported extract's roads and named places, refetched for each view.
  function BaseMap(map, url, lang, labels) {
    this.map = map;
    this.url = url;
    this.lang = lang;
    this.labels = labels;
    this.roads = L.layerGroup().addTo(map);
    this.seq = 0;
    var self = this;
    var timer = null;
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.load(); }, 120);
    });
    // Automatic colours: the system's preference changing redraws the roads in its colours.
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", function () { if (self.shown) self.draw(self.shown); });
    }
  }

  function clamp(value, low, high) { return Math.min(Math.max(value, low), high).toFixed(6); }

  BaseMap.prototype.load = function () {
    var map = this.map, self = this, mine = ++this.seq;
    var b = map.getBounds();
    var west = clamp(b.getWest(), -180, 179.99), east = clamp(b.getEast(), -179.99, 180);
    var south = clamp(b.getSouth(), -90, 89.99), north = clamp(b.getNorth(), -89.99, 90);
    if (Number(west) >= Number(east) || Number(south) >= Number(north)) return;
    var query = "?bbox=" + [west, south, east, north].join(",") + "&zoom=" + Math.round(map.getZoom()) + "&lang=" + encodeURIComponent(this.lang);
    fetch(this.url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === self.seq) self.draw(data); }, function () {});
  };

  BaseMap.prototype.draw = function (data) {
    var self = this;
    this.shown = data;
    this.roads.clearLayers();
    this.labels.clear("base");
    var counts = { roads: 0, places: 0, names: 0 };
    data.features.forEach(function (f) {
      var p = f.properties;
      if (p.layer === "road") {
        var road = ROADS[p["class"]] ? p["class"] : "minor";
        self.roads.addLayer(L.geoJSON(f, {
          pane: "mamar-base", interactive: false,
          style: { color: colour("road-" + road), weight: ROADS[road], opacity: 0.9, lineCap: "round", className: "base-road base-road-" + p["class"] }
        }));
        counts.roads += p.count || 1;
      } else if (p.layer === "base_place") {
        var at = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
        self.roads.addLayer(L.circleMarker(at, { pane: "mamar-base", radius: 2, weight: 1, color: colour("map-base-place"), fillOpacity: 1, interactive: false, className: "base-place" }));
        self.labels.add(at, p.label, { lang: p.label_lang, priority: 100 + p.rank, className: "base-place-label", group: "base" });
        counts.places++;
      } else if (p.layer === "road_name") {
        self.labels.add(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), p.label,
          { lang: p.label_lang, priority: 10000 + counts.names, className: "road-label", group: "base", dot: false });
        counts.names++;
      }
    });
    var box = this.map.getContainer();
    box.setAttribute("data-base-roads", String(counts.roads));
    box.setAttribute("data-base-places", String(counts.places));
    box.setAttribute("data-base-names", String(counts.names));
    box.dispatchEvent(new CustomEvent("mamar:base-drawn", { bubbles: true, detail: counts }));
  };

  // Sets up a Leaflet map: panes, the scale bar, labels and (given its URL) the base map.
  function attach(map, options) {
    panes(map);
    var lang = options.lang || document.documentElement.lang || "ar";
    var rtl = document.documentElement.dir === "rtl";
    var locale = document.documentElement.getAttribute("data-locale") || lang;
    new ScaleBar({ metric: true, imperial: false, lang: lang, locale: locale, position: rtl ? "bottomright" : "bottomleft" }).addTo(map);
    var labels = new Labels(map);
    var base = options.base ? new BaseMap(map, options.base, lang, labels) : null;
    return { labels: labels, base: base };
  }

  // [min_lon, min_lat, max_lon, max_lat] as Leaflet bounds (a point grows to a street's width).
  function areaBounds(area) {
    if (!area) return null;
    var pad = 0.002;
    return L.latLngBounds([area[1] - pad, area[0] - pad], [area[3] + pad, area[2] + pad]);
  }

  window.MamarMap = { attach: attach, areaBounds: areaBounds };
})();
