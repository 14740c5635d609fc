/** Catalogue band IT5830–IT5869: where signatures are stored and which the runtime reads (cosign bundles, referrers), per-instance verdicts of multi-arch images (issue 12). */
import { page } from "./entry.js";

const READS =
  "containers/image reads signatures from two places only: the registries.d lookaside and, with `use-sigstore-attachments: true`, the layers of the `sha256-<hex>.sig` tag. No released version up to 5.39 reads OCI 1.1 referrers. Upstream main has begun reading referrers of cosign/sigstore artifact types (with `use-sigstore-attachments`), but even there a Sigstore bundle layer is no signature until bundle verification lands (containers/container-libs#388, PR #1153, open).";
const OLD_FORMAT =
  "Sign in cosign's old format, into the `.sig` tag: `cosign sign --new-bundle-format=false --use-signing-config=false IMAGE@DIGEST` (cosign 3; do not add `--registry-referrers-mode=oci-1-1`), and set `use-sigstore-attachments: true` in registries.d for the namespace. `cosign verify` accepts either format, so a green `cosign verify` proves nothing about podman.";
const LOOKUP = "docker/docker_image_src.go GetSignaturesWithFormat, getSignaturesFromSigstoreAttachments; docker/docker_client.go sigstoreAttachmentTag";
const CHOOSE = "copy/copy.go Image (CopySystemImage: ChooseInstance, then copyOneImage → IsRunningImageAllowed on the instance); manifest ChooseInstance; internal/pkg/platform WantedPlatforms";

