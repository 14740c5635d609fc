/**
 * Expectations decided on signature evidence (issue 16): `expect … with signatures "DIR" [manifest "FILE"]` and YAML
 * `signatures:` / `manifest:`. The pull is decided in one pass as `imagetrust simulate --signatures DIR --manifest
 * FILE` decides it (src/simulate/simulate-evidence.ts over src/verify/evidence.ts): the signatures are the
 * directory's `signature-1`, `signature-2`, … as if the registry served them, the manifest is FILE (default: the
 * directory's own `manifest.json`, so a `skopeo copy … dir:DIR` copy of an image is its evidence), and the key files
 * are read as for every other command (`--keys DIR`). Verifying needs src/verify/ (Node crypto), which the core does
 * not import: the caller passes the {@link ExpectationEvidenceSource} (the CLI: src/verify/evidence.ts
 * `expectationEvidence`).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { join } from "../host/path.js";
import { readBounded } from "../host/read-limits.js";
import { statKind } from "../input/files.js";
import { formatVersion } from "../ir/versions.js";
import { simulateWithEvidence } from "../simulate/simulate-evidence.js";
import { knownTransportPrefix } from "../simulate/simulate.js";
import type { EvidenceSource, SimulationWithEvidence } from "../simulate/evidence-source.js";
import type { RegistriesDConfig } from "../ir/types.js";
import type { Simulator } from "../simulate/types.js";
import { MODULE_CODES } from "../check/module-codes.js";
import type { ExpectationCase } from "./yaml-cases.js";

/** What one expectation's evidence source is made of. */
export interface ExpectationEvidence {
  /** The directory of `signature-1`, `signature-2`, … */
  signaturesDir: string;
  /** The manifest's bytes, when there is one. */
  manifest?: Uint8Array;
  registriesD?: RegistriesDConfig;
  /** The containers/image version whose behaviour and messages to reproduce ("5.23", …). */
  target?: string;
}

/** Makes the evidence source of one expectation (src/verify/evidence.ts `expectationEvidence`). */
export type ExpectationEvidenceSource = (evidence: ExpectationEvidence) => EvidenceSource;

/** How evidence is read and verified. */
export interface EvidenceRunOptions {
  /** Where the signatures directory and the manifest are read (paths relative to its working directory). */
  host: Host;
  /** Verifies signatures; without it an expectation with evidence fails saying so. */
  evidenceSource?: ExpectationEvidenceSource;
}

/** The decision on the expectation's evidence, or the diagnostic saying why the evidence cannot be read (IT2264). */
export async function decideOnEvidence(
  sim: Simulator,
  e: ExpectationCase & { evidence: NonNullable<ExpectationCase["evidence"]> },
  o: EvidenceRunOptions,
  file: string,
): Promise<{ actual: SimulationWithEvidence } | { unreadable: Diagnostic }> {
  const { signatures, manifest } = e.evidence;
  const unreadable = (message: string): { unreadable: Diagnostic } => ({
    unreadable: { code: MODULE_CODES.evidenceUnreadable, severity: "error", message, ...(e.origin ? { span: e.origin } : { file }) },
  });
  // As simulate: a bare name (podman's short-name path) is decided without evidence, so evidence given for one is unused.
  if (knownTransportPrefix(e.reference) === undefined)
    return unreadable(`Signature evidence is read for transport:reference inputs only: write ${JSON.stringify(e.reference)} with its transport (e.g. docker://${e.reference}).`);
  const dirKind = statKind(o.host, signatures);
  if (dirKind !== "directory")
    return unreadable(`The signatures directory ${signatures} ${dirKind === undefined ? "does not exist" : "is not a directory"}: the expectation cannot be decided.`);
  let manifestPath = manifest;
  if (manifestPath === undefined && statKind(o.host, join(signatures, "manifest.json")) === "file") manifestPath = join(signatures, "manifest.json");
  let manifestBytes: Uint8Array | undefined;
  if (manifestPath !== undefined) {
    const kind = statKind(o.host, manifestPath);
    if (kind !== "file") return unreadable(`The manifest ${manifestPath} ${kind === undefined ? "does not exist" : "is not a file"}: the expectation cannot be decided.`);
    try {
      manifestBytes = readBounded(o.host, manifestPath, "manifest");
    } catch (err) {
      return unreadable(`The manifest ${manifestPath} cannot be read: ${(err as Error).message}`);
    }
  }
  if (!o.evidenceSource) return unreadable("No signature verifier was given to the expectations runner, so signature evidence cannot be judged.");
  const target = sim.options.parse?.target;
  const source = o.evidenceSource({
    signaturesDir: signatures,
    ...(manifestBytes ? { manifest: manifestBytes } : {}),
    ...(sim.options.registriesD ? { registriesD: sim.options.registriesD } : {}),
    ...(target ? { target: formatVersion(target) } : {}),
  });
  return { actual: await simulateWithEvidence(sim, e.reference, source) };
}
