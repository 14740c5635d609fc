// Regenerates grammar/railroad.html from the parser (run `npm run build` first):
//   node grammar/generate.mjs
// test/syntax/grammar-files.test.ts fails when the committed file is stale (UPDATE_GOLDEN=1 rewrites it).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { railroadHtml } from "../dist/src/syntax/railroad.js";

const out = fileURLToPath(new URL("./railroad.html", import.meta.url));
writeFileSync(out, railroadHtml());
console.log(`wrote ${out}`);
