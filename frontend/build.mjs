// Copy the pinned front-end packages into the Django static folder.
// GOV.UK Frontend's stylesheet points at /assets/; rewrite to where Django serves them.
import { cpSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "saferhub", "static", "vendor");
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
const css = readFileSync(join(govuk, "govuk-frontend.min.css"), "utf8")
  .replaceAll("url(/assets/", "url(/static/vendor/govuk/assets/")
  .replace(/\/\*# sourceMappingURL=.*\*\//, "");
writeFileSync(join(out, "govuk", "govuk-frontend.min.css"), css);
const js = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8").replace(/\/\/# sourceMappingURL=.*/, "");
writeFileSync(join(out, "govuk", "govuk-frontend.min.js"), js);

// Source maps are not shipped: a file that names a map the build does not copy makes
// collectstatic's manifest storage fail (MissingFileError), so every copied script and
// stylesheet has its sourceMappingURL comment removed.
const withoutSourceMap = (text) =>
  text.replace(/\/\/# sourceMappingURL=.*$/gm, "").replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
const leaflet = join(here, "node_modules", "leaflet", "dist");
mkdirSync(join(out, "leaflet"), { recursive: true });
for (const f of ["leaflet.js", "leaflet.css"]) {
  writeFileSync(join(out, "leaflet", f), withoutSourceMap(readFileSync(join(leaflet, f), "utf8")));
}
cpSync(join(leaflet, "images"), join(out, "leaflet", "images"), { recursive: true });

mkdirSync(join(out, "axe"), { recursive: true });
writeFileSync(
  join(out, "axe", "axe.min.js"),
  withoutSourceMap(readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8")),
);
// The API documentation page (/api/docs/): Swagger UI, served from here under the site's
// Content-Security-Policy (no CDN; the page starts it from a static script, no inline code).
const swagger = join(here, "node_modules", "swagger-ui-dist");
mkdirSync(join(out, "swagger-ui"), { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  writeFileSync(join(out, "swagger-ui", f), withoutSourceMap(readFileSync(join(swagger, f), "utf8")));
}
cpSync(join(swagger, "LICENSE"), join(out, "swagger-ui", "LICENSE"));
console.log("front-end built into", out);
