/** Catalogue band IT5800–IT5829 and IT2200–IT2219: signer identities (keyless CI URIs, e-mail), a tag that moved after signing (issue 12), and why a GPG signature was rejected (IT5803–IT5806). */
import { page } from "./entry.js";

/** Why a node can never match a CI workflow's keyless certificate (said by IT2200, IT2201, IT4028 and IT5800). */
export const NODE_EMAIL_ONLY =
  "On nodes (podman, CRI-O, skopeo) containers/image compares fulcio.subjectEmail with the certificate's e-mail Subject Alternative Names only " +
  "(signature/fulcio_cert.go, verifyFulcioCertificateAtTime: slices.Contains(EmailAddresses, subjectEmail)); a certificate that Fulcio issues to a CI " +
  "workflow (GitHub Actions, GitLab CI, Buildkite, …) names the workflow by a URI SAN and carries no e-mail SAN, so it can never match. No released " +
  "version (up to 5.39) reads URI SANs: workflow identities are proposed upstream (containers/container-libs#34, PR #625; the earlier " +
  "containers/image PR #2235 was closed), not released.";

/** The ways out, in the order a user can take them. */
export const NODE_EMAIL_ONLY_OPTIONS =
  "Options: (1) sign in CI with a key pair (cosign sign --key …) and trust the public key (`key NAME sigstore file \"…\"`, keyPath); " +
  "(2) an e-mail identity, for a signer whose OIDC token carries an e-mail (a person, a cloud service account) — `email \"…\"`; " +
  "(3) enforce the workflow identity at admission instead (`compile --target-k8s policy-controller|kyverno`, which match URI SANs); " +
  "(4) wait for a containers/image release that supports workflow identities and then raise the target.";

