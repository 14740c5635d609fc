/**
 * fast-check arbitraries for the IR (src/ir/types.ts): policies with every requirement and identity type,
 * registries.d configurations, whole trust models. `features: "5.23"` restricts them to what containers/image
 * 5.23 parses (no fulcio, rekor keys, sigstore key lists or pki), for the skopeo acceptance sample.
 */
import fc from "fast-check";
import type {
  Expectation,
  FulcioConfig,
  IdentityMatch,
  PkiConfig,
  Policy,
  RegistriesDConfig,
  Requirement,
  ScopeEntry,
  SigstoreSigned,
  TransportPolicy,
  TrustModel,
} from "../../src/ir/types.js";
import { SIGNED_BY_KEY_TYPES } from "../../src/ir/types.js";

/** Which containers/image the generated IR must load on: the newest, or 5.23 (Debian 12's skopeo). */
export type FeatureSet = "newest" | "5.23";

const HEX = "0123456789abcdef".repeat(4);

/** Hostnames, including ports, IPs and upper-case-free unusual ones. */
const host = fc.constantFrom("quay.io", "docker.io", "registry.example.com", "localhost:5000", "10.0.0.1:5000", "a-b.c.example", "my.registry:443", "xn--bcher-kva.example");
const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?$/);
const repository = fc.tuple(host, fc.array(component, { minLength: 1, maxLength: 3 })).map(([h, cs]) => `${h}/${cs.join("/")}`);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/);
/** A docker reference with a tag or a digest (what exactReference takes). */
export const namedReference = fc.oneof(
  fc.tuple(repository, tag).map(([r, t]) => `${r}:${t}`),
  repository.map((r) => `${r}@sha256:${HEX}`),
);
/** A docker scope: host, namespace, repository, tagged or digested reference, or a wildcard host. */
export const dockerScope = fc.oneof(
  host,
  repository,
  namedReference,
  fc.tuple(fc.array(component, { minLength: 1, maxLength: 2 })).map(([cs]) => `*.${cs.join(".")}.example`),
);
/** Absolute paths with characters that need quoting in JSON, YAML and .trust. */
export const absPath = fc
  .array(fc.oneof(component, fc.constantFrom("a b", "ü", "☃", 'q"uote', "back\\slash", "tab\tx", "#hash", "'apos'", "{brace}", "x:y")), { minLength: 1, maxLength: 4 })
  .map((cs) => `/${cs.join("/")}`);
const base64 = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("base64"));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

/** Every identity type. */
export const identity: fc.Arbitrary<IdentityMatch> = fc.oneof(
  fc.constantFrom<IdentityMatch>({ type: "matchExact" }, { type: "matchRepoDigestOrExact" }, { type: "matchRepository" }),
  namedReference.map((dockerReference): IdentityMatch => ({ type: "exactReference", dockerReference })),
  repository.map((dockerRepository): IdentityMatch => ({ type: "exactRepository", dockerRepository })),
  fc.tuple(fc.oneof(host, repository), fc.oneof(host, repository)).map(([prefix, signedPrefix]): IdentityMatch => ({ type: "remapIdentity", prefix, signedPrefix })),
);

/** Drop keys whose value is undefined (the IR leaves optional fields out). */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

const email = fc.constantFrom("a@example.com", "ci@acme.example", "x+y@z.example");
const issuer = fc.constantFrom("https://token.actions.githubusercontent.com", "https://oauth2.sigstore.dev/auth", "https://issuer.example/ä");

function fulcio(): fc.Arbitrary<FulcioConfig> {
  return fc.tuple(fc.boolean(), absPath, base64, issuer, email).map(([byPath, p, d, oidcIssuer, subjectEmail]) => clean({ caPath: byPath ? p : undefined, caData: byPath ? undefined : d, oidcIssuer, subjectEmail }));
}
function pki(): fc.Arbitrary<PkiConfig> {
  return fc
    .tuple(fc.boolean(), absPath, base64, fc.constantFrom(0, 1, 2), absPath, base64, opt(email), opt(fc.constantFrom("host.example", "ci.acme.example")))
    .filter(([, , , , , , e, h]) => e !== undefined || h !== undefined)
    .map(([byPath, p, d, im, ip, id, subjectEmail, subjectHostname]) =>
      clean({
        caRootsPath: byPath ? p : undefined,
        caRootsData: byPath ? undefined : d,
        caIntermediatesPath: im === 1 ? ip : undefined,
        caIntermediatesData: im === 2 ? id : undefined,
        subjectEmail,
        subjectHostname,
      }),
    );
}

