/**
 * symlinked-path-scope (IT4018): a dir/oci/oci-archive/docker-archive/sif scope that passes through a symlink.
 *
 * Upstream: the path transports resolve the image path with `explicitfilepath.ResolvePathToFullyExplicit`
 * (`filepath.EvalSymlinks` on the longest existing prefix) before computing `PolicyConfigurationIdentity` and
 * namespaces, while scopes are compared as written; a scope through a symlink never equals a resolved path.
 */
import { resolvedPath } from "../file-access.js";
import { replaceStringFix, type Rule } from "../rule.js";

const PATH_TRANSPORTS = new Set(["dir", "oci", "oci-archive", "docker-archive", "sif"]);

/** The rule. */
export const symlinkedPathScope: Rule = {
  meta: {
    code: "IT4018",
    name: "symlinked-path-scope",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A path scope (dir, oci, …) through a symlink on this machine: references are resolved, scopes are not.",
    docs: {
      what: "Resolves the path scopes of dir, oci, oci-archive, docker-archive and sif on this machine and reports those that resolve to another path. Runs on the runtime's own configuration or with `--check-files`.",
      why: "containers/image resolves symlinks in image paths before looking scopes up, so `/var/images` (a link to `/srv/images`) never matches anything; images fall through to the transport or global default.",
      example: '"dir": { "/var/images": [{ "type": "insecureAcceptAnything" }] }   (/var/images → /srv/images)',
      instead: '"dir": { "/srv/images": [{ "type": "insecureAcceptAnything" }] }',
    },
    messages: {
      symlink: "Scope '{scope}' of transport '{transport}' resolves to '{resolved}' on this machine; image paths are compared after resolving symlinks, so the scope never matches.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (!ctx.checkHostFiles) return;
        if (!PATH_TRANSPORTS.has(transport.name) || !entry.scope.startsWith("/")) return;
        const resolved = resolvedPath(ctx.files, entry.scope);
        if (resolved === undefined || resolved === entry.scope) return;
        const span = entry.keyOrigin ?? entry.origin;
        const fix = transport.scopes.some((o) => o.scope === resolved)
          ? undefined
          : replaceStringFix(ctx, entry.keyOrigin, entry.scope, resolved, `Replace '${entry.scope}' with '${resolved}'`);
        ctx.report({
          messageId: "symlink",
          data: { scope: entry.scope, transport: transport.name, resolved },
          span,
          file: span ? undefined : ctx.file,
          hint: `Write '${resolved}'.`,
          fix,
        });
      },
    };
  },
};
