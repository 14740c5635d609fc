/** The `tarball:` transport, following containers/image tarball/tarball_transport.go. */
import * as fs from "node:fs";
import type { ImageReferenceResult, ParseImageReferenceOptions } from "../image-reference-types.js";
import { errnoText } from "../resolve-path.js";
import { goQuote } from "../../util/go-quote.js";

/** The default tarball file check: Go's `os.Open` error text, or undefined. */
export function openFileCheck(p: string, shown: string = p): string | undefined {
  if (p === "") return `open : no such file or directory`;
  try {
    fs.closeSync(fs.openSync(p, "r"));
    return undefined;
  } catch (e) {
    return `open ${shown}: ${errnoText(e)}`;
  }
}

/** `tarball` ParseReference: `:`-separated files (each must open; `-` is stdin); identity `""`, no namespaces. */
export function parseTarballTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const cwd = options.cwd;
  const open = options.openFile ?? ((p: string) => openFileCheck(cwd === undefined || p.startsWith("/") || p === "" ? p : cwd + "/" + p, p));
  for (const filename of s.split(":")) {
    if (filename === "-") continue;
    const err = open(filename);
    if (err !== undefined) return { ok: false, error: `error opening ${goQuote(filename)}: ${err}` };
  }
  return {
    ok: true,
    ref: { transport: "tarball", identity: "", namespaces: [], imageName: "tarball:" + s, withinTransport: s },
  };
}
