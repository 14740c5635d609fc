/**
 * Where a scope is enforced (`enforced-by nodes|cluster`). The nodes' view of a model leaves out cluster-only
 * scopes (policy.json never sees them; the enclosing scope or default decides those images on the node). The
 * cluster's view keeps every scope; the Kubernetes emitters pass node-only scopes through admission (src/k8s/plan.ts).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TrustModel } from "../ir/types.js";
import { MODULE_CODES as M } from "./module-codes.js";

/** Remove cluster-only scopes from a model for the nodes (in place); one info diagnostic per scope left out. */
export function leaveOutClusterOnly(model: TrustModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of model.policy.transports) {
    if (!t.scopes.some((s) => s.labels?.enforcedBy === "cluster")) continue;
    t.scopes = t.scopes.filter((s) => {
      if (s.labels?.enforcedBy !== "cluster") return true;
      const what = s.scope === "" ? `the default of transport '${t.name}'` : `${t.name} scope "${s.scope}"`;
      out.push({
        code: M.clusterOnlyLeftOut,
        severity: "info",
        message: `${what} is enforced by the cluster only ('enforced-by cluster'): it is not written to policy.json.`,
        ...(s.keyOrigin ?? s.origin ? { span: (s.keyOrigin ?? s.origin)! } : {}),
      });
      return false;
    });
  }
  return out;
}
