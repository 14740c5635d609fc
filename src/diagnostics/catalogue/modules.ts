/** Catalogue band IT2220–IT2299: .trust includes, profiles, enforcement placement, approvals (issue 16). */
import { page } from "./entry.js";

const NONE = "This is the language's own rule; containers/image never sees the source.";

/** Entries of this band (code → page). */
export const MODULES_ENTRIES = {
  IT2220: page("error", "An include cycle", "A file includes itself, directly or through other files.", NONE, "Move what both files need into a third file that both include."),
  IT2221: page("error", "An included file that cannot be read", "The file named by `include` does not exist, is a directory, is not UTF-8 text, or cannot be read.", "An include is resolved relative to the file that names it, through the host's file system.", "Fix the path (it is relative to the including file)."),
  IT2222: page("error", "An include inside a profile", "`include` is written inside a `profile { … }` block.", "Includes join whole files; a profile only adds or overrides scopes, defaults, approvals and expectations.", "Move the include to the top level."),
  IT2223: page("error", "Includes nested too deep", "Includes are nested more than 32 files deep.", NONE, "Flatten the include structure."),
  IT2230: page("error", "An unknown profile", "`--profile NAME` (or `FILE#NAME`) names a profile the source does not define.", NONE, "Use one of the profiles the source defines (the message lists them), or none for the base."),
  IT2231: page("error", "A statement that a profile cannot hold", "A profile holds a key, identity, level, target, signatures block or another profile.", "Profiles only add or override scopes, defaults, approvals and expectations; names and signature storage are shared by every profile.", "Move the statement to the top level (it is then shared by every profile)."),
  IT2232: page("info", "What a profile overrides", "The selected profile replaces a scope or default of the base.", NONE, "Nothing; this is what `compile --explain` lists."),
  IT2240: page("info", "A node-only scope is let through admission", "A scope marked `enforced-by nodes` is passed through admission explicitly (policy-controller: a `static: pass` authority; Kyverno: excluded from the enclosing rules by `skipImageReferences`).", "Admission cannot verify some requirements (GPG simple signing, IT7000); the nodes still enforce policy.json for these images.", "Nothing, if the nodes enforce it; remove the mark to have admission enforce the scope (and get IT7000 where it cannot)."),
  IT2241: page("info", "A cluster-only scope is left out of policy.json", "A scope marked `enforced-by cluster` is not written to policy.json; on the nodes its images are decided by the enclosing scope or default.", NONE, "Nothing, if that is meant."),
  IT2250: page("warning", "An expired approval is dropped", "An `approve … until DATE` whose date has passed is left out of the compiled policy.", "The approval's last day (UTC) is before the compile's clock (the host's clock, `--now`, or SOURCE_DATE_EPOCH).", "Renew the approval (a new date and reason) or delete it; `compile --expired-approvals refuse` makes this an error."),
  IT2251: page("error", "An expired approval (refused)", "With `--expired-approvals refuse`, an approval whose date has passed stops the compile.", "The approval's last day (UTC) is before the compile's clock.", "Renew the approval or delete it."),
  IT2252: page("error", "An invalid date", "`until` names a day that does not exist (2027-02-30) or is not YYYY-MM-DD.", NONE, "Write a real calendar day, YYYY-MM-DD."),
  IT2253: page("info", "import cannot recover approval reasons and dates", "policy.json has no place for an approval's reason, approver or end date, so `import` cannot write them back.", "An approval lowers to an exact-digest docker scope (`name@sha256:…`), which is all containers/image reads.", "Add `because`, `by` and `until` by hand to the imported approvals."),
} as const;
