/**
 * What the node and the cluster require for one image reference, in one comparable form:
 * "deny", or a sorted list of trusted-key sets (each "any of these keys / this Fulcio identity").
 *
 * The node side is the simulator's scope lookup (containers/image requirementsForImageRef); the cluster side reads the
 * emitted manifests back and applies policy-controller's glob matching (all matching policies, else
 * no-match-policy) or Kyverno's wildcard matching (rules with imageReferences minus skipImageReferences;
 * validate.foreach deny conditions on the pod's image string).
 */
import { parseAllDocuments } from "yaml";
import type { Requirement, TrustModel } from "../../src/ir/types.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { requirementsForImageRef } from "../../src/simulate/scope-lookup.js";
import { kyvernoImageString, kyvernoWildcardMatch, policyControllerGlobMatch } from "../../src/k8s/patterns.js";
import { admissionRequirement, KeyMaterial, outcomeOf, type Outcome, type SigstoreTrust } from "../../src/k8s/requirements.js";
import type { EmittedFile } from "../../src/k8s/render.js";

/** A comparable outcome: "deny" or the sorted canonical trust sets that must all be satisfied. */
export type Verdict = "deny" | string[];

/** A canonical text of a trust set, from PEM keys or a keyless identity. */
function canon(keys: string[], keyless?: { issuer: string; subject: string; ca?: string }): string {
  return JSON.stringify({ keys: keys.map((k) => k.trim()).sort(), keyless: keyless ? [keyless.issuer, keyless.subject, keyless.ca?.trim() ?? ""] : null });
}

function trustCanon(t: SigstoreTrust): string {
  const f = t.fulcio;
  return canon(t.publicKeys, f ? { issuer: f.issuer, subject: "subject" in f ? f.subject : "/" + f.subjectRegExp, ca: f.caPem } : undefined);
}

function verdictOf(o: Outcome): Verdict {
  return o.deny ? "deny" : [...new Set([...o.checks.values()].map(trustCanon))].sort();
}

/**
 * The node's requirement list for a docker reference: the simulator's `requirementsForImageRef` (which
 * mirrors containers/image and is checked against it in test/simulate) on `docker://REF`.
 */
export function nodeRequirements(model: TrustModel, reference: string): { scope?: string; requirements: Requirement[] } {
  const parsed = parseImageReference("docker://" + reference);
  if (!parsed.ok) throw new Error(`bad reference ${reference}: ${parsed.error}`);
  const lookup = requirementsForImageRef(model.policy, parsed.ref);
  return lookup.decided ? { scope: lookup.decided.scope, requirements: lookup.requirements } : { requirements: lookup.requirements };
}

/** The node's verdict for a reference. */
export function nodeVerdict(model: TrustModel, reference: string, readFile: (p: string) => Uint8Array | undefined): Verdict {
  const keys = new KeyMaterial(readFile);
  return verdictOf(outcomeOf(nodeRequirements(model, reference).requirements.map((r) => admissionRequirement(r, keys, []))));
}

type Doc = Record<string, any>;

function docs(files: readonly EmittedFile[]): Doc[] {
  return files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJSON() as Doc));
}

/** A digest for references policy-controller sees resolved (its mutating webhook replaces tags by digests). */
export const FAKE_DIGEST = "sha256:" + "ab".repeat(32);

