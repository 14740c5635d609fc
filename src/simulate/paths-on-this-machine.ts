/**
 * Path transports on this machine. The simulator resolves `dir:`, `oci:`, `oci-archive:` and `sif:` paths leniently
 * (src/reference/resolve-path.ts), so a policy can be tried for images that live elsewhere. containers/image
 * resolves them with `explicitfilepath.ResolvePathToFullyExplicit` while parsing the reference, and fails when a
 * component other than the last is missing (a missing parent directory, or a trailing slash on a missing
 * directory): `skopeo copy` then says "Invalid source name dir:…: lstat …: no such file or directory". This module
 * turns such a result into that error, keeping what the policy would decide where the path resolves, and says the
 * answer depends on this machine. `docker-archive:` is not resolved when parsing (the file is opened at pull time),
 * so it is not checked here.
 */
import type { Host } from "../host/host.js";
import { parseImageReference } from "../reference/image-reference.js";
import type { ParseImageReferenceOptions } from "../reference/image-reference-types.js";
import { resolvePathLeniently, resolvePathToFullyExplicit } from "../reference/resolve-path.js";
import type { SimulationResult } from "./types.js";

/** The transports whose reference parser resolves a path (`ResolvePathToFullyExplicit` in their ParseReference). */
const RESOLVING_TRANSPORTS = new Set(["dir", "oci", "oci-archive", "sif"]);

/** What {@link checkPathOnThisMachine} needs: the machine and how references are parsed. */
export interface PathCheckOptions {
  host: Pick<Host, "files" | "cwd">;
  parse?: ParseImageReferenceOptions;
}

/**
 * `result` as the runtime on this machine would have it: unchanged when its path resolves (or it is no path
 * reference), else denied with containers/image's resolution error, the policy's decision kept as a warning.
 */
export function checkPathOnThisMachine<R extends SimulationResult>(result: R, options: PathCheckOptions): R {
  if (result.error !== null || result.transport === null || !RESOLVING_TRANSPORTS.has(result.transport)) return result;
  const cwd = options.parse?.cwd ?? options.host.cwd();
  // The path part exactly as the transport's parser splits it (oci:PATH:REF), captured through `resolvePath`; dir: and
  // sif: take the whole text after the transport (directory.NewReference, sif.NewReference), which parsed already.
  let path: string | undefined;
  if (result.transport === "dir" || result.transport === "sif") path = result.ref.slice(result.ref.indexOf(":") + 1);
  else {
    const parsed = parseImageReference(result.ref, {
      ...options.parse,
      host: options.host,
      resolvePath: (p) => {
        path = p;
        return resolvePathLeniently(p, cwd, options.host.files);
      },
    });
    if (!parsed.ok || path === undefined) return result;
  }
  const strict = resolvePathToFullyExplicit(path, cwd, options.host.files);
  if (strict.ok) return result;
  const elsewhere = `where the path resolves, the policy would ${result.verdict} it (${result.scope === null ? "global default" : `scope ${JSON.stringify(result.scope.scope)}`})`;
  return {
    ...result,
    error: strict.error,
    verdict: "deny",
    // A parse failure, as every other reference that does not parse: no policy was consulted.
    upstreamError: null,
    reasons: [
      `containers/image cannot resolve the path on this machine (explicitfilepath.ResolvePathToFullyExplicit), so the reference does not parse: skopeo says "Invalid source name ${result.ref}: ${strict.error}"`,
      ...result.reasons,
    ],
    warnings: [...result.warnings, `the answer depends on this machine: ${strict.error}; ${elsewhere}`],
  };
}