function sigstore(features: FeatureSet): fc.Arbitrary<SigstoreSigned> {
  const newest = features === "newest";
  const trust = newest ? fc.constantFrom("keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki") : fc.constantFrom("keyPath", "keyData");
  const rekor = newest ? fc.constantFrom("none", "path", "paths", "data", "datas") : fc.constant("none");
  return fc
    .tuple(trust, rekor, absPath, fc.array(absPath, { minLength: 1, maxLength: 3 }), base64, fc.array(base64, { minLength: 1, maxLength: 3 }), fulcio(), pki(), opt(identity))
    .map(([t, rk, p, ps, d, ds, f, k, signedIdentity]) => {
      const r: SigstoreSigned = { type: "sigstoreSigned" };
      if (t === "keyPath") r.keyPath = p;
      if (t === "keyPaths") r.keyPaths = ps;
      if (t === "keyData") r.keyData = d;
      if (t === "keyDatas") r.keyDatas = ds;
      if (t === "fulcio") r.fulcio = f;
      if (t === "pki") r.pki = k;
      // fulcio needs a Rekor key upstream; the others may have one.
      // (pki takes none).
      const rekorKind = t === "pki" ? "none" : t === "fulcio" && rk === "none" ? "data" : rk;
      if (rekorKind === "path") r.rekorPublicKeyPath = p;
      if (rekorKind === "paths") r.rekorPublicKeyPaths = ps;
      if (rekorKind === "data") r.rekorPublicKeyData = d;
      if (rekorKind === "datas") r.rekorPublicKeyDatas = ds;
      if (signedIdentity) r.signedIdentity = signedIdentity;
      return r;
    });
}

/** Every requirement type (signedBy with each key form and keyType, sigstoreSigned with each trust root). */
export function requirement(features: FeatureSet = "newest"): fc.Arbitrary<Requirement> {
  const signedBy = fc
    .tuple(fc.constantFrom(...SIGNED_BY_KEY_TYPES), fc.constantFrom("keyPath", "keyPaths", "keyData"), absPath, fc.array(absPath, { maxLength: 3 }), base64, opt(identity))
    .map(([keyType, form, p, ps, d, signedIdentity]): Requirement =>
      clean({ type: "signedBy" as const, keyType, keyPath: form === "keyPath" ? p : undefined, keyPaths: form === "keyPaths" ? ps : undefined, keyData: form === "keyData" ? d : undefined, signedIdentity }),
    );
  return fc.oneof(
    fc.constantFrom<Requirement>({ type: "insecureAcceptAnything" }, { type: "reject" }),
    signedBy,
    sigstore(features),
    identity.map((baseLayerIdentity): Requirement => ({ type: "signedBaseLayer", baseLayerIdentity })),
  );
}

const requirements = (features: FeatureSet) => fc.array(requirement(features), { minLength: 1, maxLength: 3 });

/** Scopes each transport accepts (upstream's ValidatePolicyConfigurationScope). */
const TRANSPORT_SCOPES: Record<string, fc.Arbitrary<string>> = {
  docker: dockerScope,
  "docker-daemon": namedReference,
  dir: absPath,
  oci: absPath,
  "oci-archive": absPath,
  // docker-archive and tarball take only the "" scope.
  "docker-archive": fc.constant(""),
  sif: absPath,
  tarball: fc.constant(""),
  // containers-storage scopes start with the store.
  "containers-storage": fc
    .tuple(fc.constantFrom("[overlay@/var/lib/containers/storage]", "[vfs@/s/g+/run/x]"), fc.oneof(fc.constant(""), repository, namedReference))
    .map(([store, ref]) => store + ref),
  "x-unknown-transport": fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
};

