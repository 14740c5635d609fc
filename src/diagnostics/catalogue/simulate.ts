/** Catalogue band IT5000–IT5999: the simulator and `imagetrust test` expectations (src/expectations/). */
import { page } from "./entry.js";

const FILE = "The expectations file (`imagetrust test`) lists references and the decision containers/image must reach for each.";

/** IT5xxx entries. */
export const SIMULATE_ENTRIES = {
  IT5601: page("error", "Expectations: YAML syntax error", "The expectations file is not valid YAML.", FILE, "Fix the YAML at the position shown."),
  IT5602: page("error", "Expectations: wrong structure", "The file is not a mapping with the expected keys (policy, cases, …).", FILE, "Follow the structure in the README's `imagetrust test` section."),
  IT5603: page("error", "Expectations: an invalid case", "A case is not {ref, expect, scope?}, or one of its values has the wrong form.", FILE, "Write each case as {ref: docker://…, expect: allow|deny, scope: …}."),
  IT5604: page("error", "Expectations: the policy does not load", "The policy the expectations refer to has errors.", "Nothing can be simulated against a policy containers/image would refuse.", "Fix the policy first (`imagetrust validate`)."),
  IT5605: page("error", "Expectations: a file cannot be read", "The expectations file or a file it names cannot be read.", FILE, "Check the path and permissions."),
  IT5606: page("error", "Expectations: unknown policy kind", "The policy file's kind cannot be told from its name or content.", "The loader for the kind decides how the file is read.", "Name the file policy.json, *.trust or a registries.d directory, or pass --kind."),
  IT5610: page("error", "An expectation failed", "The simulated decision differs from the expected one.",
    "The simulator follows containers/image (PolicyContext.IsRunningImageAllowed, requirementsForImageRef), so the host would decide the same way.",
    "Read the explanation trail (`imagetrust simulate REF`) and fix the policy or the expectation.", "signature.PolicyContext.IsRunningImageAllowed"),
} as const;
