/** Catalogue band IT3000–IT3249: the emitters (policy.json, registries.d) and writing files (src/emit/codes.ts). */
import { page } from "./entry.js";

const NOT_WRITTEN = "imagetrust writes nothing rather than a file containers/image would refuse (compile is all or nothing).";
const REJECTS = `containers/image would refuse the policy.json written from this. ${NOT_WRITTEN}`;
const IR = "Usually the IR came from a program (the library API) rather than from a .trust source, which the checker would have caught.";

/** IT3xxx entries. */
export const EMIT_ENTRIES = {
  IT3000: page("error", "A policy feature newer than the target", "The IR uses a feature (remapIdentity, keyPaths, sigstoreSigned, fulcio, pki, …) the target version does not have.",
    `The target's strict policy reader would report an unknown key or type. ${NOT_WRITTEN}`, "Raise the target, or do without the feature.", "signature/policy_config.go (per version)"),
  IT3001: page("error", "A wildcard scope before 5.10", "A `*.example.com` docker scope for a target older than 5.10.",
    `Wildcard scopes arrived in 5.10; older versions refuse the scope. ${NOT_WRITTEN}`, "Raise the target, or list the registries.", "docker ValidatePolicyConfigurationScope"),
  IT3030: page("error", "`default` is empty", "The IR's default requirement list is empty.", `${REJECTS} ${IR}`, "Give `default` at least one requirement.", "newPolicyRequirementsFromJSON"),
  IT3031: page("error", "A scope with no requirements", "A scope maps to an empty list.", `${REJECTS} ${IR}`, "Give the scope requirements or drop it.", "newPolicyRequirementsFromJSON"),
  IT3032: page("error", "A transport twice", "The same transport name twice in the IR.", `It would be a duplicate JSON key ("Duplicate key"). ${NOT_WRITTEN}`, "Merge the transports.", "paranoidUnmarshalJSONObject"),
  IT3033: page("error", "A scope twice in one transport", "The same scope twice under one transport.", `It would be a duplicate JSON key. ${NOT_WRITTEN}`, "Merge the scopes.", "paranoidUnmarshalJSONObject"),
  IT3034: page("error", "A scope the transport rejects", "The transport's validator rejects the scope.", REJECTS, "Write the scope as the transport expects.", "ValidatePolicyConfigurationScope"),
  IT3035: page("error", "An invalid signedBy keyType", "keyType is not one of the four values.", REJECTS, "Use GPGKeys.", "(*sbKeyType).UnmarshalJSON"),
  IT3036: page("error", "signedBy: not exactly one key source", "Not exactly one of keyPath, keyPaths, keyData.", REJECTS, "Keep exactly one.", "newPRSignedBy"),
  IT3037: page("error", "Bytes that are not standard base64", "Key bytes given as text that is not standard padded base64.", REJECTS, "Encode with `base64 -w0`.", "base64.StdEncoding"),
  IT3038: page("error", "sigstoreSigned: an empty list", "A list option with no entries.", REJECTS, "List at least one entry, or drop the option.", "newPRSigstoreSigned"),
  IT3039: page("error", "sigstoreSigned: not exactly one key source", "Not exactly one of keyPath(s), keyData(s), fulcio, pki.", REJECTS, "Keep exactly one.", "newPRSigstoreSigned"),
  IT3040: page("error", "sigstoreSigned: more than one Rekor key source", "Several Rekor key sources.", REJECTS, "Keep one.", "newPRSigstoreSigned"),
  IT3041: page("error", "sigstoreSigned: fulcio without Rekor", "A Fulcio requirement with no Rekor key.", REJECTS, "Add a Rekor key.", "newPRSigstoreSigned"),
  IT3042: page("error", "sigstoreSigned: pki with Rekor", "A PKI requirement with a Rekor key.", REJECTS, "Remove the Rekor key.", "newPRSigstoreSigned"),
  IT3043: page("error", "An invalid fulcio block", "CA source, oidcIssuer or subjectEmail missing or conflicting.", REJECTS, "Give one CA source, oidcIssuer and subjectEmail.", "newPRSigstoreSignedFulcio"),
  IT3044: page("error", "An invalid pki block", "Roots, intermediates or subject missing or conflicting.", REJECTS, "Give one roots source and a subject.", "newPRSigstoreSignedPKI"),
  IT3045: page("error", "An invalid signedIdentity", "An identity's reference or prefix does not parse.", REJECTS, "Write a valid reference or prefix.", "newPRMExactReference / newPRMRemapIdentity"),
  IT3046: page("error", "A string with no UTF-8 form", "A string holds an unpaired UTF-16 surrogate.", `It cannot be written as UTF-8; Go would read U+FFFD, another string. ${NOT_WRITTEN}`, "Fix the string."),
  IT3047: page("error", "An unknown requirement or identity type", "The IR holds a type the emitter does not know.", `${REJECTS} ${IR}`, "Use a known type."),
  IT3100: page("error", "A registries.d key newer than the target", "use-sigstore-attachments (or another key) for a target before it existed.", "The target would ignore the key, so the runtime would not do what the source says.", "Raise the target.", "docker/registries_d.go registryNamespace (per version)"),
  IT3101: page("warning", "A lookaside alias value dropped", "Both `lookaside` and its old alias are set, and the target knows only the alias.", "Only one value can be written for that target; the other is dropped.", "Set only one of the two."),
  IT3130: page("error", "A registries.d entry twice", "default-docker or a docker scope is defined twice in the IR.", "containers/image refuses duplicate scopes across the directory (loadAndMergeConfig).", "Merge the entries."),
  IT3131: page("error", "A registries.d string with no UTF-8 form", "A string holds an unpaired UTF-16 surrogate.", "It cannot be written as UTF-8.", "Fix the string."),
  IT3200: page("varies", "Writing the output failed", "Writing the output files failed (an error; nothing was changed), or a stale file could not be removed after a successful write (a warning).", "Files are written atomically (temporary file, then rename), so a failure never leaves half a policy.", "Check permissions and free space of the output directory."),
  IT3201: page("error", "`compile --check`: cannot read the output", "Reading the existing output directory failed.", "--check compares without writing; it cannot compare what it cannot read.", "Check the path and permissions."),
  IT3203: page("error", "A malformed target version", "The target named by the source or the options is not a version like 5.23.", "Every emitted key depends on the target.", "Give a version such as 5.23."),
  IT3204: page("varies", "The emitted file failed its self-check", "Our own loader rejected the policy.json we generated (an error: nothing is written), or the self-check could not run (a warning).", "An emitter bug must never reach a host.", "Report it as a bug in imagetrust, with the source."),
  IT3205: page("error", "A hand-written registries.d file defines a generated scope", "A file in the output registries.d defines a scope (or default-docker) we generate.", "containers/image refuses a scope defined in two files (loadAndMergeConfig).", "Remove the scope from one of them."),
  IT3206: page("error", "Would overwrite a hand-written file", "A file in the output registries.d has the name of a file we generate but was not generated by imagetrust.", "imagetrust never overwrites files it did not write.", "Rename or remove the hand-written file."),
  IT3207: page("error", "`import`: the policy has no .trust form", "The policy loads, but the language cannot say the same thing (e.g. a sigstoreSigned keyPath \"\" that 5.23 loads), or the source import would write does not compile.",
    "import never writes a source that compile then refuses: a user would find out only later, in CI.", "Change the policy as the message says (often: give the real key file), then import again.", "(*prSigstoreSigned).UnmarshalJSON"),
} as const;
