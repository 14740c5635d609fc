/**
 * `imagetrust import` writes only what `compile` accepts: the printed source is compiled back (at the import's
 * target) and every refusal becomes an IT3207 error, so nothing is written. Some policies that containers/image
 * loads have no `.trust` form; they are named with the reason: a sigstoreSigned `keyPath: ""`, which 5.23's
 * `(*prSigstoreSigned).UnmarshalJSON` accepts (it counts the field as present) but which has no key to verify a
 * signature with (`isSignatureAccepted` reads the file "" and fails), and which newer versions refuse
 * (`newPRSigstoreSigned` counts only non-empty sources).
 */
import { compileTrustSource } from "../check/compile-source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type * as IR from "../ir/types.js";
import { formatVersion, type Version } from "../ir/versions.js";
import { SourceFile } from "../source/source-file.js";

const CODE = "IT3207";

function requirementLists(policy: IR.Policy): Array<{ where: string; requirements: IR.Requirement[] }> {
  const out = [{ where: "the global default", requirements: policy.default }];
  for (const t of policy.transports) for (const s of t.scopes) out.push({ where: `${t.name} scope ${JSON.stringify(s.scope)}`, requirements: s.requirements });
  return out;
}

/** The parts of a loaded policy the language cannot express, each as an IT3207 error naming where it is. */
export function unimportable(policy: IR.Policy, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { where, requirements } of requirementLists(policy)) {
    for (const r of requirements) {
      if (r.type === "sigstoreSigned" && r.keyPath === "") {
        out.push({
          code: CODE,
          severity: "error",
          file,
          message:
            `import: ${where} has a sigstoreSigned requirement with keyPath "": containers/image 5.23 loads it, but with no key to verify ` +
            `with it accepts no signature, and newer versions refuse it; a .trust key needs a file name`,
          hint: "give the real public key file as keyPath, or use {\"type\": \"reject\"} (it denies the same images), then import again",
        });
      }
    }
  }
  return out;
}

/**
 * Compile the printed source back as `compile --target` would (key files are not read: their absence is a warning
 * there): each error becomes an IT3207 error, since writing it would give the user a source `compile` refuses.
 */
export function compileBack(text: string, name: string, target: Version | undefined): Diagnostic[] {
  const r = compileTrustSource(new SourceFile(name, text), target ? { target } : {});
  return r.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({
      code: CODE,
      severity: "error" as const,
      file: name,
      message: `import: the source it would write does not compile${target ? ` for ${formatVersion(target)}` : ""} (${d.code}: ${d.message})`,
    }));
}
