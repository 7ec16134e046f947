// Pick an incident's point on a map beside the form: fills the #lat / #lon inputs.
// Progressive enhancement: without scripts the two inputs are typed in as before.
// Included by templates/_pick_point.html, which names Leaflet's files and the operation.
(function () {
  "use strict";
  var script = document.currentScript;
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!script || !lat || !lon) return;
  var fieldset = lat.closest("fieldset") || lat.parentNode;

  function stylesheet(href) {
    if (!href) return;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = href;
    document.head.appendChild(css);
  }

  function scriptFile(src, then) {
    var js = document.createElement("script");
    js.src = src;
    js.onload = then;
    document.head.appendChild(js);
  }

  // Leaflet, then the base map and labels (basemap.js), each once.
  function load(then) {
    var kit = function () {
      if (window.MamarMap || !script.getAttribute("data-basemap-js")) return then();
      stylesheet(script.getAttribute("data-map-css"));
      scriptFile(script.getAttribute("data-basemap-js"), then);
    };
    if (window.L) return kit();
    stylesheet(script.getAttribute("data-leaflet-css"));
    scriptFile(script.getAttribute("data-leaflet-js"), kit);
  }

  // A place's name as a text node: Leaflet parses a string tooltip as HTML, an element it does not.
  function label(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  // The colours drawn with are the page's (app.css; dark.css in the dark theme).
  function colour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }
  function styles() {
    return {
      ground: { color: colour("muted"), weight: 1, fillOpacity: 0.08 },
      front: { color: colour("front"), weight: 2, dashArray: "6 4" },
      place: { color: colour("map-place"), weight: 1 },
      picked: { color: colour("map-marker-edge"), fillColor: colour("map-incident") }
    };
  }

  function number(input) {
    // Typed in either digits: Arabic-Indic ones and the Arabic decimal separator read as Latin.
    var value = parseFloat(String(input.value).replace(/[٠-٩]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".indexOf(d); }).replace(/٫/g, "."));
    return isFinite(value) ? value : null;
  }

  load(function () {
    var box = document.createElement("div");
    box.id = "pick-map";
    box.className = "pick-map";
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", script.getAttribute("data-label") || "");
    var help = document.createElement("p");
    help.className = "hint";
    help.textContent = script.getAttribute("data-label") || "";
    fieldset.appendChild(help);
    fieldset.appendChild(box);
    var map = L.map(box, { zoomControl: false, attributionControl: false });
    // The zoom buttons named in the page's language (Leaflet's own titles are English).
    L.control.zoom({
      zoomInTitle: script.getAttribute("data-label-zoom-in") || "+",
      zoomOutTitle: script.getAttribute("data-label-zoom-out") || "-"
    }).addTo(map);
    var tiles = script.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
    var lang = document.documentElement.lang || "ar";
    var kit = window.MamarMap ? window.MamarMap.attach(map, { lang: lang, base: script.getAttribute("data-base") }) : null;
    var marker = null;
    var drawn = { ground: null, front: null, places: null };
    // Automatic colours: the system's preference changing repaints what is drawn.
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", function () {
        var now = styles();
        if (drawn.ground) drawn.ground.setStyle(now.ground);
        if (drawn.front) drawn.front.setStyle(now.front);
        if (drawn.places) drawn.places.setStyle(now.place);
        if (marker) marker.setStyle(now.picked);
      });
    }

    function place(latlng, fill) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, L.extend({ radius: 8, weight: 2, fillOpacity: 1, className: "picked" }, styles().picked)).addTo(map);
      if (fill) {
        lat.value = latlng.lat.toFixed(5);
        lon.value = latlng.lng.toFixed(5);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
        lon.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    map.on("click", function (e) { place(e.latlng, true); });
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () {
        var a = number(lat), b = number(lon);
        if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) place(L.latLng(a, b), false);
      });
    });

    var api = script.getAttribute("data-api");
    var fallback = function () { map.setView([20, 20], 2); };
    if (!api) return fallback();
    fetch(api + "?lang=" + encodeURIComponent(lang), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (payload) {
        if (!payload) return fallback();
        var rtl = document.documentElement.dir === "rtl";
        var now = styles();
        var ground = L.geoJSON(payload.layers.control, { style: now.ground, interactive: false }).addTo(map);
        drawn.ground = ground;
        drawn.front = L.geoJSON(payload.layers.front, { style: now.front, interactive: false }).addTo(map);
        var rank = 0;
        var places = L.geoJSON(payload.layers.places, {
          pointToLayer: function (f, at) {
            var dot = L.circleMarker(at, L.extend({ radius: 3, interactive: false }, now.place));
            if (kit) kit.labels.add(at, f.properties.label, { priority: rank++, className: "place-label", group: "places" });
            else dot.bindTooltip(label(f.properties.label), { permanent: true, direction: rtl ? "left" : "right", className: "place-label" });
            return dot;
          }
        }).addTo(map);
        drawn.places = places;
        // Opens on the operation's area: where its records are (else its areas, its places).
        var area = window.MamarMap && window.MamarMap.areaBounds(payload.area);
        var bounds = area || (ground.getBounds().isValid() ? ground.getBounds() : places.getBounds());
        if (bounds.isValid()) map.fitBounds(bounds); else fallback();
        var a = number(lat), b = number(lon);
        if (a !== null && b !== null) place(L.latLng(a, b), false);
      }, fallback);
  });
})();