/** Entries of this band (code → page). */
export const EVIDENCE_IDENTITY_ENTRIES = {
  IT2200: page(
    "error",
    "A workflow identity cannot be matched on nodes",
    "A fulcio key names its signer by a CI workflow URI (`workflow \"https://github.com/…/release.yml@refs/heads/main\"`), and the source is compiled for nodes (policy.json) — compile, test, simulate, lint and validate all judge for nodes; only compile --target-k8s judges for a cluster.",
    NODE_EMAIL_ONLY,
    NODE_EMAIL_ONLY_OPTIONS,
    "signature/fulcio_cert.go (*fulcioTrustRoot).verifyFulcioCertificateAtTime",
  ),
  IT2201: page(
    "varies",
    "An e-mail identity that is a URI",
    "A fulcio or pki key's `email` holds a URI (e.g. a GitHub Actions workflow). An error when compiling for nodes, where it can never match; a warning for admission targets, which compare `subject` with every SAN and so do match a URI there.",
    `${NODE_EMAIL_ONLY} pki.subjectEmail is compared with e-mail SANs in the same way (pki_cert.go).`,
    "If the signer is a CI workflow, write `workflow \"URI\"` (admission targets) — on nodes see IT2200's options. If it is a person or service account, write its e-mail address. (Other values without '@' are reported by lint rule IT4028.)",
    "signature/fulcio_cert.go verifyFulcioCertificateAtTime; signature/pki_cert.go verifyPKI",
  ),
  IT2202: page(
    "error",
    "A Fulcio key names two subjects",
    "A fulcio key has both `email` and `workflow`.",
    "A keyless certificate is matched against one identity; containers/image's fulcio has one subjectEmail, admission identities one subject.",
    "Keep the one that names the signer: `email` for a person or service account, `workflow` for a CI workflow.",
  ),
  IT2203: page(
    "error",
    "A workflow identity that is not a URI or regular expression",
    "`workflow \"…\"` / `workflow prefix \"…\"` must be a URI with a scheme (https://github.com/…); `workflow regexp \"…\"` must be a regular expression.",
    "Fulcio puts CI identities into URI SANs (https://github.com/OWNER/REPO/.github/workflows/FILE@REF for GitHub Actions); a value without a scheme never equals one. Admission controllers compile subjectRegExp with Go's regexp package.",
    "Write the full workflow URI as the certificate carries it (cosign verify … --certificate-identity prints it), or a valid regular expression.",
  ),
  IT2204: page(
    "warning",
    "A workflow regexp that is not anchored",
    "`workflow regexp \"…\"` does not start with ^ and end with $.",
    "policy-controller and Kyverno match subjectRegExp with Go's regexp.MatchString, which finds the pattern anywhere in the URI: `acme/app/.github/workflows/release.yml` also matches https://github.com/evil/acme/app/.github/workflows/release.yml@… (another repository).",
    "Anchor it: ^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v.*$ — or use `workflow prefix \"…\"`, which is anchored for you.",
  ),
  IT5800: page(
    "error",
    "The certificate's identity is not the one the policy asks for",
    "A keyless (Fulcio) or PKI signature was rejected because its certificate's subject or OIDC issuer differs from the policy's; the finding lists every SAN the certificate carries (kind and value) and the OIDC issuer extension, beside what the policy asked for.",
    `containers/image checks the issuer extension (1.3.6.1.4.1.57264.1.8, or the older .1.1) against fulcio.oidcIssuer, then looks for fulcio.subjectEmail among the e-mail SANs only. ${NODE_EMAIL_ONLY}`,
    `When the certificate carries a URI SAN (a CI workflow): ${NODE_EMAIL_ONLY_OPTIONS} Otherwise correct the policy's issuer or e-mail to the values the certificate shows.`,
    "signature/fulcio_cert.go verifyFulcioCertificateAtTime, fulcioIssuerInCertificate; signature/pki_cert.go",
  ),
  IT5801: page(
    "error",
    "Tag moved after signing: the signature is for another manifest digest",
    "A signature was made for one manifest (its docker-manifest-digest) and the image now has another: typically the tag was pushed again (a rebuild, a retag) after signing, or a manifest list was signed but an instance is pulled (or the reverse).",
    "containers/image recomputes the manifest digest and compares it with the signed docker-manifest-digest before anything else (signature/policy_eval_signedby.go and policy_eval_sigstore.go via internal.VerifyDockerManifestSignature / VerifySigstorePayload: `Signature for digest … does not match`); the tag plays no part in that comparison.",
    "Sign the image again after the last push (cosign sign / skopeo copy --sign-by on the new digest), or pull the digest that was signed (name@sha256:…).",
    "signature/docker.go VerifyDockerManifestSignature; signature/policy_eval_signedby.go; signature/policy_eval_sigstore.go",
  ),
  IT5802: page(
    "error",
    "Tag moved after signing: the signature claims another reference",
    "The digest matches, but the signature's claimed docker-reference (the name it was signed for) is not accepted for the pulled reference under the policy's signedIdentity: e.g. signed as app:1.0, pulled as app:latest, with matchRepoDigestOrExact, which compares tags exactly.",
    "containers/image matches the claimed identity with the requirement's signedIdentity (signature/policy_reference_match.go: matchExact and matchRepoDigestOrExact compare the whole reference for tagged pulls — a digest pull compares the repository only — matchRepository the repository, exactReference/exactRepository a fixed name, remapIdentity after rewriting the prefix): `Signature for identity … is not accepted`.",
    "Pull the reference that was signed, sign the tag you pull, or use `identity repository` (matchRepository) when any tag of the signed repository may be run.",
    "signature/policy_reference_match.go PolicyReferenceMatch.matchesDockerReference; signature/policy_eval_signedby.go",
  ),
  IT5803: page("error", "A signature by a key the policy does not trust", "A GPG signature was rejected because the key that made it is not in the policy's keyring, or is in it but not one the policy trusts (a subkey before 5.37). Carried under the rejected signature by `verify` and `simulate` (`code` in JSON), and named by `expect deny … because IT5803`.", "containers/image verifies a simple signature with the requirement's keyring only (gpgme: `Invalid GPG signature: gpgme.Signature{…}` for an unknown key) and accepts only keys trusted by fingerprint (`Signature by key … is not accepted`).", "Sign with a key the policy trusts, or add the signer's public key to the requirement (`key NAME gpg file …`).", "signature/mechanism_gpgme.go gpgmeSigningMechanism.Verify; signature/policy_eval_signedby.go prSignedBy.isSignatureAuthorAccepted"),
  IT5804: page("error", "A signature that does not verify", "A GPG signature names a key of the policy's keyring but does not verify with it: the signed data or the signature was altered.", "gpgme reports a bad signature; containers/image rejects it (`Invalid GPG signature: …`).", "Sign the image again; check that nothing rewrote the signature file.", "signature/mechanism_gpgme.go gpgmeSigningMechanism.Verify"),
  IT5805: page("error", "An expired signature or signing key", "A GPG signature, or the key that made it, has expired.", "gpgme refuses a signature whose own expiry or whose key's expiry has passed; containers/image rejects it (`Invalid GPG signature: …`).", "Renew the key's expiry and re-export it into the policy's keyring, or sign again with a valid key.", "signature/mechanism_gpgme.go gpgmeSigningMechanism.Verify"),
  IT5806: page("error", "A signature by a revoked key", "The key that made a GPG signature has been revoked (the policy's keyring holds its revocation).", "gpgme refuses signatures of revoked keys; containers/image rejects them (`Invalid GPG signature: …`).", "Sign with a key that is not revoked, and remove the revoked key from the policy.", "signature/mechanism_gpgme.go gpgmeSigningMechanism.Verify"),
} as const;
