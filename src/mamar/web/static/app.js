// Progressive enhancement: pages work without this script.
// Live updates: pages marked data-live reload their live regions when the journal moves.
(function () {
  "use strict";
  var body = document.body;
  var op = body.getAttribute("data-operation");
  if (!body.hasAttribute("data-live") || !op || !window.EventSource) return;
  var pending = null;
  function refresh() {
    pending = null;
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (region) {
          var name = region.getAttribute("data-live-region");
          var fresh = doc.querySelector('[data-live-region="' + name + '"]');
          if (fresh) region.replaceWith(fresh);
        });
        document.dispatchEvent(new CustomEvent("mamar:refreshed"));
      });
  }
  var source = new EventSource("/live?operation=" + encodeURIComponent(op));
  source.addEventListener("journal", function (e) {
    document.dispatchEvent(new CustomEvent("mamar:event", { detail: JSON.parse(e.data) }));
    if (!pending) pending = setTimeout(refresh, 150);
  });
})();

// A refused form: the page opens on its summary of problems (the page asks it with
// autofocus too; this is for a browser that leaves it to the page).
(function () {
  "use strict";
  var problems = document.getElementById("problems");
  if (!problems || document.activeElement === problems) return;
  problems.focus();
  if (problems.scrollIntoView) problems.scrollIntoView({ block: "start" });
})();
