/**
 * staging-without-lookaside (IT4024): a registries.d section with a write location (lookaside-staging /
 * sigstore-staging) but no read location.
 *
 * Upstream: `(*registryConfiguration).signatureTopLevel(ref, write=false)` (docker/registries_d.go) skips sections
 * whose read URL is empty and continues with the parent namespaces, `default-docker` and finally the built-in local
 * directory, so signatures written to the staging location are not where reads look (unless another section says so).
 */
import type { SignatureStorage } from "../../ir/types.js";
import type { Rule } from "../rule.js";

/** The rule. */
export const stagingWithoutLookaside: Rule = {
  meta: {
    code: "IT4024",
    name: "staging-without-lookaside",
    category: "correctness",
    defaultSeverity: "info",
    description: "A registries.d section that says where to write signatures but not where to read them.",
    docs: {
      what: "Reports `default-docker` and `docker:` sections with lookaside-staging (or sigstore-staging) and no lookaside (or sigstore).",
      why:
        "Reads skip the section and fall back to a parent, default-docker or the built-in /var/lib/containers/sigstore, so " +
        "a machine with only this file signs into one place and verifies from another. Fine on a signing-only host; a " +
        "surprise everywhere else.",
      example: "docker:\n  quay.io/acme:\n    lookaside-staging: file:///srv/sigstore",
      instead: "docker:\n  quay.io/acme:\n    lookaside: https://sigs.example.com\n    lookaside-staging: file:///srv/sigstore",
    },
    messages: {
      staging: "{where} sets {key} but no lookaside: reads of signatures for its images do not use it.",
    },
  },
  create(ctx) {
    const check = (s: SignatureStorage, where: string, file: string, span: import("../../source/source-file.js").Span | undefined) => {
      const write = s.lookasideStaging !== undefined ? "lookaside-staging" : s.sigstoreStaging !== undefined ? "sigstore-staging" : undefined;
      if (!write || s.lookaside !== undefined || s.sigstore !== undefined) return;
      ctx.report({ messageId: "staging", data: { where, key: write }, span, file: span ? undefined : file });
    };
    return {
      registriesD(config) {
        if (config.defaultDocker) check(config.defaultDocker.storage, "default-docker", config.defaultDocker.file, config.defaultDocker.keyOrigin);
      },
      registriesDEntry(entry) {
        check(entry.storage, `Scope '${entry.scope}'`, entry.file, entry.keyOrigin);
      },
    };
  },
};
