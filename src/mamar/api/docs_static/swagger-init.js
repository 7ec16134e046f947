// Starts Swagger UI on the API documentation page. A file, not an inline script, so the
// page runs under the same Content-Security-Policy as every other (script-src 'self').
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || !window.SwaggerUIBundle) return;
  window.ui = window.SwaggerUIBundle({
    url: box.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No badge from the public validator: nothing on this page leaves the server.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
