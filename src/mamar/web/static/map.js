// The map page: Leaflet over the layers the page embeds; the time slider refetches them.
// Without scripts the page still shows the same layers as lists, and the slider is a form.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var embedded = document.getElementById("map-data");
  if (!box || !embedded || !window.L) return;
  // The colours drawn with are the page's (app.css; dark.css in the dark theme): read when
  // the layers are drawn, and drawn again when the system's light or dark preference changes.
  function colour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }
  var data = JSON.parse(embedded.textContent);
  var label = function (key) { return box.getAttribute("data-label-" + key) || key; };
  var lang = box.getAttribute("data-lang") || "ar";
  // A number in the page's language and the installation's digits (<html data-locale>).
  var numbers = null;
  try {
    numbers = new Intl.NumberFormat(document.documentElement.getAttribute("data-locale") || lang);
  } catch (e) { numbers = null; }
  function written(n) { return numbers && typeof n === "number" ? numbers.format(n) : String(n); }
  var rtl = document.documentElement.dir === "rtl";
  var slider = document.getElementById("map-t");
  var output = document.getElementById("map-when");
  var showButton = document.getElementById("map-show");
  if (showButton) showButton.hidden = true;

  var tiles = box.getAttribute("data-tiles");
  // Without tiles (Mamar draws the base itself) the view may stop between zoom levels: the
  // fit below, inset from the controls, then costs only the room the controls take.
  var map = L.map(box, { zoomControl: false, attributionControl: false, zoomSnap: tiles ? 1 : 0.25 });
  // The zoom buttons named in the page's language (Leaflet's own titles are English), at
  // the start of the line (the right in Arabic); the layer list is at its end.
  L.control.zoom({
    position: rtl ? "topright" : "topleft",
    zoomInTitle: box.getAttribute("data-label-zoom-in") || "+",
    zoomOutTitle: box.getAttribute("data-label-zoom-out") || "-"
  }).addTo(map);
  if (tiles) L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
  // The base: the imported extract's roads and places (served by Mamar), a scale bar,
  // and labels placed so that they do not pile up.
  var kit = window.MamarMap ? window.MamarMap.attach(map, { lang: lang, base: box.getAttribute("data-base") }) : null;

  // User data (names, descriptions) goes into the page as text nodes, never as HTML:
  // Leaflet parses a string given to a popup or tooltip as markup, an element it does not.
  function node(tag, parts) {
    var element = document.createElement(tag);
    parts.forEach(function (part) {
      if (part == null) return;
      element.appendChild(typeof part === "object" ? part : document.createTextNode(String(part)));
    });
    return element;
  }
  // A record's name: its words, marked with the language they are in when it is not the
  // page's (the properties' ``*_lang``; "" when it is the page's).
  function named(tag, words, language) {
    var element = node(tag, [words]);
    if (language && language !== lang) {
      element.setAttribute("lang", language);
      element.setAttribute("dir", "auto");
    }
    return element;
  }
  function lines() {
    var parts = [];
    Array.prototype.forEach.call(arguments, function (line, i) {
      if (i) parts.push(document.createElement("br"));
      parts.push(line);
    });
    return node("div", parts);
  }

  var styles = {
    control: function (f) {
      var index = f.properties.colour;
      var fill = colour("c" + (index >= 0 && index <= 8 ? index : 8));
      return { color: fill, weight: 1, fillColor: fill, fillOpacity: 0.18, className: "control-area" };
    },
    front: function () { return { color: colour("front"), weight: 3, dashArray: "6 4", className: "front-line" }; },
    routes: function (f) {
      return f.properties.current
        ? { color: colour("map-route"), weight: 5, opacity: 0.9, className: "route route-current" }
        : { color: colour("map-route-old"), weight: 3, opacity: 0.8, dashArray: "4 6", className: "route route-old" };
    }
  };

  function popup(f) {
    var p = f.properties;
    switch (p.layer) {
      case "control_area":
        return lines(named("strong", p.name, p.name_lang),
          node("span", [label("controlled-by") + " ", named("span", p.party_name || "", p.party_name_lang)]));
      case "front_line":
        return lines(named("strong", p.name, p.name_lang));
      case "route":
        return lines(named("strong", p.name, p.name_lang),
          label("version") + " " + written(p.version) + (p.current ? " (" + label("current") + ")" : ""));
      case "incident":
        // Said in another language: marked with it (and its own direction), never guessed.
        var said = p.description;
        if (p.description_lang && p.description_lang !== lang) {
          said = node("bdi", [p.description]);
          said.setAttribute("lang", p.description_lang);
          said.setAttribute("dir", "auto");
        }
        var note = p.description_note ? node("small", [p.description_note]) : null;
        return lines(node("span", [said, note ? " " : null, note]), node("small", [moment(p.occurred_at)]));
      case "convoy":
        return lines(named("strong", p.name, p.name_lang), p.status_label || p.status);
      default:
        return lines(p.label ? named("span", p.label, p.label_lang) : named("span", p.name, p.name_lang));
    }
  }

  function build(name, collection) {
    var options = {
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f)); }
    };
    if (styles[name]) options.style = styles[name];
    if (name === "incidents") {
      options.pointToLayer = function (f, at) {
        return L.circleMarker(at, { radius: 7, color: colour("map-marker-edge"), weight: 2, fillColor: colour("map-incident"), fillOpacity: 1, className: "incident" });
      };
    } else if (name === "convoys") {
      options.pointToLayer = function (f, at) {
        return L.circleMarker(at, { radius: 9, color: colour("map-convoy-edge"), weight: 3, fillColor: colour("map-convoy"), fillOpacity: 1, className: "convoy status-" + f.properties.status });
      };
    } else if (name === "places") {
      var rank = 0;
      options.pointToLayer = function (f, at) {
        var marker = L.circleMarker(at, { radius: 3, color: colour("map-place"), weight: 1, fillOpacity: 1, className: "place" });
        if (kit) {
          kit.labels.add(at, f.properties.label, { lang: f.properties.label_lang, priority: rank++, className: "place-label", group: "places" });
        } else {
          marker.bindTooltip(named("span", f.properties.label, f.properties.label_lang), {
            permanent: true, direction: rtl ? "left" : "right", className: "place-label", offset: [rtl ? -4 : 4, 0]
          });
        }
        return marker;
      };
    }
    return L.geoJSON(collection, options);
  }

  var ORDER = ["control", "front", "routes", "convoys", "incidents", "places"];
  var groups = {};
  var overlays = {};
  ORDER.forEach(function (name) {
    groups[name] = L.layerGroup().addTo(map);
    overlays[label(name)] = groups[name];
  });
  // On a phone the layer list folds into a button, so it does not cover the map.
  var narrow = window.matchMedia && window.matchMedia("(max-width: 40rem)").matches;
  L.control.layers(null, overlays, { collapsed: narrow, position: rtl ? "topleft" : "topright" }).addTo(map);
  var toggle = box.querySelector(".leaflet-control-layers-toggle");
  if (toggle) {
    toggle.textContent = "☰";
    toggle.setAttribute("aria-label", label("layers"));
    toggle.setAttribute("title", label("layers"));
  }

  // What is fitted into view starts below the controls in the top corners (zoom, layers)
  // and above the scale bar: no point of the operation, nor its name, begins under them.
  function inset() {
    var frame = box.getBoundingClientRect();
    var top = 0, bottom = 0;
    box.querySelectorAll(".leaflet-top .leaflet-control").forEach(function (c) {
      top = Math.max(top, c.getBoundingClientRect().bottom - frame.top);
    });
    box.querySelectorAll(".leaflet-bottom .leaflet-control").forEach(function (c) {
      bottom = Math.max(bottom, frame.bottom - c.getBoundingClientRect().top);
    });
    return { paddingTopLeft: [16, 8 + top], paddingBottomRight: [16, 8 + bottom] };
  }

  var shown = null;
  function draw(payload, fit) {
    shown = payload;
    // Fit to where things happen (front, routes, events), else the areas, else the places.
    var bounds = L.latLngBounds([]);
    var areaBounds = L.latLngBounds([]);
    var placeBounds = L.latLngBounds([]);
    if (kit) kit.labels.clear("places");
    ORDER.forEach(function (name) {
      groups[name].clearLayers();
      var collection = payload.layers[name];
      if (!collection) return;
      var built = build(name, collection);
      groups[name].addLayer(built);
      if (!collection.features.length) return;
      (name === "places" ? placeBounds : name === "control" ? areaBounds : bounds).extend(built.getBounds());
    });
    var counts = {};
    ORDER.forEach(function (name) {
      counts[name] = payload.layers[name] ? payload.layers[name].features.length : 0;
      box.setAttribute("data-count-" + name, counts[name]);
    });
    box.setAttribute("data-at", payload.at || "");
    renderControlList(payload.layers.control);
    if (fit) {
      var area = window.MamarMap && window.MamarMap.areaBounds(payload.area);
      if (area) bounds = area;
      if (!bounds.isValid()) bounds = areaBounds.isValid() ? areaBounds : placeBounds;
      if (bounds.isValid()) map.fitBounds(bounds, inset());
      else map.setView([0, 0], 2);
    }
    box.dispatchEvent(new CustomEvent("mamar:map-drawn", { bubbles: true, detail: counts }));
  }

  function renderControlList(collection) {
    var list = document.getElementById("list-control");
    if (!list || !collection) return;
    list.textContent = "";
    collection.features.forEach(function (f) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch c" + f.properties.colour;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(named("span", f.properties.name, f.properties.name_lang));
      item.appendChild(document.createTextNode(": " + label("controlled-by") + " "));
      item.appendChild(named("span", f.properties.party_name, f.properties.party_name_lang));
      list.appendChild(item);
    });
  }

  // Every moment with its zone's offset ("GMT+2"), as the server writes a short one: a time
  // read off the map may be relayed to someone in another zone.
  var formatter = null;
  var shown = {
    timeZone: box.getAttribute("data-tz") || "UTC", day: "numeric", month: "short",
    year: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "shortOffset"
  };
  var locale = box.getAttribute("data-locale") || document.documentElement.getAttribute("data-locale") || lang;
  try {
    formatter = new Intl.DateTimeFormat(locale, shown);
  } catch (e) {
    try {
      shown.timeZoneName = "short"; // an older browser: its short zone name or offset
      formatter = new Intl.DateTimeFormat(locale, shown);
    } catch (e2) { formatter = null; }
  }

  function moment(iso) {
    var parsed = iso ? new Date(iso) : null;
    return parsed && !isNaN(parsed) && formatter ? formatter.format(parsed) : iso;
  }

  function atValue() {
    if (!slider) return null;
    if (Number(slider.value) >= Number(slider.max)) return null; // the present
    return new Date(Number(slider.value) * 1000).toISOString();
  }

  function showMoment() {
    if (!slider || !output) return;
    var seconds = Math.min(Number(slider.value), Number(slider.max));
    var moment = new Date(seconds * 1000);
    output.textContent = formatter ? formatter.format(moment) : moment.toISOString();
  }

  var seq = 0;
  function refetch() {
    var mine = ++seq;
    var at = atValue();
    var url = box.getAttribute("data-api") + "?lang=" + encodeURIComponent(lang) + (at ? "&at=" + encodeURIComponent(at) : "");
    box.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (payload) {
        if (!payload || mine !== seq) return;
        box.removeAttribute("aria-busy");
        draw(payload, false);
      });
  }

  var timer = null;
  if (slider) {
    slider.addEventListener("input", function () {
      showMoment();
      clearTimeout(timer);
      timer = setTimeout(refetch, 120);
    });
    var form = document.getElementById("map-time");
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); refetch(); });
  }

  // Live: when the journal moves and the slider shows the present, redraw the present.
  document.addEventListener("mamar:event", function () {
    if (!slider || atValue() === null) refetch();
  });

  draw(data, true);
  // Automatic colours: the system's preference changing (dark.css applies or not) redraws
  // the layers in the colours it gives.
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", function () { if (shown) draw(shown, false); });
  }
  if (window.performance && performance.mark) performance.mark("mamar-map-drawn");
})();
