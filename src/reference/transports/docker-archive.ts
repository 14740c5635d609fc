/** The `docker-archive:` transport, following containers/image docker/archive/transport.go. */
import { parseNormalizedNamed, referenceString, tagNameOnly, type DockerReference } from "../docker-reference.js";
import type { ImageReferenceResult } from "../image-reference-types.js";
import { goAtoi, goIntText } from "./go-atoi.js";

/** `archive.ParseReference`: `path[:reference|:@index]`; identity `""`, no namespaces. */
export function parseDockerArchiveTransport(s: string): ImageReferenceResult {
  if (s === "") return { ok: false, error: `docker-archive reference ${s} isn't of the form <path>[:<reference>]` };
  const colon = s.indexOf(":");
  const path = colon === -1 ? s : s.slice(0, colon);
  let dockerRef: DockerReference | undefined;
  let sourceIndex: string | undefined;
  if (colon !== -1) {
    const rest = s.slice(colon + 1);
    if (rest.startsWith("@")) {
      const n = goAtoi(rest.slice(1));
      if (!n.ok) return { ok: false, error: `Invalid source index ${rest}: ${n.error}` };
      const text = goIntText(rest.slice(1));
      if (n.value < 0) return { ok: false, error: `Invalid source index @${text}: must not be negative` };
      sourceIndex = text;
    } else {
      const parsed = parseNormalizedNamed(rest);
      if (!parsed.ok) return { ok: false, error: `docker-archive parsing reference: ${parsed.error}` };
      const ref = tagNameOnly(parsed.ref);
      if (ref.tag === undefined) return { ok: false, error: `reference does not include a tag: ${referenceString(ref)}` };
      if (ref.digest !== undefined) {
        return { ok: false, error: `docker-archive doesn't support digest references: ${referenceString(ref)}` };
      }
      dockerRef = ref;
    }
  }
  const withinTransport =
    dockerRef !== undefined
      ? `${path}:${referenceString(dockerRef)}`
      : sourceIndex !== undefined
        ? `${path}:@${sourceIndex}`
        : path;
  const out = {
    transport: "docker-archive",
    identity: "",
    namespaces: [] as string[],
    imageName: "docker-archive:" + withinTransport,
    withinTransport,
  };
  return { ok: true, ref: dockerRef !== undefined ? { ...out, dockerReference: dockerRef } : out };
}
