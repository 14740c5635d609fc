/** Catalogue band IT7000–IT7999: Kubernetes admission targets (policy-controller, Kyverno; src/k8s/codes.ts). */
import { page } from "./entry.js";

const ADMISSION = "Admission controllers verify cosign signatures of registry images at the API server; they are not containers/image.";
const REFUSED = "The translation would change who is allowed, so nothing is written for it.";

/** IT7xxx entries. */
export const K8S_ENTRIES = {
  IT7000: page("error", "signedBy (GPG) has no admission form", "A signedBy requirement (GPG simple signing).", `${ADMISSION} Neither policy-controller nor Kyverno verifies GPG signatures. ${REFUSED}`, "Sign with sigstore (cosign) and use sigstoreSigned for the scope."),
  IT7001: page("warning", "The signed identity is not checked", "A signedIdentity bound to the pulled reference.", `${ADMISSION} Admission checks the signed digest, not the name claimed in the signature.`, "Accept the difference, or keep the node policy as the authority."),
  IT7002: page("error", "An identity rule that cannot be translated", "exactReference, exactRepository or remapIdentity.", `${ADMISSION} The accepted signatures would change. ${REFUSED}`, "Use the default identity for scopes enforced by admission."),
  IT7003: page("warning", "signedBaseLayer", "signedBaseLayer always denies on the node.", "containers/image never implemented it (prSignedBaseLayer.isRunningImageAllowed denies); it is emitted as a rejection.", "Replace it with reject if that is what is meant."),
  IT7004: page("error", "sigstoreSigned.pki has no admission form", "X.509 PKI without Fulcio.", `${ADMISSION} ${REFUSED}`, "Use keys or Fulcio for scopes enforced by admission."),
  IT7005: page("warning", "A Rekor key that cannot be inline", "The target cannot take the Rekor public key inline (policy-controller needs a TrustRoot).", ADMISSION, "Create the TrustRoot the message names."),
  IT7006: page("warning", "sigstoreSigned without a key", "A sigstoreSigned requirement with no key at all (it denies on the node).", ADMISSION, "Give it a key, or write reject."),
  IT7020: page("warning", "The cluster is stricter for a scope", "The cluster applies more requirements to a scope than the node (every matching policy applies there).", "containers/image uses only the most specific scope (requirementsForImageRef); admission applies every matching policy.", "Accept it, or narrow the parent scope."),
  IT7021: page("error", "The cluster would be more permissive", "The cluster would apply fewer requirements to a scope than the node.", `${ADMISSION} ${REFUSED}`, "Restructure the scopes so each image matches the same requirements."),
  IT7022: page("warning", "A tag scope never matches at admission", "A scope with a tag.", "Admission sees references resolved to digests, so a tag glob never matches.", "Use repository scopes."),
  IT7023: page("warning", "An index.docker.io scope", "A scope spelled index.docker.io/….", "On the node it never matches (references normalise to docker.io) but would on the cluster; it is left out.", "Write docker.io/…."),
  IT7024: page("varies", "A pattern that matches other references", "The admission glob matches other references than the node scope (an error when the cluster would admit more easily, else a warning).", ADMISSION, "Narrow the scope or accept the approximation."),
  IT7040: page("error", "A key file that cannot be read", "A key file named by the policy cannot be read while translating.", "The manifests carry keys inline.", "Check the path, or run where the keys are."),
  IT7041: page("error", "keyData that is not PEM", "keyData is not base64, or not PEM text once decoded.", "Admission controllers take PEM keys.", "Give a PEM public key."),
  IT7060: page("info", "A transport admission does not govern", "A non-docker transport.", "Admission only sees registry references.", "Nothing to do; the node policy still applies."),
  IT7061: page("info", "warn / Audit mode", "The cluster only reports, it does not deny.", ADMISSION, "Switch to enforce when ready."),
  IT7062: page("info", "Lookaside signatures are not used", "The node reads signatures from a lookaside server.", "Admission reads cosign attachments from the registry only.", "Publish signatures as attachments too."),
  IT7900: page("error", "Cannot write the manifests", "Writing the generated Kubernetes manifests failed.", "Nothing partial is left (atomic write).", "Check permissions of the output directory."),
} as const;
