// Builds the CSS and copies the browser scripts into casebridge/static/dist.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { compile } from "sass";

const out = "casebridge/static/dist";
mkdirSync(out, { recursive: true });

const css = compile("frontend/scss/casebridge.scss", {
  loadPaths: ["."],
  style: "compressed",
  quietDeps: true,
  logger: { warn: () => {}, debug: () => {} },
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/casebridge.css`, css.css);

const copies = {
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
  "node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js": "moj-frontend.min.js",
  "node_modules/htmx.org/dist/htmx.min.js": "htmx.min.js",
  "node_modules/govuk-frontend/dist/govuk/assets/images": "assets/images",
  "node_modules/@ministryofjustice/frontend/moj/assets/images": "assets/images",
  "frontend/js/init.js": "init.js",
};
for (const [from, to] of Object.entries(copies)) {
  cpSync(from, `${out}/${to}`, { recursive: true });
}
console.log(`Built ${out}/casebridge.css (${css.css.length} bytes)`);
