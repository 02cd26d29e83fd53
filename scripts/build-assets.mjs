// Copies the front-end packages from node_modules into static/vendor, so every page serves its own assets.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const kern = join(root, "node_modules", "@kern-ux", "native", "dist");
const target = join(root, "static", "vendor", "kern");

rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, "fonts"), { recursive: true });
cpSync(join(kern, "kern.min.css"), join(target, "kern.min.css"));
cpSync(join(kern, "fonts", "fira-sans.css"), join(target, "fonts", "fira-sans.css"));
cpSync(join(kern, "fonts", "fira-sans"), join(target, "fonts", "fira-sans"), {
  recursive: true,
  filter: (path) => !path.endsWith(".scss"),
});
cpSync(join(root, "node_modules", "@kern-ux", "native", "LICENSE.md"), join(target, "LICENSE.md"));

// The door's QR scanner: the ES module and the worker it imports from beside itself (it decodes off the main thread
// when the browser has no BarcodeDetector).
const scanner = join(root, "node_modules", "qr-scanner");
const scannerTarget = join(root, "static", "vendor", "qr-scanner");
rmSync(scannerTarget, { recursive: true, force: true });
mkdirSync(scannerTarget, { recursive: true });
for (const name of ["qr-scanner.min.js", "qr-scanner-worker.min.js", "LICENSE"]) {
  cpSync(join(scanner, name), join(scannerTarget, name));
}
// Swagger UI draws the API's docs page from its OpenAPI document (the bundle and its styles; no request elsewhere).
const swagger = join(root, "node_modules", "swagger-ui-dist");
const swaggerTarget = join(root, "static", "vendor", "swagger-ui");
rmSync(swaggerTarget, { recursive: true, force: true });
mkdirSync(swaggerTarget, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  cpSync(join(swagger, name), join(swaggerTarget, name));
}
writeFileSync(join(root, "static", "vendor", ".built"), new Date().toISOString() + "\n");
console.log("KERN-UX, qr-scanner and Swagger UI copied to static/vendor");
