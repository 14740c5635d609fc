/**
 * A simulation run over a stream of references (`imagetrust simulate --refs FILE|-`): one prepared simulator, each
 * reference simulated with the evidence the runtime would see (simulate-evidence.ts) and checked against this
 * machine's paths (paths-on-this-machine.ts), one at a time, so that a caller can write each result and forget it.
 *
 * Fleet inputs repeat themselves (every pod of a deployment names the same image). Where the result is a function
 * of the reference text alone it is computed once: no evidence is gathered for it (containers/image reads no
 * signatures for a `docker://` or `docker-daemon:` image without a lookaside, `--signatures` or `--online`: it is
 * decided as an unsigned image, `IsRunningImageAllowed` on an image with no signatures), and no path is resolved
 * against the file system (`dir:`, `oci:`, … resolve paths, and `dir:` images carry their own signatures). Then
 * parse (alltransports.ParseImageName), scope lookup (requirementsForImageRef), evaluation and explanation all
 * depend on the text and the run's fixed inputs only, so equal texts give equal results. The cache is bounded.
 */
import type { EvidenceSource, SimulationWithEvidence } from "./evidence-source.js";
import { checkPathOnThisMachine, type PathCheckOptions } from "./paths-on-this-machine.js";
import { createSimulator, knownTransportPrefix } from "./simulate.js";
import type { SimulationResult } from "./types.js";
import { simulateWithEvidence } from "./simulate-evidence.js";
import type { SimulationOptions, Simulator } from "./types.js";
import type { HostFiles } from "../host/host.js";

/** Inputs of {@link createRunSimulator}. */
export interface RunSimulatorOptions extends SimulationOptions {
  /** Where the signature evidence comes from (src/verify/evidence.ts `signatureEvidence`). */
  evidenceSource: EvidenceSource;
  /** When given, path references are judged as this machine resolves them (`checkPathOnThisMachine`). */
  pathCheck?: PathCheckOptions;
  /** At most this many distinct references are remembered (default 1024; 0: no cache). */
  cacheSize?: number;
}

/** A prepared run: simulate one reference after another. */
export interface RunSimulator {
  readonly simulator: Simulator;
  /**
   * The result for one reference. Results of equal cacheable references are the same object: treat them as
   * read-only.
   */
  simulate(input: string): Promise<SimulationWithEvidence>;
  /**
   * The decision fields of the record {@link simulate} would give (`ref`, `error`, `scope`, `verdict`,
   * `upstreamError`), from the bare decision (`decide`: no explanation built), or undefined where that is not
   * the same answer: bare names (short-name resolution), registries.conf (pull sources can fail a pull), evidence
   * asked for, path transports (resolved on this machine).
   */
  decision(input: string): DecisionRecord | undefined;
  /** Forget the path lookups remembered for the previous reference (before resolving another through `simulator`). */
  newReference(): void;
}

/** The decision fields of a record, in record order. */
export type DecisionRecord = Pick<SimulationResult, "ref" | "error" | "scope" | "verdict" | "upstreamError">;

/** The record fields {@link RunSimulator.decision} gives. */
export const DECISION_FIELDS: ReadonlySet<string> = new Set(["ref", "error", "scope", "verdict", "upstreamError"]);

/** Transports whose result depends on the reference text alone when no evidence was asked for (see above). */
const TEXT_ONLY_TRANSPORTS = new Set(["docker", "docker-daemon"]);

/**
 * Whether the result for `input` depends on its text alone in a run whose evidence source is `source`: nothing is
 * read for it (no evidence requested) and no path of it is resolved. Bare names (podman's short-name path) are
 * decided without evidence in any case.
 */
export function resultDependsOnTextAlone(input: string, source: Pick<EvidenceSource, "requested">): boolean {
  const transport = knownTransportPrefix(input);
  if (transport === undefined) return true;
  return !source.requested && TEXT_ONLY_TRANSPORTS.has(transport);
}

/**
 * The path lookups (`realpath`, `lstat`, `stat`) of one reference, remembered until {@link PathMemo.clear}: the
 * simulation resolves a `dir:` / `oci:` path more than once (parsing, the path check, its strict form), where
 * upstream resolves it once (`explicitfilepath.ResolvePathToFullyExplicit` in ParseImageName); one memo per
 * reference gives every resolution the answer of the first, as upstream has one. Cleared before each reference,
 * so nothing is remembered across references (files may change between them).
 */
