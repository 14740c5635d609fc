/**
 * insecure-transport-default (IT4007): a registry transport's default (`""` scope) accepts any image unchecked.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` uses `transports[name][""]` for every image of that
 * transport no other scope matches, before the global default; `prInsecureAcceptAnything.isRunningImageAllowed`
 * returns true. Local transports (containers-storage, docker-daemon, dir, …) read images already on the machine, so
 * only the registry transports (docker, atomic) are reported.
 */
import type { Rule } from "../rule.js";

/** Transports that fetch images from the network. */
export const REGISTRY_TRANSPORTS = new Set(["docker", "atomic"]);

/** The rule. */
export const insecureTransportDefault: Rule = {
  meta: {
    code: "IT4007",
    name: "insecure-transport-default",
    category: "security",
    defaultSeverity: "warning",
    description: "The default of a registry transport (docker, atomic) accepts every image without checking signatures.",
    docs: {
      what: 'Reports a `""` scope of the docker or atomic transport whose requirements are only `insecureAcceptAnything`.',
      why:
        "The transport default applies to every registry image no more specific scope names, before the global default: a " +
        '`"reject"` global default then protects nothing pulled from a registry.',
      example: '{ "default": [{ "type": "reject" }], "transports": { "docker": { "": [{ "type": "insecureAcceptAnything" }] } } }',
      instead: '"docker": { "": [{ "type": "reject" }], "quay.io/acme": [{ "type": "sigstoreSigned", "keyPath": "/etc/pki/acme.pub" }] }',
    },
    messages: {
      insecure: "The default of transport '{transport}' accepts every registry image without checking signatures.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (entry.scope !== "" || !REGISTRY_TRANSPORTS.has(transport.name)) return;
        const reqs = entry.requirements;
        if (reqs.length === 0 || !reqs.every((r) => r.type === "insecureAcceptAnything")) return;
        const span = reqs[0].origin ?? entry.keyOrigin ?? entry.origin;
        ctx.report({
          messageId: "insecure",
          data: { transport: transport.name },
          span,
          file: span ? undefined : ctx.file,
          hint: "Reject by default and list the registries you trust with signedBy or sigstoreSigned.",
        });
      },
    };
  },
};
