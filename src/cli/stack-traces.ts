/**
 * Source-mapped stack traces for the bundled executable, paid for only when a stack is printed.
 *
 * `node --enable-source-maps` reads and parses the source map of every module as it loads (and loads Node's
 * source-map machinery at start-up): ~10 % of a whole `imagetrust validate` of a large policy, for a stack trace that
 * is almost never printed. Instead the executable runs without the flag and installs `Error.prepareStackTrace`
 * (the hook Node itself uses for the flag, and source-map-support before it): when a stack is formatted — an
 * uncaught error, a logged `err.stack` — each frame in a file with a `.map` beside it (dist/cli/*.js, the executable
 * dist/cli/imagetrust.cjs, the module packs dist/cli/<command>/pack.cjs, whose maps have a section per module) is mapped to
 * its `src/…ts` line, the map read on first use. With `--enable-source-maps` given anyway (NODE_OPTIONS), Node's own
 * mapping is left alone.
 */
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Install the lazy mapping (once; a no-op when Node already maps stacks). */
export function mapStackTracesLazily(): void {
  const proc = process as { sourceMapsEnabled?: boolean };
  if (proc.sourceMapsEnabled === true) return;
  const maps = new Map<string, { map: SourceMap; url: string } | null>();
  const mapFor = (file: string): { map: SourceMap; url: string } | null => {
    let m = maps.get(file);
    if (m === undefined) {
      m = null;
      try {
        const path = file.startsWith("file:") ? fileURLToPath(file) : file;
        if (path.endsWith(".js") || path.endsWith(".cjs")) {
          const url = pathToFileURL(path + ".map").href;
          m = { map: new SourceMap(JSON.parse(readFileSync(path + ".map", "utf8")) as ConstructorParameters<typeof SourceMap>[0]), url };
        }
      } catch {
        m = null; // no map (Node's own files, a deleted map): the frame stays as it is
      }
      maps.set(file, m);
    }
    return m;
  };
  const frameText = (frame: NodeJS.CallSite): string => {
    const text = String(frame);
    const file = frame.getFileName();
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (!file || line === null || column === null) return text;
    const m = mapFor(file);
    if (!m) return text;
    const entry = m.map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return text;
    let source = entry.originalSource;
    try {
      source = fileURLToPath(new URL(source, m.url));
    } catch {
      // keep the map's own name
    }
    const where = `${file}:${line}:${column}`;
    const mapped = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    return text.includes(where) ? text.replace(where, mapped) : `${text} (${mapped})`;
  };
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    let header: string;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = "Error";
    }
    let out = header;
    for (const frame of frames) {
      let text: string;
      try {
        text = frameText(frame);
      } catch {
        text = String(frame);
      }
      out += `\n    at ${text}`;
    }
    return out;
  };
}
