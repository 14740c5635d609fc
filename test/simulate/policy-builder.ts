/**
 * Test helper: build a policy once as policy.json text (for containers/image) and as IR (for us), from one
 * small description, so differential tests do not depend on the loader or the emitter.
 */
import type { Policy, Requirement, TransportPolicy } from "../../src/ir/types.js";
export { prng } from "../support/prng.js";
import { prng } from "../support/prng.js";

/** A requirement as JSON (policy.json spelling). */
export type RequirementJson = Record<string, unknown> & { type: string };

/** A policy description: default list and transports → scope → list. */
export interface PolicySpec {
  default: RequirementJson[];
  transports?: Record<string, Record<string, RequirementJson[]>>;
}

function toIR(r: RequirementJson): Requirement {
  // The JSON shape of these test requirements is exactly the IR shape (same field names).
  return JSON.parse(JSON.stringify(r)) as Requirement;
}

/** The IR of a policy description. */
export function policyIR(spec: PolicySpec): Policy {
  const transports: TransportPolicy[] = [];
  for (const [name, scopes] of Object.entries(spec.transports ?? {}))
    transports.push({ name, scopes: Object.entries(scopes).map(([scope, reqs]) => ({ scope, requirements: reqs.map(toIR) })) });
  return { default: spec.default.map(toIR), transports, transportsPresent: spec.transports !== undefined };
}

/** The policy.json text of a policy description. */
export function policyJson(spec: PolicySpec): string {
  return JSON.stringify(spec, null, 1);
}

/** Common requirements. */
export const R = {
  accept: { type: "insecureAcceptAnything" } as RequirementJson,
  reject: { type: "reject" } as RequirementJson,
  signedBy: { type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent/key.gpg" } as RequirementJson,
  signedByX509: { type: "signedBy", keyType: "X509Certificates", keyPath: "/nonexistent/key.pem" } as RequirementJson,
  sigstore: { type: "sigstoreSigned", keyPath: "/nonexistent/cosign.pub" } as RequirementJson,
  baseLayer: { type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } } as RequirementJson,
};

