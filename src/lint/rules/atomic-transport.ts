/**
 * atomic-transport (IT4021): a section for the `atomic` transport.
 *
 * Upstream: `atomic:` is the deprecated OpenShift integrated-registry transport (openshift/openshift.go); some builds
 * do not register it (Debian 12's containers/image 5.23.1 disables it), and there `signature.(*policyTransportsMap)
 * .UnmarshalJSON` treats the section as an unknown transport: loaded, never used.
 */
import { TRANSPORTS_MISSING_IN_DEBIAN_5_23 } from "../../reference/scopes.js";
import type { Rule } from "../rule.js";

/** The rule. */
export const atomicTransport: Rule = {
  meta: {
    code: "IT4021",
    name: "atomic-transport",
    category: "portability",
    defaultSeverity: "info",
    description: "The deprecated atomic transport: not registered in every build, then silently unused.",
    docs: {
      what: "Reports `transports` sections named `atomic`.",
      why:
        "The atomic (OpenShift integrated registry) transport is deprecated and not registered in every build of " +
        "containers/image (Debian 12's 5.23.1 leaves it out); podman and CRI-O pull with docker://, so scopes under atomic " +
        "usually apply to nothing, and copying the section around only hides where the real rules are.",
      example: '"transports": { "atomic": { "registry.example.com/acme": [{ "type": "signedBy", … }] } }',
      instead: '"transports": { "docker": { "registry.example.com/acme": [{ "type": "signedBy", … }] } }',
    },
    messages: {
      atomic: "The 'atomic' transport is deprecated and not registered in every build of containers/image ({builds}); its {n} scope(s) apply only to atomic: references.",
    },
  },
  create(ctx) {
    return {
      transport(t) {
        if (t.name !== "atomic" || !TRANSPORTS_MISSING_IN_DEBIAN_5_23.includes("atomic")) return;
        const span = t.keyOrigin ?? t.origin;
        ctx.report({ messageId: "atomic", data: { builds: "not in Debian 12's 5.23.1", n: t.scopes.length }, span, file: span ? undefined : ctx.file });
      },
    };
  },
};
