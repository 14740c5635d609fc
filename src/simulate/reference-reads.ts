/**
 * The file reads of one reference's evidence, with missing files remembered until {@link ReferenceReads.clear}: a
 * `dir:` image's manifest.json is read once to tell a manifest list (src/verify/evidence.ts `offlineList`) and once
 * as the image's manifest (`readManifestFile`), where upstream reads it once (`dirImageSource.GetManifest`). When the
 * first read finds no file (ENOENT, ENOTDIR), the second is given the same error instead of asking the file system
 * again, as if read once. Cleared before each reference: nothing is remembered across references (files may change).
 * Only failures are remembered, whatever the read's size cap (a missing file is missing under any cap).
 */
import type { HostFiles } from "../host/host.js";

/** Files whose missing files are remembered per reference. */
export interface ReferenceReads {
  files: HostFiles;
  /** Forget what was remembered (before the next reference). */
  clear(): void;
}

const MISSING = new Set(["ENOENT", "ENOTDIR"]);

/** Wrap `files` (see the module comment). */
export function referenceReads(files: HostFiles): ReferenceReads {
  const missing = new Map<string, unknown>();
  const wrapped = Object.create(files) as HostFiles;
  wrapped.readFile = (path, options) => {
    const known = missing.get(path);
    if (known !== undefined) throw known;
    try {
      return files.readFile(path, options);
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === "string" && MISSING.has(code)) missing.set(path, e);
      throw e;
    }
  };
  return {
    files: wrapped,
    clear() {
      if (missing.size > 0) missing.clear();
    },
  };
}
