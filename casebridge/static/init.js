// Loaded as a module: the strict Content-Security-Policy forbids inline script.
import { initAll } from "/static/dist/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
if (window.MOJFrontend) {
  window.MOJFrontend.initAll();
}
