/**
 * insecure-global-default (IT4001): the global `default` accepts any image unchecked.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` falls back to `Policy.Default` for every
 * transport and scope not listed, and `prInsecureAcceptAnything.isRunningImageAllowed` returns true.
 */
import type { Rule } from "../rule.js";

/** The rule. */
export const insecureGlobalDefault: Rule = {
  meta: {
    code: "IT4001",
    name: "insecure-global-default",
    category: "security",
    defaultSeverity: "warning",
    description: "The global default accepts every image without checking signatures.",
    docs: {
      what: "Reports a policy whose global `default` is only `insecureAcceptAnything`.",
      why:
        "containers/image uses the global default for every transport and every scope the policy does not name, " +
        "so any image from any registry, archive or directory not listed is accepted without a signature check. " +
        "A typo in a scope silently falls through to it.",
      example: '{ "default": [{ "type": "insecureAcceptAnything" }], "transports": { "docker": { "quay.io/acme": [{ "type": "signedBy", … }] } } }',
      instead:
        'Reject by default and allow what you trust explicitly: { "default": [{ "type": "reject" }], "transports": { "docker": { … }, ' +
        '"docker-daemon": { "": [{ "type": "insecureAcceptAnything" }] } } }',
    },
    messages: {
      insecureDefault:
        "The global default accepts any image without checking signatures; every transport and scope not listed falls back to it.",
    },
  },
  create(ctx) {
    return {
      defaultRequirements(requirements, policy) {
        if (requirements.length === 0) return;
        if (!requirements.every((r) => r.type === "insecureAcceptAnything")) return;
        const span = requirements[0].origin ?? policy.defaultOrigin;
        ctx.report({
          messageId: "insecureDefault",
          span,
          file: span ? undefined : ctx.file,
          hint: 'Use [{"type": "reject"}] as the default and list the registries you trust (with signedBy or sigstoreSigned) under "transports".',
        });
      },
    };
  },
};
