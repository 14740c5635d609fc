/**
 * Where signatures are read, compared between two registries.d configurations, namespace by namespace:
 * containers/image `docker/registries_d.go` (`SignatureStorageBaseURL` for reading, `useSigstoreAttachments`),
 * through registries/lookaside.ts `signatureStorageFor`. The namespaces are every `docker:` scope of either
 * configuration plus `default-docker` (a reference no scope matches); each gets a docker reference confirmed to
 * be matched by that scope and no more specific one, as regions.ts does for policy scopes.
 */
import type { Policy, RegistriesDConfig, TransportPolicy } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import { signatureStorageFor } from "../registries/lookaside.js";
import { PolicyIndex, requirementsForImageRef } from "../simulate/scope-lookup.js";
import { witnessCandidates } from "./regions.js";

/** How one configuration reads signatures for a namespace. */
export interface StorageSide {
  /** The configured read lookaside ("" : the built-in default). */
  lookaside: string;
  useSigstoreAttachments: boolean;
}

/** One namespace whose signature storage differs. */
export interface StorageChange {
  /** The registries.d `docker:` scope ("" : default-docker, references no scope matches). */
  namespace: string;
  /** The docker reference the comparison was made for. */
  witness: string;
  old: StorageSide;
  new: StorageSide;
  /** What changed: "lookaside", "use-sigstore-attachments" or both. */
  changed: string[];
  /**
   * Whether the new policy reads signatures for that reference (a signedBy / sigstoreSigned decides it), so the
   * move can change a verdict; such a change counts as `changed` for --fail-on-loosen.
   */
  affectsDecisions: boolean;
}

const EMPTY: RegistriesDConfig = { docker: [] };

/** Namespaces whose signature storage differs between two registries.d configurations. */
export function signatureStorageChanges(before: RegistriesDConfig | undefined, after: RegistriesDConfig | undefined, policy: Policy): StorageChange[] {
  const a = before ?? EMPTY;
  const b = after ?? EMPTY;
  const scopes = [...new Set(["", ...a.docker.map((e) => e.scope), ...b.docker.map((e) => e.scope)])].sort();
  // Scope matching in registries.d uses the same identity/namespace chain as the policy: reuse the policy index.
  const scopeIndex = new PolicyIndex({ default: [], transports: [{ name: "docker", scopes: scopes.map((scope) => ({ scope, requirements: [] })) } as TransportPolicy] });
  const out: StorageChange[] = [];
  for (const namespace of scopes) {
    for (const text of witnessCandidates("docker", namespace)) {
      const r = parseImageReference(text);
      if (!r.ok || r.ref.dockerReference === undefined) continue;
      if (scopeIndex.lookup("docker", r.ref.identity, r.ref.namespaces)?.scope !== namespace) continue;
      // A fixed user: the comparison is of the configurations, not of who runs the pull.
      const so = signatureStorageFor(r.ref.dockerReference, a, { euid: 0 });
      const sn = signatureStorageFor(r.ref.dockerReference, b, { euid: 0 });
      const changed: string[] = [];
      if (so.lookasideTopLevel !== sn.lookasideTopLevel) changed.push("lookaside");
      if (so.useSigstoreAttachments !== sn.useSigstoreAttachments) changed.push("use-sigstore-attachments");
      if (changed.length > 0) {
        const reads = requirementsForImageRef(policy, r.ref).requirements.some((q) => q.type === "signedBy" || q.type === "sigstoreSigned");
        out.push({
          namespace,
          witness: text,
          old: { lookaside: so.lookasideTopLevel, useSigstoreAttachments: so.useSigstoreAttachments },
          new: { lookaside: sn.lookasideTopLevel, useSigstoreAttachments: sn.useSigstoreAttachments },
          changed,
          affectsDecisions: reads,
        });
      }
      break;
    }
  }
  return out;
}