/** Entries of this band (code → page). */
export const EVIDENCE_ARTIFACTS_ENTRIES = {
  IT5830: page("warning", "A signature stored as an OCI 1.1 referrer (referrers API): the runtime does not read it",
    "The registry's referrers API (`GET /v2/<name>/referrers/<digest>`) lists a signature of the image — typically a Sigstore bundle that cosign 3 wrote by default (`--new-bundle-format` is on since cosign v3.0.0).",
    READS, OLD_FORMAT, LOOKUP),
  IT5831: page("warning", "A signature stored under the referrers tag sha256-<hex>: the runtime does not read it",
    "The image's referrers tag (`sha256-<hex>`, no `.sig` suffix: the distribution-spec's fallback for registries without the referrers API) holds an index naming a signature of the image.",
    READS, OLD_FORMAT, LOOKUP),
  IT5832: page("warning", "Signatures in the .sig tag are not read: use-sigstore-attachments is off",
    "The `sha256-<hex>.sig` tag holds cosign signatures, but registries.d does not set `use-sigstore-attachments: true` for this image's namespace, so the runtime never asks for the tag.",
    "`getSignaturesFromSigstoreAttachments` returns nothing unless `use-sigstore-attachments` is true for the namespace (registries.d, most specific `docker:` entry, else `default-docker`).",
    "Add `use-sigstore-attachments: true` to the registries.d entry for the namespace (or `default-docker`).", LOOKUP),
  IT5833: page("info", "An attestation, not a signature",
    "An in-toto attestation (a DSSE envelope, or a Sigstore bundle whose predicate type is not cosign's signature type) is stored for the image.",
    "containers/image policies decide on signatures only; attestations (SLSA provenance, SBOMs, …) are never read.",
    "Nothing to do for the runtime; sign the image as well if the policy requires a signature.", LOOKUP),
  IT5834: page("info", "Another artifact stored for the image",
    "An artifact of a kind that is neither a signature nor an attestation refers to the image.", READS, "Nothing, unless it was meant to be a signature.", LOOKUP),
  IT5835: page("error", "Signed, but not where the runtime looks",
    "A signature was required and the runtime finds none, yet signatures of the image exist: only in places containers/image does not read (referrers, the referrers tag, or a `.sig` tag it was not told to read). The verdict is deny, as on every node.",
    READS, OLD_FORMAT, LOOKUP),
  IT5836: page("info", "The Sigstore bundle would satisfy the policy if it were read",
    "A Sigstore bundle found for the image passes the policy's checks that a bundle can answer: signature, Rekor SET with the policy's Rekor key, certificate chain to the policy's Fulcio CA (or PKI roots) with the policy's issuer and e-mail, subject digest equal to the image's. A bundle names no docker-reference, so `signedIdentity` cannot be checked.",
    "The policy would accept this signer; only the storage format keeps the runtime from seeing it.", OLD_FORMAT,
    "signature/policy_eval_sigstore.go isSignatureAccepted; signature/internal/rekor_set.go VerifyRekorSET; signature/fulcio_cert.go"),
  IT5837: page("info", "The Sigstore bundle would not satisfy the policy even if it were read",
    "A Sigstore bundle found for the image fails a check of the policy (the check and both values are named): re-signing in the old format with the same signer would still be denied.",
    "The bundle is checked by the rules containers/image applies to sigstore signatures.", "Fix the signer (key, Fulcio identity, Rekor) or the policy first, then re-sign in the old format.",
    "signature/policy_eval_sigstore.go isSignatureAccepted"),
  IT5838: page("warning", "A Sigstore bundle in the .sig tag: read, but not a signature to the runtime",
    "The `sha256-<hex>.sig` tag holds a layer of type `application/vnd.dev.sigstore.bundle.v0.3+json`. The runtime reads it and counts it as a non-signature attachment: only `application/vnd.dev.cosign.simplesigning.v1+json` layers are signatures.",
    "`prSigstoreSigned.isRunningImageAllowed` skips attachments whose MIME type is not the cosign simple-signing type.", OLD_FORMAT,
    "signature/policy_eval_sigstore.go isRunningImageAllowed"),
  IT5839: page("info", "A place where signatures can be stored could not be searched",
    "Looking for signatures in a place the runtime does not read (the referrers API, the referrers tag, the `.att` tag) failed; the verdict does not depend on it, but a signature stored there would not have been reported.",
    "These places are searched only to explain a denial.", "Check the registry's answer shown; retry."),
  IT5840: page("error", "--platform does not apply here",
    "`--platform` names the instance of a manifest list a pull takes. It was given where there is no list to choose from: without `--online` and without a list manifest (`--manifest`, a `dir:` or `oci:` layout), or for an image that is a single manifest.",
    "Silently ignoring the flag would report a verdict for something other than what was asked.", "Drop `--platform`, or give a manifest list (`--online`, `--manifest LIST.json`, a `dir:`/`oci:` layout holding an index)."),
  IT5841: page("warning", "The list is signed, this instance is not",
    "The manifest list (index) has signatures, the instance has none. A pull checks the policy against the instance for its platform (its digest, its signatures), never the list, so the pull is denied; `cosign sign` of a tag or list digest signs the list only.",
    "copy.Image with CopySystemImage calls IsRunningImageAllowed on the chosen instance only; with CopyAllImages each instance is checked and the list's signatures are only copied.",
    "Sign every instance as well: `cosign sign --recursive IMAGE@LIST_DIGEST` (with `--new-bundle-format=false --use-signing-config=false` so that the runtime reads them).", CHOOSE),
  IT5842: page("info", "The instance a pull takes on this platform",
    "For a manifest list, the instance `podman pull` (or `skopeo copy` without `--all`) takes on the platform shown, chosen as containers/image chooses it (exact os/architecture/variant, the variant compatibility order, an OCI index's platform-less entry last), and its verdict.",
    "The policy is checked against that instance only.", "Use `--platform OS/ARCH[/VARIANT]` to ask for another platform.", CHOOSE),
  IT5843: page("error", "No instance of the list for the platform",
    "The manifest list has no instance for the platform, so the pull fails before the policy is consulted (`choosing an image from manifest list …: no image found in manifest list for architecture …`).",
    "ChooseInstance finds no match for any wanted platform.", "Pull another platform (`--platform`) or add the instance to the list.", CHOOSE),
} as const;
