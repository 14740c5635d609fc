/** IR fixtures for the emitter tests: together they exercise every field of every IR type. */
import type { Policy, Requirement, RegistriesDConfig, TrustModel } from "../../src/ir/types.js";

const K1 = "bm9uc2Vuc2U="; // "nonsense"
const K2 = "a2V5LTI="; // "key-2"
const K3 = "a2V5LTM="; // "key-3"

/** A policy using only what containers/image 5.23.1 (Debian 12) knows. */
export function debianPolicy(): Policy {
  return {
    default: [{ type: "reject" }],
    transports: [
      {
        name: "docker",
        scopes: [
          { scope: "docker.io/library/busybox", requirements: [{ type: "insecureAcceptAnything" }] },
          { scope: "quay.io/exact", requirements: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/pki/k.gpg", signedIdentity: { type: "matchExact" } }] },
          { scope: "quay.io/digest-or-exact", requirements: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/pki/k.gpg", signedIdentity: { type: "matchRepoDigestOrExact" } }] },
          { scope: "quay.io/repository", requirements: [{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/a.gpg", "/b.gpg"], signedIdentity: { type: "matchRepository" } }] },
          { scope: "quay.io/exact-reference", requirements: [{ type: "signedBy", keyType: "signedByGPGKeys", keyData: K1, signedIdentity: { type: "exactReference", dockerReference: "quay.io/other/image:1.0" } }] },
          { scope: "quay.io/exact-repository", requirements: [{ type: "signedBy", keyType: "X509Certificates", keyPath: "/x.pem", signedIdentity: { type: "exactRepository", dockerRepository: "quay.io/other/image" } }] },
          { scope: "mirror.example:5000/vendor", requirements: [{ type: "signedBy", keyType: "signedByX509CAs", keyPath: "/ca.pem", signedIdentity: { type: "remapIdentity", prefix: "mirror.example:5000/vendor", signedPrefix: "vendor.example" } }] },
          { scope: "*.example.com", requirements: [{ type: "signedBy", keyType: "GPGKeys", keyPaths: [] }] },
          { scope: "empty-key-data.example", requirements: [{ type: "signedBy", keyType: "GPGKeys", keyData: "" }] },
          { scope: "sigstore.example/path", requirements: [{ type: "sigstoreSigned", keyPath: "/cosign.pub", signedIdentity: { type: "matchRepository" } }] },
          { scope: "sigstore.example/data", requirements: [{ type: "sigstoreSigned", keyData: K2 }] },
          { scope: "base.example", requirements: [{ type: "signedBaseLayer", baseLayerIdentity: { type: "exactRepository", dockerRepository: "base.example/os" } }, { type: "reject" }] },
        ],
      },
      { name: "dir", scopes: [{ scope: "", requirements: [{ type: "insecureAcceptAnything" }] }, { scope: "/var/images/trusted", requirements: [{ type: "insecureAcceptAnything" }] }] },
      { name: "oci", scopes: [{ scope: "/srv/oci:layout", requirements: [{ type: "insecureAcceptAnything" }] }] },
      { name: "containers-storage", scopes: [{ scope: "[overlay@/var/lib/containers/storage]", requirements: [{ type: "insecureAcceptAnything" }] }] },
      { name: "docker-daemon", scopes: [{ scope: "", requirements: [{ type: "insecureAcceptAnything" }] }] },
      { name: "docker-archive", scopes: [] },
      // Unknown transport names accept any scope: strings that need escaping and JS-reordered keys.
      { name: "Docker", scopes: [
        { scope: "zzz", requirements: [{ type: "reject" }] },
        { scope: "123", requirements: [{ type: "reject" }] },
        { scope: "quote\" backslash\\ tab\t nl\n ctl\u0001 del\u007f", requirements: [{ type: "reject" }] },
        { scope: "ünïcödé ☃ 😀 \u2028", requirements: [{ type: "reject" }] },
      ] },
    ],
    transportsPresent: true,
  };
}

/** A policy using every newest-format feature. */
export function newestPolicy(): Policy {
  const sig = (r: Omit<Extract<Requirement, { type: "sigstoreSigned" }>, "type">): Requirement => ({ type: "sigstoreSigned", ...r });
  return {
    default: [{ type: "reject" }],
    transports: [
      {
        name: "docker",
        scopes: [
          { scope: "a.example/key-path-rekor", requirements: [sig({ keyPath: "/k.pub", rekorPublicKeyPath: "/rekor.pub", signedIdentity: { type: "matchRepository" } })] },
          { scope: "a.example/key-paths-rekor-paths", requirements: [sig({ keyPaths: ["/k1.pub", "/k2.pub"], rekorPublicKeyPaths: ["/r1.pub", "/r2.pub"] })] },
          { scope: "a.example/key-data-rekor-data", requirements: [sig({ keyData: K1, rekorPublicKeyData: K2 })] },
          { scope: "a.example/key-datas-rekor-datas", requirements: [sig({ keyDatas: [K1, K2], rekorPublicKeyDatas: [K3] })] },
          { scope: "a.example/fulcio-path", requirements: [sig({ fulcio: { caPath: "/fulcio.pem", oidcIssuer: "https://token.actions.githubusercontent.com", subjectEmail: "ci@example.com" }, rekorPublicKeyPath: "/rekor.pub", signedIdentity: { type: "exactRepository", dockerRepository: "a.example/app" } })] },
          { scope: "a.example/fulcio-data", requirements: [sig({ fulcio: { caData: K3, oidcIssuer: "https://issuer", subjectEmail: "me@example.com" }, rekorPublicKeyData: K2 })] },
          { scope: "a.example/pki-paths", requirements: [sig({ pki: { caRootsPath: "/roots.pem", caIntermediatesPath: "/int.pem", subjectEmail: "a@example.com", subjectHostname: "build.example.com" } })] },
          { scope: "a.example/pki-data", requirements: [sig({ pki: { caRootsData: K1, caIntermediatesData: K2, subjectHostname: "h.example" }, signedIdentity: { type: "remapIdentity", prefix: "a.example", signedPrefix: "b.example/ns" } })] },
          { scope: "a.example/signed-by-everything", requirements: [
            { type: "signedBy", keyType: "GPGKeys", keyPaths: ["/1.gpg"], signedIdentity: { type: "exactReference", dockerReference: "a.example/x@sha256:" + "0".repeat(64) } },
            { type: "signedBaseLayer", baseLayerIdentity: { type: "matchExact" } },
          ] },
        ],
      },
    ],
  };
}

/** The smallest policy: no transports key. */
export function minimalPolicy(): Policy {
  return { default: [{ type: "insecureAcceptAnything" }], transports: [], transportsPresent: false };
}

/** containers/image's shipped default-policy.json. */
export function shippedDefaultPolicy(): Policy {
  return {
    default: [{ type: "insecureAcceptAnything" }],
    transports: [{ name: "docker-daemon", scopes: [{ scope: "", requirements: [{ type: "insecureAcceptAnything" }] }] }],
  };
}

/** A registries.d configuration using every key. */
export function fullRegistriesD(): RegistriesDConfig {
  return {
    defaultDocker: { file: "default.yaml", storage: { lookaside: "file:///var/lib/containers/sigstore", lookasideStaging: "file:///var/lib/containers/staging" } },
    docker: [
      { scope: "registry.access.redhat.com", file: "x.yaml", storage: { lookaside: "https://access.redhat.com/webassets/docker/content/sigstore" } },
      { scope: "registry.redhat.io", file: "x.yaml", storage: { sigstore: "https://registry.redhat.io/containers/sigstore", sigstoreStaging: "file:///tmp/staging" } },
      { scope: "quay.io/acme", file: "x.yaml", storage: { useSigstoreAttachments: true } },
      { scope: "quay.io/acme/app", file: "x.yaml", storage: { lookaside: "https://sigs.example/a b?x=1#frag: \"q\" 'single' #not-comment", useSigstoreAttachments: false } },
      { scope: "*.example.com", file: "x.yaml", storage: { lookaside: "https://wild.example/sigs" } },
      { scope: "localhost:5000", file: "x.yaml", storage: { lookaside: "file:///srv/sigs/ünï\ttab" } },
      { scope: "empty.example", file: "x.yaml", storage: {} },
    ],
  };
}

/** A whole trust model (policy + registries.d) for the combined emitter. */
export function fullTrustModel(): TrustModel {
  return { policy: debianPolicy(), registriesD: fullRegistriesD(), expectations: [] };
}
