/**
 * registry-scope-under-docker-daemon (IT4023): docker-daemon scopes naming registry images that the docker transport
 * does not mention.
 *
 * Upstream: `requirementsForImageRef` looks sections up by the reference's transport name; images pulled from a
 * registry are `docker:` references (CRI-O, podman pull, skopeo copy docker://), so a scope under `docker-daemon` only
 * applies to images read from a local Docker engine (`docker-daemon:`).
 */
import type { Rule } from "../rule.js";

/** The rule. */
export const registryScopeUnderDockerDaemon: Rule = {
  meta: {
    code: "IT4023",
    name: "registry-scope-under-docker-daemon",
    category: "correctness",
    defaultSeverity: "info",
    description: "A docker-daemon scope for a registry image that the docker transport does not name: it never applies to pulls.",
    docs: {
      what: "Reports non-default scopes of the docker-daemon transport whose name the docker transport has no scope for.",
      why:
        "docker-daemon scopes apply only to images copied out of a local Docker engine. A rule for `docker.io/library/hello-world` " +
        "written under docker-daemon does nothing for `podman pull` or CRI-O, which read `docker://` references.",
      example: '"docker-daemon": { "docker.io/library/hello-world": [{ "type": "reject" }] }',
      instead: '"docker": { "docker.io/library/hello-world": [{ "type": "reject" }] }',
    },
    messages: {
      daemon: "Scope '{scope}' is under docker-daemon, so it applies only to images read from a local Docker engine, not to pulls from the registry (the docker transport has no such scope).",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (transport.name !== "docker-daemon" || entry.scope === "") return;
        const docker = ctx.policy?.transports.find((t) => t.name === "docker");
        if (docker?.scopes.some((s) => s.scope === entry.scope)) return;
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({ messageId: "daemon", data: { scope: entry.scope }, span, file: span ? undefined : ctx.file });
      },
    };
  },
};
