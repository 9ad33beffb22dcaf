// Start the govuk-frontend components on every page (loaded as a module, so only
// browsers that support them run it).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
