/** The explicit, ordered list of lint rules (graphql-js `specifiedRules`): findings come out in this order. */
import type { Rule } from "./rule.js";
import { atomicTransport } from "./rules/atomic-transport.js";
import { duplicateRequirement } from "./rules/duplicate-requirement.js";
import { exactRepositoryWithTag } from "./rules/exact-repository-with-tag.js";
import { inlineKeyInvalid } from "./rules/inline-key-invalid.js";
import { insecureGlobalDefault } from "./rules/insecure-global-default.js";
import { insecureRegistryScope } from "./rules/insecure-registry-scope.js";
import { insecureTransportDefault } from "./rules/insecure-transport-default.js";
import { keyFileProblem } from "./rules/key-file-problem.js";
import { mirrorSignatureStorageDiffers } from "./rules/mirror-signature-storage-differs.js";
import { mirrorWithoutSignatureConfig } from "./rules/mirror-without-signature-config.js";
import { neverMatchingScope } from "./rules/never-matching-scope.js";
import { redundantRequirement } from "./rules/redundant-requirement.js";
import { registryScopeUnderDockerDaemon } from "./rules/registry-scope-under-docker-daemon.js";
import { scopeSameAsFallback } from "./rules/scope-same-as-fallback.js";
import { tagScope } from "./rules/tag-scope.js";
import { rejectDefaultWithoutAllowance } from "./rules/reject-default-without-allowance.js";
import { remapIdentityMismatch } from "./rules/remap-identity-mismatch.js";
import { requirementAlwaysDenies } from "./rules/requirement-always-denies.js";
import { subjectEmailNotAnEmail } from "./rules/subject-email-not-an-email.js";
import { signedByWithoutLookaside } from "./rules/signed-by-without-lookaside.js";
import { sigstoreDefaultIdentity } from "./rules/sigstore-default-identity.js";
import { sigstoreWithoutAttachments } from "./rules/sigstore-without-attachments.js";
import { stagingWithoutLookaside } from "./rules/staging-without-lookaside.js";
import { symlinkedPathScope } from "./rules/symlinked-path-scope.js";
import { tldWildcardScope } from "./rules/tld-wildcard-scope.js";
import { unknownTransport } from "./rules/unknown-transport.js";
import { unusedSuppression } from "./rules/unused-suppression.js";
import { weakerCarveOut } from "./rules/weaker-carve-out.js";

/** Every rule, in the order they run (code order). */
export const RULES: readonly Rule[] = [
  insecureGlobalDefault,
  neverMatchingScope,
  unknownTransport,
  requirementAlwaysDenies,
  redundantRequirement,
  sigstoreWithoutAttachments,
  insecureTransportDefault,
  insecureRegistryScope,
  weakerCarveOut,
  rejectDefaultWithoutAllowance,
  duplicateRequirement,
  sigstoreDefaultIdentity,
  remapIdentityMismatch,
  exactRepositoryWithTag,
  keyFileProblem,
  inlineKeyInvalid,
  signedByWithoutLookaside,
  symlinkedPathScope,
  mirrorWithoutSignatureConfig,
  mirrorSignatureStorageDiffers,
  atomicTransport,
  tldWildcardScope,
  registryScopeUnderDockerDaemon,
  stagingWithoutLookaside,
  unusedSuppression,
  tagScope,
  scopeSameAsFallback,
  subjectEmailNotAnEmail,
];

/** A rule by name (`never-matching-scope`) or code (`IT4002`). */
export function findRule(nameOrCode: string): Rule | undefined {
  return RULES.find((r) => r.meta.name === nameOrCode || r.meta.code === nameOrCode);
}

/** The rule name of a lint code, for output (undefined for non-lint codes). */
export function ruleNameOfCode(code: string): string | undefined {
  return RULES.find((r) => r.meta.code === code)?.meta.name;
}
