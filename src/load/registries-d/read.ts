/**
 * Reading a registries.d directory through the Host, as docker/registries_d.go `loadAndMergeConfig` does: every
 * entry whose name ends in `.yaml`, in directory order (`Readdirnames`, not sorted), each loaded and then merged.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { errorCode, type Host } from "../../host/host.js";
import { join } from "../../host/path.js";
import type { RegistriesDConfig } from "../../ir/types.js";
import { hasFeature } from "../../ir/versions.js";
import { SourceFile } from "../../source/source-file.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import { loadRegistriesDFile } from "./load-file.js";
import { mergeRegistriesDFiles } from "./merge.js";
import type { RegistriesDFile, RegistriesDLoadOptions } from "./types.js";

/** Options for loading a registries.d directory: the machine it is read from, and the target. */
export interface RegistriesDDirOptions extends RegistriesDLoadOptions {
  /** The machine; its `readDir` is asked for directory order, which upstream's merge errors depend on. */
  host: Host;
  /**
   * Bytes → text. Default: UTF-8 with U+FFFD for invalid bytes and a byte order mark kept (Node's
   * `readFileSync(…, "utf8")`). Callers that keep the texts for code frames, or decode as Go does, pass their own.
   */
  decode?: (bytes: Uint8Array, file: string) => string;
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Load a whole registries.d directory (upstream `loadAndMergeConfig`): every entry ending in `.yaml`, in
 * directory order; other entries get a warning (the runtime ignores them). A missing directory is an empty configuration.
 */
export function loadRegistriesDDir(dir: string, options: RegistriesDDirOptions): { value?: RegistriesDConfig; files: string[]; diagnostics: Diagnostic[] } {
  const host = options.host;
  const decode = options.decode ?? ((bytes: Uint8Array) => utf8.decode(bytes));
  const diagnostics: Diagnostic[] = [];
  let names: string[];
  try {
    names = host.files.readDir(dir, { order: "directory" });
  } catch (e) {
    if (errorCode(e) === "ENOENT") return { value: { docker: [] }, files: [], diagnostics };
    diagnostics.push({ code: REGISTRIES_D_CODES.unreadable, severity: "error", message: `Cannot read directory ${dir}: ${(e as Error).message}`, file: dir });
    return { files: [], diagnostics };
  }
  const files: string[] = [];
  const loaded: RegistriesDFile[] = [];
  let failed = false;
  for (const name of names) {
    const full = join(dir, name);
    if (!name.endsWith(".yaml")) {
      diagnostics.push(ignoredEntry(full, name));
      continue;
    }
    let text: string;
    try {
      text = decode(host.files.readFile(full), full);
    } catch (e) {
      if (errorCode(e) === "ENOENT" && hasFeature(options.target, "registriesDVanishedFiles")) continue;
      diagnostics.push({ code: REGISTRIES_D_CODES.unreadable, severity: "error", message: `Cannot read ${full}: ${(e as Error).message}`, file: full });
      failed = true;
      continue;
    }
    files.push(full);
    const r = loadRegistriesDFile(new SourceFile(full, text), { target: options.target });
    diagnostics.push(...r.diagnostics);
    if (r.value) loaded.push(r.value);
    else failed = true;
  }
  const merged = mergeRegistriesDFiles(loaded, options);
  diagnostics.push(...merged.diagnostics);
  if (failed || !merged.value) return { files, diagnostics };
  return { value: merged.value, files, diagnostics };
}

/** The warning for an entry the runtime skips (its name does not end in `.yaml`). */
function ignoredEntry(full: string, name: string): Diagnostic {
  const looksYaml = /\.ya?ml$/i.test(name);
  return {
    code: REGISTRIES_D_CODES.ignoredFile,
    severity: "warning",
    message: `${full} is ignored: containers/image reads only entries whose names end in '.yaml'.${looksYaml ? ` Rename it to ${name.replace(/\.ya?ml$/i, ".yaml")}.` : ""}`,
    file: full,
  };
}
