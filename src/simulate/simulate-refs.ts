/**
 * `imagetrust simulate`: would these pulls be allowed, and why. Library side (no printing, no exit): `simulate`
 * decides without signatures; simulate-evidence.ts `simulateAllWithEvidence` with the signatures the runtime
 * would see. The CLI renders with `renderSimulationText` (and render-evidence.ts) or JSON.stringify.
 */
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import type { RegistriesConf } from "./registries-conf.js";
import type { SignatureEvidence } from "./evaluate.js";
import { createSimulator, type SimulationEnv, type SimulationOptions, type SimulationResult } from "./simulate.js";

export type { Decision, SimulationEnv, SimulationResult, Simulator } from "./simulate.js";
export { createSimulator } from "./simulate.js";
export type { RequirementReport, SignatureLookup } from "./requirement-report.js";
export type { PullSourceReport, ResolutionReport } from "./registries-conf.js";
export type { SignatureEvidence, SignatureVerdict, SignatureCheck, EvaluatedImage } from "./evaluate.js";
export { renderSimulationExplanation, renderSimulationTable, renderSimulationText } from "./render-text.js";

/** Inputs of a simulation run. */
export interface SimulateOptions {
  policy: Policy;
  registriesD?: RegistriesDConfig;
  registriesConf?: RegistriesConf;
  /** The manifest bytes (`--manifest FILE`): its sha256 digest names lookaside signatures and attachment tags. */
  manifest?: Uint8Array;
  /** The references: `transport:ref` as skopeo takes them, or bare names as podman takes them. */
  refs: string[];
  env?: SimulationEnv;
  /** Where `env`'s euid and home come from when it does not give them (without a host: root). */
  host?: SimulationOptions["host"];
  /** Signature evidence (a verification module); default: no signatures at hand. */
  evidence?: SignatureEvidence;
  /** Reference parsing options (path resolution, default containers-storage store, target). */
  parse?: SimulationOptions["parse"];
}

/** Simulate every reference; one result per reference, in order. */
export function simulate(options: SimulateOptions): SimulationResult[] {
  const sim = createSimulator(options);
  return options.refs.map((r) => sim.simulate(r));
}

/** The references of a `--refs FILE`: one per line; blank lines and `#` comments ignored. */
export function parseRefsFile(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    out.push(t);
  }
  return out;
}
