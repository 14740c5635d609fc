/**
 * The page's state in the URL: JSON, deflate-raw (CompressionStream, in every current browser and Node 20), base64url,
 * after `#s=`. The fragment never reaches a server, so sharing a link sends nothing anywhere either.
 */
import type { PlaygroundState } from "./core.js";

const PREFIX = "#s=";

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The URL fragment (`#s=…`) that holds `state`. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const json = JSON.stringify({ v: 1, p: state.policy, r: state.registriesD, q: state.refs, t: state.target });
  return PREFIX + toBase64Url(await pipe(new TextEncoder().encode(json), new CompressionStream("deflate-raw")));
}

/** The state in a URL fragment, or undefined when there is none or it cannot be read. */
export async function decodeState(hash: string): Promise<PlaygroundState | undefined> {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
    const o = JSON.parse(new TextDecoder().decode(bytes)) as { v?: number; p?: unknown; r?: unknown; q?: unknown; t?: unknown };
    if (o.v !== 1) return undefined;
    const str = (x: unknown) => (typeof x === "string" ? x : "");
    return { policy: str(o.p), registriesD: str(o.r), refs: str(o.q), target: str(o.t) };
  } catch {
    return undefined;
  }
}
