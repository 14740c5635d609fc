/**
 * Records of `imagetrust simulate --format jsonl|json` for `docker:` and `docker-daemon:` references without signature
 * evidence, written as JSON text directly: byte for byte the text `JSON.stringify` gives for the record the exact
 * path builds (simulate.ts `report`, through simulate-evidence.ts `withoutEvidence`; test/simulate/fast-record.test.ts
 * compares the two over generated policies and references).
 *
 * What is computed once and reused (fast-path.ts has the parse, lookup and decision side):
 * - per repository: the namespaces tried (JSON), the signature lookup (registries.d `SignatureStorageBaseURL`
 *   depends on the repository and, only where registries.d names it, the identity; and on the digest);
 * - per deciding list of `insecureAcceptAnything` / `reject` requirements: verdict, upstream error, requirement
 *   reports, reasons and warnings as JSON split around the image name (`prReject` names it, nothing else does).
 *   Lists with signature requirements (whose reports name the reference: the expected identity, where signatures
 *   are read) are explained per reference with the exact explanation (`explainEvaluation`) and serialized.
 *
 * Anything else (other transports, parse errors, evidence, registries.conf, a manifest, `--explain`) returns
 * undefined: the caller takes the exact path.
 */
import { referenceName } from "../reference/docker-reference.js";
import { evaluateRequirements } from "./evaluate.js";
import {
  type DecidingPlan,
  decidingEntry,
  decidingPlan,
  type FastPath,
  fastPathOf,
  IMAGE_NAME_PLACEHOLDER,
  type LeanReference,
  leanDockerReference,
  leanImageName,
  leanReference,
  type RepositoryPlan,
  splitAround,
} from "./fast-path.js";
import type { SignatureLookupDetails } from "./requirement-report.js";
import { explainEvaluation } from "./simulate.js";
import { NO_LOOKUP, signatureLookupFor } from "./signature-lookup.js";
import type { Simulator } from "./types.js";

/** The record fields the fast path writes, in record order (the lean default set). */
const FAST_FIELDS = [
  "ref",
  "error",
  "transport",
  "identity",
  "namespacesTried",
  "scope",
  "verdict",
  "upstreamError",
  "requirements",
  "reasons",
  "signatureLookup",
  "warnings",
  "signatures",
] as const;

/** Fields of a record the fast path cannot write (the exact path has them: `--explain`). */
const EXACT_ONLY_FIELDS = new Set(["trail", "imageName", "dockerReference"]);

/** One record as JSON text, with its verdict (for the exit status). */
export interface FastRecord {
  verdict: "allow" | "deny";
  json: string;
}

/** Writes records of docker / docker-daemon references (see the module comment). */
export interface FastRecords {
  /** The record of `input` as `JSON.stringify` of the selected fields gives it, or undefined: take the exact path. */
  record(input: string): FastRecord | undefined;
}

/** The JSON of a deciding list's explanation, split around the image name (`insecureAcceptAnything` / `reject` lists). */
interface ListTemplate {
  scope: string;
  verdict: string;
  upstreamError: string[];
  requirements: string[];
  reasons: string[];
  warnings: string[];
}

/** Per repository: what every reference of it shares in its record. */
interface RepositoryRecord {
  namespacesTried: string;
  /** The signature lookup of references without a lookup digest (undefined until asked). */
  lookup?: { details: SignatureLookupDetails; json: string };
}

const PLACEHOLDER_JSON = JSON.stringify(IMAGE_NAME_PLACEHOLDER).slice(1, -1);
const TEMPLATE_TYPES = new Set(["insecureAcceptAnything", "reject"]);
const NO_LOOKUP_JSON = JSON.stringify(NO_LOOKUP);

/**
 * The fast record writer of a simulator, for the lean record (`fields` undefined) or a `--fields` selection; undefined
 * when the simulator has inputs the fast path does not take into account (evidence, registries.conf, a manifest) or
 * the selection names a field only the exact path writes.
 */
