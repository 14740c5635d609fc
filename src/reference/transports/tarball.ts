/** The `tarball:` transport, following containers/image tarball/tarball_transport.go. */
import * as fs from "node:fs";
import type { ImageReferenceResult, ParseImageReferenceOptions } from "../image-reference-types.js";
import { errnoText } from "../resolve-path.js";
import { goQuote } from "../../util/go-quote.js";

/** The default tarball file check: Go's `os.Open` error text, or undefined. */
export function openFileCheck(p: string): string | undefined {
  try {
    fs.closeSync(fs.openSync(p === "" ? "\0" : p, "r"));
    return undefined;
  } catch (e) {
    return `open ${p}: ${p === "" ? "no such file or directory" : errnoText(e)}`;
  }
}

/** `tarball` ParseReference: `:`-separated files (each must open; `-` is stdin); identity `""`, no namespaces. */
export function parseTarballTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const open = options.openFile ?? openFileCheck;
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
