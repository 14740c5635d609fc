/**
 * registries.conf in a simulation: short-name resolution (podman's `pkg/shortnames.Resolve`) and pull
 * sources (`sysregistriesv2.FindRegistry` + `PullSourcesFromReference`), through src/registries/resolve.ts,
 * with the signature lookup of each pull source (lookaside and attachments follow the pull source).
 */
import type { DockerReference } from "../reference/docker-reference.js";
import type { SignatureLookup } from "./requirement-report.js";
import type { Simulator } from "./simulate.js";

/** registries.conf as the registries module models it. */
export type RegistriesConf = unknown;

/** How a short name resolved (`resolution` in the JSON output). */
export interface ResolutionReport {
  mode: string;
  aliasUsed: string | null;
  /** Fully qualified references, in the order the runtime tries them. */
  candidates: string[];
  error: string | null;
}

/** One place the runtime pulls from (`pullSources[]` in the JSON output). */
export interface PullSourceReport {
  location: string;
  reference: string;
  mirror: boolean;
  insecure: boolean;
  blocked: boolean;
  signatureLookup: SignatureLookup;
}

/** Short-name resolution of a bare name, or undefined when the name is fully qualified or no registries.conf is given. */
export function resolveName(sim: Simulator, input: string): ResolutionReport | undefined {
  void sim;
  void input;
  return undefined;
}

/** The pull sources of a docker reference under registries.conf, in order. */
export function pullSourcesFor(sim: Simulator, ref: DockerReference): PullSourceReport[] {
  void sim;
  void ref;
  return [];
}
