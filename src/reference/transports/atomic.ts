/** The `atomic:` (OpenShift) transport, following containers/image openshift/openshift_transport.go. */
import { familiarString, parseNormalizedNamed } from "../docker-reference.js";
import type { ImageReferenceResult } from "../image-reference-types.js";
import { dockerIdentity, dockerNamespaces } from "../policy-configuration.js";
import { goQuote } from "../../util/go-quote.js";

/** `openshift.ParseReference`: `host/namespace/stream:tag` (a tag is required). */
export function parseAtomicTransport(s: string): ImageReferenceResult {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) return { ok: false, error: `failed to parse image reference ${goQuote(s)}: ${parsed.error}` };
  const ref = parsed.ref;
  if (ref.tag === undefined) {
    return { ok: false, error: `invalid image reference ${s}, expected format: 'hostname/namespace/stream:tag'` };
  }
  const parts = ref.path.split("/");
  if (parts.length !== 2) {
    return {
      ok: false,
      error: `invalid image reference: ${familiarString(ref)}, expected format: 'hostname/namespace/stream:tag'`,
    };
  }
  if (ref.digest !== undefined) {
    // Upstream accepts this and then panics computing the policy identity (tag and digest together).
    return {
      ok: false,
      error: `Unexpected Docker reference ${familiarString(ref)} with both a name and a digest (containers/image panics on this atomic: reference)`,
    };
  }
  const withinTransport = familiarString(ref);
  return {
    ok: true,
    ref: {
      transport: "atomic",
      identity: dockerIdentity(ref),
      namespaces: dockerNamespaces(ref),
      dockerReference: ref,
      imageName: "atomic:" + withinTransport,
      withinTransport,
    },
  };
}
