// Start the govuk-frontend components on every page (loaded as a module, so only
// browsers that support them run it), and follow background jobs where a page shows one.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { followProgress } from "./progress.mjs";
import { stackTables } from "./tables.mjs";

initAll();
followProgress();
stackTables();