/** policy-controller's verdict: every ClusterImagePolicy whose glob matches, else no-match-policy. */
export function policyControllerVerdict(files: readonly EmittedFile[], reference: string): Verdict {
  const all = docs(files);
  const parsed = parseNormalizedNamed(reference);
  if (!parsed.ok) throw new Error(`bad reference ${reference}`);
  // The validating webhook sees the digest form: repo@digest.
  const resolved = parsed.ref.digest !== undefined ? reference : reference.replace(/:[^:/@]+$/, "") + "@" + FAKE_DIGEST;
  const matching = all.filter((d) => d.kind === "ClusterImagePolicy" && (d.spec.images as Array<{ glob: string }>).some((i) => policyControllerGlobMatch(i.glob, resolved)));
  if (matching.length === 0) {
    const cm = all.find((d) => d.kind === "ConfigMap");
    return cm?.data["no-match-policy"] === "allow" ? [] : "deny";
  }
  const sets: string[] = [];
  for (const cip of matching) {
    const auths = cip.spec.authorities as Doc[];
    if (auths.some((a) => a.static?.action === "fail")) return "deny";
    if (auths.every((a) => a.static?.action === "pass")) continue;
    const keys = auths.filter((a) => a.key).map((a) => a.key.data as string);
    const kl = auths.find((a) => a.keyless);
    sets.push(
      canon(keys, kl ? { issuer: kl.keyless.identities[0].issuer, subject: kl.keyless.identities[0].subject ?? "/" + kl.keyless.identities[0].subjectRegExp, ca: kl.keyless["ca-cert"]?.data } : undefined),
    );
  }
  return [...new Set(sets)].sort();
}

function anyMatch(patterns: readonly string[] | undefined, s: string): boolean {
  return (patterns ?? []).some((p) => kyvernoWildcardMatch(p, s));
}

/** Kyverno's verdict for a pod image written as `podImage` (a reference string as in a pod spec). */
export function kyvernoVerdict(files: readonly EmittedFile[], podImage: string): Verdict {
  const info = kyvernoImageString(podImage);
  if (info === undefined) throw new Error(`bad image ${podImage}`);
  const sets: string[] = [];
  for (const d of docs(files)) {
    if (d.kind !== "ClusterPolicy") continue;
    for (const rule of d.spec.rules as Doc[]) {
      for (const fe of rule.validate?.foreach ?? []) {
        const conds = fe.deny.conditions.all as Doc[];
        const denies = conds.every((c) => {
          const re = /^\{\{ regex_match\('(.*)', image_normalize\(element\.image\)\) \}\}$/.exec(c.key);
          if (re) {
            if (c.operator !== "Equals") throw new Error(`operator ${c.operator}`);
            return new RegExp(re[1]).test(info) === c.value;
          }
          if (c.key !== "{{ image_normalize(element.image) }}") throw new Error(`key ${c.key}`);
          if (c.operator === "AnyIn") return anyMatch(c.value, info);
          if (c.operator === "AnyNotIn") return !anyMatch(c.value, info);
          if (c.operator === "NotEquals") return info !== c.value;
          throw new Error(`operator ${c.operator}`);
        });
        if (denies) return "deny";
      }
      for (const vi of rule.verifyImages ?? []) {
        if (!anyMatch(vi.imageReferences, info) || anyMatch(vi.skipImageReferences, info)) continue;
        for (const att of vi.attestors as Doc[]) {
          const entries = att.entries as Doc[];
          const keys = entries.filter((e) => e.keys).map((e) => e.keys.publicKeys as string);
          const kl = entries.find((e) => e.keyless)?.keyless;
          sets.push(canon([...new Set(keys)], kl ? { issuer: kl.issuer, subject: kl.subject ?? "/" + kl.subjectRegExp, ca: kl.roots } : undefined));
        }
      }
    }
  }
  return [...new Set(sets)].sort();
}

/** Whether cluster verdict `c` is at least as strict as node verdict `n`. */
export function atLeastAsStrict(c: Verdict, n: Verdict): boolean {
  if (c === "deny") return true;
  if (n === "deny") return false;
  return n.every((x) => c.includes(x));
}

