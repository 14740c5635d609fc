/** `npm run vsix`: write editors/vscode/imagetrust-<version>.vsix (see vsix.mts). */
import * as path from "node:path";
import { buildVsix } from "./vsix.mjs";

const { file, entries } = await buildVsix();
console.log(`wrote ${path.relative(process.cwd(), file)} (${entries.length} files)`);
console.log(`install it with: code --install-extension ${path.relative(process.cwd(), file)}`);
