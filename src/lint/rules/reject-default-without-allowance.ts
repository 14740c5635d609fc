/**
 * reject-default-without-allowance (IT4010): the global default rejects, and nothing allows registry pulls.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` falls back to `Policy.Default` for a transport with
 * no section, so with no docker scope allowing anything every `docker:` pull is denied.
 */
import type { Policy } from "../../ir/types.js";
import type { Rule } from "../rule.js";

function allowsSomething(policy: Policy, transport: string): boolean {
  const t = policy.transports.find((x) => x.name === transport);
  return !!t && t.scopes.some((s) => s.requirements.length > 0 && !s.requirements.some((r) => r.type === "reject"));
}

/** The rule. */
export const rejectDefaultWithoutAllowance: Rule = {
  meta: {
    code: "IT4010",
    name: "reject-default-without-allowance",
    category: "correctness",
    defaultSeverity: "info",
    description: "A reject default with no allowance for registry pulls.",
    docs: {
      what:
        "Reports a global default of `reject` when no scope of the docker (or atomic) transport allows anything: every " +
        "registry pull fails.",
      why:
        "A locked-down policy usually means to allow signed images from some registries; " +
        "forgetting them makes podman, buildah and CRI-O fail with 'Running image … is rejected by policy.'",
      example: '{ "default": [{ "type": "reject" }] }',
      instead: '{ "default": [{ "type": "reject" }], "transports": { "docker": { "quay.io/acme": [{ "type": "sigstoreSigned", … }] } } }',
    },
    messages: {
      noRegistry: "The global default rejects and no docker scope allows anything: every registry pull is denied.",
    },
  },
  create(ctx) {
    return {
      defaultRequirements(list, policy) {
        if (!(list.length > 0 && list.every((r) => r.type === "reject"))) return;
        const span = list[0].origin ?? policy.defaultOrigin;
        const where = { span, file: span ? undefined : ctx.file };
        if (!allowsSomething(policy, "docker") && !allowsSomething(policy, "atomic")) ctx.report({ messageId: "noRegistry", ...where });
      },
    };
  },
};
