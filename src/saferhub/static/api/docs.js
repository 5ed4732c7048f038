// Start Swagger UI on /api/docs/ from a static file (the CSP allows no inline script).
(function () {
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    validatorUrl: null, // never call the public validator service
    tryItOutEnabled: false,
  });
})();