function transport(name: string, features: FeatureSet): fc.Arbitrary<TransportPolicy> {
  const scope = TRANSPORT_SCOPES[name];
  return fc
    .uniqueArray(fc.oneof({ arbitrary: fc.constant(""), weight: 1 }, { arbitrary: scope, weight: 6 }), { maxLength: 4 })
    .chain((scopes) => fc.tuple(...scopes.map((s) => requirements(features).map((reqs): ScopeEntry => ({ scope: s, requirements: reqs })))))
    .map((scopes) => ({ name, scopes }));
}

/** A whole policy: a default and up to four transport sections. */
export function policy(features: FeatureSet = "newest"): fc.Arbitrary<Policy> {
  const names = Object.keys(TRANSPORT_SCOPES);
  return fc
    .tuple(requirements(features), fc.uniqueArray(fc.constantFrom(...names), { maxLength: 4 }))
    .chain(([def, ts]) => fc.tuple(fc.constant(def), fc.tuple(...ts.map((t) => transport(t, features)))))
    .map(([def, transports]): Policy => ({ default: def, transports, ...(transports.length > 0 ? { transportsPresent: true } : {}) }));
}

/** Control characters percent-encoded: net/url refuses them raw (the checker warns, IT2193). */
// eslint-disable-next-line no-control-regex
const escapeControls = (p: string) => p.replace(/[\x00-\x1f\x7f]/g, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase());

const url = fc.oneof(
  fc.tuple(fc.constantFrom("https://", "http://", "file://"), fc.constantFrom("sigs.example.com", "a.b", "localhost:8080"), absPath).map(([s, h, p]) => (s === "file://" ? `file://${escapeControls(p)}` : `${s}${h}${encodeURI(p)}`)),
);

/** A registries.d configuration (newest format) with every setting. */
export function registriesD(): fc.Arbitrary<RegistriesDConfig> {
  const storage = fc.record(
    { lookaside: url, lookasideStaging: url, useSigstoreAttachments: fc.boolean() },
    { requiredKeys: [] },
  ).filter((s) => Object.keys(s).length > 0);
  return fc
    .tuple(opt(storage), fc.uniqueArray(fc.tuple(fc.oneof(host, repository, namedReference), storage), { selector: ([s]) => s, maxLength: 4 }))
    .map(([dd, entries]) => ({
      ...(dd ? { defaultDocker: { file: "default.yaml", storage: dd } } : {}),
      docker: entries.map(([scope, storage]) => ({ scope, file: `${scope.split("/")[0].replace(/:/g, "_")}.yaml`, storage })),
    }));
}

const expectation: fc.Arbitrary<Expectation> = fc
  .tuple(fc.constantFrom("allow" as const, "deny" as const), namedReference, opt(fc.oneof(fc.constant(""), host)))
  .map(([verdict, ref, scope]) => clean({ verdict, reference: `docker://${ref}`, scope }));

/** A whole trust model (what a .trust source compiles to). */
export function trustModel(features: FeatureSet = "newest"): fc.Arbitrary<TrustModel> {
  return fc
    .tuple(policy(features), registriesD(), fc.array(expectation, { maxLength: 2 }), opt(fc.constant(features === "5.23" ? "5.23" : "5.39")))
    .map(([p, r, expectations, target]) => clean({ policy: p, registriesD: withAttachments(p, r), expectations, target }));
}

/**
 * A policy that asks for sigstore signatures needs use-sigstore-attachments wherever it applies, or the
 * checker rightly refuses the model (IT2150): turn it on for the default and every entry.
 */
function withAttachments(p: Policy, r: RegistriesDConfig): RegistriesDConfig {
  const all = [...p.default, ...p.transports.flatMap((t) => t.scopes.flatMap((s) => s.requirements))];
  if (!all.some((q) => q.type === "sigstoreSigned")) return r;
  return {
    defaultDocker: { file: r.defaultDocker?.file ?? "default.yaml", storage: { ...r.defaultDocker?.storage, useSigstoreAttachments: true } },
    docker: r.docker.map((e) => ({ ...e, storage: { ...e.storage, useSigstoreAttachments: true } })),
  };
}
