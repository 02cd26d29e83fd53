// Draws the API's documentation from its OpenAPI document with Swagger UI, served from this site.
window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.specUrl,
    domNode: element,
    deepLinking: true,
    validatorUrl: null, // Swagger UI would otherwise send the document to a validator elsewhere
    supportedSubmitMethods: ["get", "head"],
    tryItOutEnabled: false,
  });
});
