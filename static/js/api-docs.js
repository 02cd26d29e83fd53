// Draws the API's documentation from its OpenAPI document with Swagger UI, served from this site.
//
// Swagger UI's own layout (BaseLayout) wraps the operations in a <main> of its own, a second one inside the page's,
// and offers the document's one server in a <select> without a label. This page's layout draws the same parts inside
// the page's <main>: the document's info, a heading of the page's own (Swagger UI's info is an <h1>, its groups
// <h3>), the operations and the schemas; no server choice ("Try it out" is off, so there is nothing to send).
const docsLayout = (system) => {
  const h = system.React.createElement;

  const DocsLayout = ({ getComponent, specSelectors }) => {
    if (specSelectors.loadingStatus() !== "success") {
      return h(getComponent("BaseLayout", true)); // loading and failure look as Swagger UI draws them
    }
    const Row = getComponent("Row");
    const Col = getComponent("Col");
    const element = document.getElementById("swagger-ui");
    const whole = (child) => h(Row, null, h(Col, { mobile: 12, desktop: 12 }, child));
    return h(
      "div",
      { className: "swagger-ui" },
      h(getComponent("SvgAssets")),
      h(getComponent("errors", true)),
      h(Row, { className: "information-container" }, h(Col, { mobile: 12 }, h(getComponent("InfoContainer", true)))),
      h("h2", { className: "api-docs__heading", lang: document.documentElement.lang }, element.dataset.heading),
      h("div", { id: "operations" }, whole(h(getComponent("operations", true))), whole(h(getComponent("Models", true)))),
    );
  };

  return { components: { DocsLayout } };
};

// Swagger UI draws each operation's answers as a <table role="region"> without a name: two operations open are two
// regions that screen readers cannot tell apart (axe: landmark-unique). No option of Swagger UI names them; this
// names each after its operation ("Responses GET /api/v1/events") as it appears. React keeps an attribute it did not
// set, and a table drawn anew is named again.
const nameResponseRegions = (element) => {
  const name = () => {
    for (const table of element.querySelectorAll("table.responses-table[role=region]:not([aria-label])")) {
      const operation = table.closest(".opblock");
      const method = operation?.querySelector(".opblock-summary-method")?.textContent ?? "";
      const path = operation?.querySelector(".opblock-summary-path")?.dataset.path ?? "";
      table.setAttribute("aria-label", `Responses ${method} ${path}`.trim());
    }
  };
  new MutationObserver(name).observe(element, { childList: true, subtree: true });
};

window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  nameResponseRegions(element);
  window.SwaggerUIBundle({
    url: element.dataset.specUrl,
    domNode: element,
    plugins: [docsLayout],
    layout: "DocsLayout",
    // Deep links put a link inside each operation's button (a control in a control, which screen readers cannot
    // reach); the operations open and close without them.
    deepLinking: false,
    validatorUrl: null, // Swagger UI would otherwise send the document to a validator elsewhere
    supportedSubmitMethods: ["get", "head"],
    tryItOutEnabled: false,
  });
});
