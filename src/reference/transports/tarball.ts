/** The `tarball:` transport, following containers/image tarball/tarball_transport.go. */
import type { HostFiles } from "../../host/host.js";
import type { ImageReferenceResult, ParseImageReferenceOptions } from "../image-reference-types.js";
import { errnoText } from "../resolve-path.js";
import { goQuote } from "../../util/go-quote.js";

/** The default tarball file check through the host: Go's `os.Open` error text, or undefined. */
export function openFileCheck(files: Pick<HostFiles, "stat" | "readFilePrefix">, p: string, shown: string = p): string | undefined {
  if (p === "") return `open : no such file or directory`;
  try {
    // os.Open succeeds on any existing, readable path (a directory too); a zero-byte read opens the file.
    if (files.readFilePrefix && files.stat(p).kind !== "directory") files.readFilePrefix(p, 0);
    else files.stat(p);
    return undefined;
  } catch (e) {
    return `open ${shown}: ${errnoText(e)}`;
  }
}

/** `tarball` ParseReference: `:`-separated files (each must open; `-` is stdin); identity `""`, no namespaces. */
export function parseTarballTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const cwd = options.cwd ?? options.host?.cwd();
  const files = options.host?.files;
  // Without a host there is no file system to open: the check is skipped (a browser decides as if the files open).
  const open =
    options.openFile ?? (files ? (p: string) => openFileCheck(files, cwd === undefined || p.startsWith("/") || p === "" ? p : cwd + "/" + p, p) : () => undefined);
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