export function createFastRecords(sim: Simulator, fields?: ReadonlySet<string>): FastRecords | undefined {
  const o = sim.options;
  if (o.evidence !== undefined || o.registriesConf !== undefined || o.manifest !== undefined) return undefined;
  if (fields !== undefined) for (const f of fields) if (EXACT_ONLY_FIELDS.has(f)) return undefined;
  const selected = fields === undefined ? undefined : FAST_FIELDS.filter((f) => fields.has(f));
  const fast = fastPathOf(sim);
  // registries.d sections named by an identity (`name:tag`) make the lookaside depend on more than the repository.
  const registriesDScopes = new Set((o.registriesD?.docker ?? []).map((e) => e.scope));
  return {
    record(input) {
      const lean = leanReference(fast, input);
      if (lean === undefined) return undefined;
      const { entry, identityMatched } = decidingEntry(lean);
      const plan = decidingPlan(fast, lean.repo.transport, entry);
      const repo = repositoryRecord(lean.repo);
      const namespacesTried = identityMatched ? "[]" : repo.namespacesTried;
      const imageName = leanImageName(lean);
      const lookup = signatureLookup(fast, lean, repo, registriesDScopes);
      const t = listTemplate(fast, plan);
      let verdict: string, upstreamError: string, requirements: string, reasons: string, warnings: string, scope: string;
      let allowed: boolean;
      if (t !== undefined) {
        allowed = plan.allowed;
        scope = t.scope;
        verdict = t.verdict;
        upstreamError = join(t.upstreamError, imageName);
        requirements = join(t.requirements, imageName);
        reasons = join(t.reasons, imageName);
        warnings = join(t.warnings, imageName);
      } else {
        // Signature requirements: explained exactly for this reference (what `report` does).
        const dockerReference = leanDockerReference(lean);
        const digest = lean.digest !== undefined && lean.digest.startsWith("sha256:") ? lean.digest : undefined;
        const evaluation = evaluateRequirements(plan.requirements, { transport: lean.repo.transport, imageName, dockerReference, manifestDigest: digest });
        const withinTransport = lean.repo.transport === "docker" ? imageName.slice(7) : imageName.slice(14);
        const e = explainEvaluation(sim, plan.scope, plan.entry, plan.requirements, evaluation, {
          transport: lean.repo.transport,
          dockerReference,
          withinTransport,
          lookup: lookup.details,
        });
        allowed = evaluation.allowed;
        scope = plan.scope === null ? "null" : JSON.stringify(plan.scope);
        verdict = allowed ? '"allow"' : '"deny"';
        upstreamError = JSON.stringify(evaluation.error);
        requirements = JSON.stringify(e.requirements);
        reasons = JSON.stringify(e.reasons);
        warnings = JSON.stringify(e.warnings);
      }
      const ref = JSON.stringify(input);
      const transport = lean.repo.transport === "docker" ? '"docker"' : '"docker-daemon"';
      // Identities are made of JSON-safe characters only (fast-path.ts NAME_CHARS, tags, digests).
      const identity = '"' + lean.identity + '"';
      let json: string;
      if (selected === undefined) {
        json =
          '{"ref":' + ref + ',"error":null,"transport":' + transport + ',"identity":' + identity + ',"namespacesTried":' + namespacesTried +
          ',"scope":' + scope + ',"verdict":' + verdict + ',"upstreamError":' + upstreamError + ',"requirements":' + requirements +
          ',"reasons":' + reasons + ',"signatureLookup":' + lookup.json + ',"warnings":' + warnings + ',"signatures":null}';
      } else {
        const values: Record<(typeof FAST_FIELDS)[number], string> = {
          ref,
          error: "null",
          transport,
          identity,
          namespacesTried,
          scope,
          verdict,
          upstreamError,
          requirements,
          reasons,
          signatureLookup: lookup.json,
          warnings,
          signatures: "null",
        };
        json = "{";
        for (let i = 0; i < selected.length; i++) json += (i === 0 ? '"' : ',"') + selected[i] + '":' + values[selected[i]];
        json += "}";
      }
      return { verdict: allowed ? "allow" : "deny", json };
    },
  };
}

function join(parts: string[], value: string): string {
  return parts.length === 1 ? parts[0] : parts.join(value);
}

function repositoryRecord(repo: RepositoryPlan): RepositoryRecord {
  let r = repo.record as RepositoryRecord | undefined;
  if (r === undefined) repo.record = r = { namespacesTried: JSON.stringify(repo.namespaces.slice(0, repo.namespacesTried)) };
  return r;
}

/** Where signatures are read (`signatureLookup`), as `plan` in simulate.ts computes it for the reference. */
function signatureLookup(fast: FastPath, lean: LeanReference, repo: RepositoryRecord, registriesDScopes: ReadonlySet<string>): { details: SignatureLookupDetails; json: string } {
  if (lean.repo.transport !== "docker") return { details: NO_LOOKUP, json: NO_LOOKUP_JSON };
  // The reference's sha256 digest names the signatures (`lookupDigest`; there is no manifest on this path).
  const digest = lean.digest !== undefined && lean.digest.startsWith("sha256:") ? lean.digest : undefined;
  if (digest !== undefined || registriesDScopes.has(lean.identity)) {
    const details = signatureLookupFor(fast.sim, leanDockerReference(lean), digest);
    return { details, json: lookupJson(details) };
  }
  if (repo.lookup === undefined) {
    const details = signatureLookupFor(fast.sim, leanDockerReference(lean), undefined);
    // Only the repository may differ between its references here (registries.d names none of their identities).
    if (details.repository !== referenceName(leanDockerReference(lean))) return { details, json: lookupJson(details) };
    repo.lookup = { details, json: lookupJson(details) };
  }
  return repo.lookup;
}

function lookupJson(d: SignatureLookupDetails): string {
  return JSON.stringify({ lookasideBase: d.lookasideBase, lookasideSignature1: d.lookasideSignature1, sigstoreAttachments: d.sigstoreAttachments });
}

/** The split explanation of an `insecureAcceptAnything` / `reject` list (undefined: explain per reference). */
function listTemplate(fast: FastPath, plan: DecidingPlan): ListTemplate | undefined {
  if (plan.record !== undefined) return plan.record === false ? undefined : (plan.record as ListTemplate);
  let t: ListTemplate | undefined;
  if (plan.requirements.every((r) => TEMPLATE_TYPES.has(r.type))) {
    const transport = plan.transport;
    const explain = (imageName: string) => {
      const evaluation = evaluateRequirements(plan.requirements, { transport, imageName });
      const e = explainEvaluation(fast.sim, plan.scope, plan.entry, plan.requirements, evaluation, { transport, withinTransport: "", lookup: NO_LOOKUP });
      return { evaluation, ...e };
    };
    const split = (f: (imageName: string) => string) => splitAround(f, IMAGE_NAME_PLACEHOLDER, PLACEHOLDER_JSON);
    const upstreamError = split((n) => JSON.stringify(explain(n).evaluation.error));
    const requirements = split((n) => JSON.stringify(explain(n).requirements));
    const reasons = split((n) => JSON.stringify(explain(n).reasons));
    const warnings = split((n) => JSON.stringify(explain(n).warnings));
    const scope = plan.scope === null ? "null" : JSON.stringify(plan.scope);
    if (upstreamError && requirements && reasons && warnings && explain("").evaluation.allowed === plan.allowed)
      t = { scope, verdict: plan.allowed ? '"allow"' : '"deny"', upstreamError, requirements, reasons, warnings };
  }
  plan.record = t ?? false;
  return t;
}
