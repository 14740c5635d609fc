/**
 * unknown-transport (IT4003): a `transports` section whose name is not a transport containers/image knows.
 *
 * Upstream: `signature.(*policyTransportsMap).UnmarshalJSON` accepts any transport name (`transports.Get` returns nil
 * and the scopes are not validated), while `requirementsForImageRef` looks sections up by
 * `ref.Transport().Name()` with exact, case-sensitive equality — so a mis-spelled section is never used.
 */
import { suggestionList } from "../../diagnostics/did-you-mean.js";
import { KNOWN_TRANSPORTS, STUB_TRANSPORTS } from "../../reference/scopes.js";
import { replaceStringFix, type Rule } from "../rule.js";

/** The rule. */
export const unknownTransport: Rule = {
  meta: {
    code: "IT4003",
    name: "unknown-transport",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A transport name that containers/image does not know; its scopes are never used.",
    docs: {
      what: "Reports `transports` keys that are not a transport name of containers/image (names are case-sensitive).",
      why:
        "containers/image accepts unknown transport names without complaint and without validating their scopes, but looks " +
        "sections up by the exact transport name, so `Docker` or `docker-daemons` is silently ignored and images fall back " +
        "to the global default.",
      example: '"transports": { "Docker": { "quay.io/acme": [ … ] } }',
      instead: '"transports": { "docker": { "quay.io/acme": [ … ] } }',
    },
    messages: {
      unknown: "Transport '{name}' is not a transport containers/image knows, so its scopes are never used.{suggestion}",
      stub: "Transport '{name}' is a stub in containers/image (no image can be read through it); its scopes are never used.",
    },
  },
  create(ctx) {
    const known: readonly string[] = KNOWN_TRANSPORTS;
    return {
      transport(transport) {
        const name = transport.name;
        const span = transport.keyOrigin ?? transport.origin;
        if (STUB_TRANSPORTS.includes(name)) {
          ctx.report({ messageId: "stub", data: { name }, span, file: span ? undefined : ctx.file, severity: "info" });
          return;
        }
        if (known.includes(name)) return;
        // The .trust checker owns an unknown name written bare (IT2111); a quoted one says an unknown transport
        // is meant, and the checker leaves it to this rule.
        if (ctx.frontEnd === "trust" && transport.keyOrigin && ctx.textOf(transport.keyOrigin) === name) return;
        const suggestions = suggestionList(name, known);
        const only = suggestions.length === 1 ? suggestions[0] : undefined;
        const fix =
          only !== undefined && !ctx.policy?.transports.some((t) => t.name === only)
            ? replaceStringFix(ctx, transport.keyOrigin, name, only, `Rename transport '${name}' to '${only}'`)
            : undefined;
        ctx.report({
          fix,
          messageId: "unknown",
          data: { name, suggestion: suggestions.length ? ` Did you mean '${suggestions[0]}'?` : "" },
          span,
          file: span ? undefined : ctx.file,
          hint: `Known transports: ${known.join(", ")}.`,
        });
      },
    };
  },
};