/** The raw pod image strings that normalise to `reference` (containers/image ParseNormalizedNamed), for raw-string matchers. */
export function podSpellings(reference: string): string[] {
  const out = [reference];
  const hub = /^docker\.io\/(.+)$/.exec(reference);
  if (hub) {
    const rest = hub[1];
    out.push(`index.docker.io/${rest}`);
    if (!/^[^/]*[.:]/.test(rest.split("/")[0]) && rest.split("/")[0] !== "localhost") out.push(rest);
    const official = /^library\/([^/]+)$/.exec(rest);
    if (official) out.push(official[1], `docker.io/${official[1]}`);
  }
  const untagged = /^(.*\/[^/:@]+):latest$/.exec(reference);
  if (untagged) out.push(untagged[1]);
  return [...new Set(out)];
}

/** A CEL expression of the restricted form ivp-match.ts emits, evaluated as JavaScript with the string wrapper below. */
function celFunction(expr: string, params: string[]): (...args: unknown[]) => unknown {
  if (/[`;{}]|=>|\bfunction\b/.test(expr.replace(/'(?:[^'\\]|\\.)*'/g, "''"))) throw new Error(`unexpected CEL ${expr}`);
  return new Function(...params, `return (${expr});`) as (...args: unknown[]) => unknown;
}

/** Evaluate a CEL predicate of the restricted form ivp-match.ts emits, with string variable `name` bound to `value`. */
export function evalCelPredicate(expr: string, name: string, value: string): boolean {
  const r = celFunction(expr, [name])(celStr(value));
  if (typeof r !== "boolean") throw new Error(`not a boolean: ${expr}`);
  return r;
}

/** A CEL string value: `matches` is RE2 search (unanchored unless the pattern anchors), `startsWith` as CEL's. */
function celStr(s: string) {
  return { s, matches: (re: string) => new RegExp(re).test(s), startsWith: (p: string) => s.startsWith(p) };
}

/**
 * Kyverno ImageValidatingPolicy's verdict for one pod image string: every policy's validations evaluated for a pod
 * with that one container. `verifyImageSignatures` returns 0 for an image no matchImageReferences entry selects
 * (kyverno pkg/cel/libs/imageverify impl.go), else records the attestor list (any one verifying suffices).
 */
export function ivpVerdict(files: readonly EmittedFile[], podImage: string): Verdict {
  const sets: string[] = [];
  // The list of every container kind, parenthesised: `.all` must apply to the whole concatenation.
  const prefix =
    "(('containers' in images ? images.containers : []) + ('initContainers' in images ? images.initContainers : []) + ('ephemeralContainers' in images ? images.ephemeralContainers : [])).all(image, ";
  for (const d of docs(files)) {
    if (d.kind !== "ImageValidatingPolicy") continue;
    const spec = d.spec as Doc;
    const selected = (spec.matchImageReferences as Doc[]).some((m) => {
      if (m.glob !== undefined) return kyvernoWildcardMatch(m.glob, podImage);
      return celFunction(m.expression, ["ref"])(celStr(podImage)) === true;
    });
    const attestors = Object.fromEntries((spec.attestors as Doc[]).map((a) => [a.name, a]));
    for (const v of spec.validations as Doc[]) {
      const e = v.expression as string;
      if (!e.startsWith(prefix) || !e.endsWith(")")) throw new Error(`validation ${e}`);
      const body = e.slice(prefix.length, -1);
      const calls: Doc[][] = [];
      const verify = (_img: unknown, list: Doc[]) => {
        if (!selected) return 0;
        calls.push(list);
        return 1;
      };
      const ok = celFunction(body, ["image", "attestors", "verifyImageSignatures"])(celStr(podImage), attestors, verify);
      if (ok !== true) return "deny";
      for (const list of calls) {
        const keys = list.filter((a) => a.cosign.key).map((a) => a.cosign.key.data as string);
        const kl = list.find((a) => a.cosign.keyless)?.cosign.keyless;
        sets.push(canon([...new Set(keys)], kl ? { issuer: kl.identities[0].issuer, subject: kl.identities[0].subject ?? "/" + kl.identities[0].subjectRegExp, ca: kl.roots } : undefined));
      }
    }
  }
  return [...new Set(sets)].sort();
}