interface PathMemo {
  wrap<F extends Pick<HostFiles, "realpath" | "lstat" | "stat"> & Partial<Pick<HostFiles, "lstatIfExists">>>(files: F): F;
  clear(): void;
}

function pathMemo(): PathMemo {
  const memos: Map<string, { ok: boolean; value: unknown }>[] = [];
  const remember = <T>(memo: Map<string, { ok: boolean; value: unknown }>, key: string, f: () => T): T => {
    let r = memo.get(key);
    if (r === undefined) {
      try {
        r = { ok: true, value: f() };
      } catch (e) {
        r = { ok: false, value: e };
      }
      memo.set(key, r);
    }
    if (!r.ok) throw r.value;
    return r.value as T;
  };
  // One memo per files object: parsing and the path check resolve through the same files and share the answers.
  const wrappers = new Map<object, object>();
  return {
    wrap(files) {
      const known = wrappers.get(files);
      if (known !== undefined) return known as typeof files;
      const memo = new Map<string, { ok: boolean; value: unknown }>();
      memos.push(memo);
      const wrapped = Object.create(files) as typeof files;
      wrapped.realpath = (p: string) => remember(memo, "r" + p, () => files.realpath(p));
      wrapped.lstat = (p: string) => remember(memo, "l" + p, () => files.lstat(p));
      wrapped.stat = (p: string) => remember(memo, "s" + p, () => files.stat(p));
      const lstatIfExists = files.lstatIfExists;
      if (lstatIfExists !== undefined) wrapped.lstatIfExists = (p: string) => remember(memo, "e" + p, () => lstatIfExists.call(files, p));
      wrappers.set(files, wrapped);
      return wrapped;
    },
    clear() {
      for (const m of memos) if (m.size > 0) m.clear();
    },
  };
}

/** Prepare a run: the policy is indexed once; equal cacheable references are simulated once. */
export function createRunSimulator(options: RunSimulatorOptions): RunSimulator {
  // Path transports resolve their path several times per reference: once per reference against the machine.
  const paths = pathMemo();
  const filesHost = <H extends { files?: HostFiles }>(h: H | undefined): H | undefined => (h?.files ? { ...h, files: paths.wrap(h.files) } : h);
  const parseHost = options.parse?.host ?? (options.host?.files && options.host.cwd ? { files: options.host.files, cwd: options.host.cwd } : undefined);
  options = {
    ...options,
    parse: parseHost ? { ...options.parse, host: filesHost(parseHost as { files: HostFiles; cwd: () => string }) } : options.parse,
    pathCheck: options.pathCheck && { ...options.pathCheck, host: filesHost(options.pathCheck.host)! },
  };
  const simulator = createSimulator(options);
  const source = options.evidenceSource;
  const pathCheck = options.pathCheck;
  const limit = options.cacheSize ?? 1024;
  // Bounded: when full it starts over (a fleet's repeats are close together: a cluster's pods are listed together).
  const cache = new Map<string, SimulationWithEvidence>();
  const uncached = async (input: string): Promise<SimulationWithEvidence> => {
    paths.clear();
    const r = await simulateWithEvidence(simulator, input, source);
    return pathCheck ? checkPathOnThisMachine(r, pathCheck) : r;
  };
  const decisionApplies = options.registriesConf === undefined && options.evidence === undefined;
  return {
    simulator,
    newReference: () => paths.clear(),
    decision(input) {
      if (!decisionApplies || !resultDependsOnTextAlone(input, source) || knownTransportPrefix(input) === undefined) return undefined;
      paths.clear();
      const d = simulator.decide(input);
      // As `failed` (a parse error: nothing evaluated) and `report` (the evaluation's error) spell them.
      return {
        ref: input,
        error: d.parseError ? d.error : null,
        scope: d.scope,
        verdict: d.allowed ? "allow" : "deny",
        upstreamError: d.parseError ? null : d.error,
      };
    },
    async simulate(input) {
      if (limit <= 0 || !resultDependsOnTextAlone(input, source)) return uncached(input);
      const hit = cache.get(input);
      if (hit !== undefined) return hit;
      const r = await uncached(input);
      if (cache.size >= limit) cache.clear();
      cache.set(input, r);
      return r;
    },
  };
}
