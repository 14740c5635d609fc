/**
 * What each keyword of the trust language means, for hovers and completion details: what it compiles to in
 * policy.json / registries.d, with upstream's spelling. A test checks that every keyword of the token set
 * (src/syntax/tokens.ts) has an entry.
 */

/** Keyword → one short Markdown paragraph. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  target: '`target "5.23"` — the oldest containers/image version the output must load on. Fields newer than it are errors; messages follow that version.',
  key: "`key NAME KIND SOURCE` — declares a key: `gpg` (signedBy), `sigstore` (sigstoreSigned public key), `rekor`, `fulcio` or `pki`.",
  gpg: "`gpg` — a GPG public key (keyring) for a `signedBy` requirement (`keyType: GPGKeys`).",
  sigstore: "`sigstore` — a sigstore (cosign) public key for a `sigstoreSigned` requirement. In a `signatures` block: the deprecated spelling of `lookaside`.",
  "sigstore-staging": "`sigstore-staging \"URL\"` — deprecated spelling of `staging` (registries.d `sigstore-staging`).",
  fulcio: "`fulcio ca … issuer … email …` — keyless sigstore: certificates from a Fulcio CA for one OIDC issuer and e-mail (`sigstoreSigned.fulcio`, 5.24+).",
  pki: "`pki roots … [intermediates …] email|hostname …` — sigstore signatures by X.509 certificates from your own CA (`sigstoreSigned.pki`, 5.35+).",
  rekor: "`rekor` — a Rekor transparency-log public key (`rekorPublicKeyPath`/`Data`), used with `signed by KEY with REKOR`.",
  keytype: "`keytype NAME` — the signedBy `keyType` (default `GPGKeys`; upstream implements only GPGKeys).",
  file: '`file "PATH"` — the key is read from this file on the machine that pulls (`keyPath`, `caPath`, …).',
  files: '`files "A" "B"` — any of these key files (`keyPaths`, 5.33+).',
  data: '`data "BASE64"` — the key inline, base64 (`keyData`, `caData`, …).',
  datas: '`datas "B1" "B2"` — any of these inline keys (`keyDatas`, 5.33+).',
  ca: "`ca file|data …` — the Fulcio CA certificate (`fulcio.caPath` / `caData`).",
  issuer: '`issuer "URL"` — the OIDC issuer the Fulcio certificate must name (`fulcio.oidcIssuer`).',
  email: '`email "ADDRESS"` — the e-mail the certificate must name (`subjectEmail`).',
  roots: "`roots file|data …` — the PKI root certificates (`pki.caRootsPath` / `caRootsData`).",
  intermediates: "`intermediates file|data …` — PKI intermediate certificates (`pki.caIntermediatesPath` / `caIntermediatesData`).",
  hostname: '`hostname "NAME"` — the host name the PKI certificate must name (`pki.subjectHostname`).',
  workflow:
    '`workflow [prefix|regexp] "URI"` in a fulcio key — the CI workflow identity (a URI SAN) the certificate must name; emitted for the Kubernetes admission targets (`subject` / `subjectRegExp`), refused for node policy.json (IT2200).',
  prefix: '`workflow prefix "URI"` — any workflow identity starting with this URI.',
  regexp: '`workflow regexp "RE"` — any workflow identity matching this regular expression (`subjectRegExp`).',
  identity:
    "`identity NAME = RULE` declares a signedIdentity rule; `identity RULE` after a requirement says which identity the signature must claim (`signedIdentity`; default `repo-digest-or-exact`).",
  level: "`level NAME = TERMS` — a named requirement list; terms joined with `and`/`plus` must all hold (a policy.json requirement list is an AND).",
  default:
    "`default LEVEL` — at top level the global default (`default` in policy.json); inside a transport block the transport default (scope `\"\"`); in `signatures` the `default-docker` section.",
  transport: '`transport "NAME" { … }` — a transport section by name (for names that are not keywords or not known to imagetrust).',
  approve: '`approve "NAME@sha256:…" because "…"` — allows exactly one image digest (an exact-digest scope); a pull by tag does not match it.',
  because:
    '`because "REASON"` — why an approval was given (kept as a label for reviews and explanations); in `expect deny … because CODE|"TEXT"`, what the denial must carry: a diagnostic code (IT5803 untrusted key, IT5801 tag moved, …) or text its reasons contain.',
  expect:
    '`expect allow|deny "TRANSPORT:REF" [by "SCOPE"] [with signatures "DIR" [manifest "FILE"]] [because CODE|"TEXT"]` — an expectation run by `imagetrust test`, decided on the signature evidence when given (paths relative to this file).',
  allow: "`allow` — the expected verdict: the pull is allowed.",
  deny: "`deny` — the expected verdict: the pull is denied.",
  by: '`signed by KEY` — a signature by this key is required; in `expect … by "SCOPE"`, the scope expected to decide.',
  signatures: "`signatures [\"FILE.yaml\"] { … }` — the registries.d side: where signatures are read and written for each registry namespace.",
  lookaside: '`lookaside "URL"` — where signatures are read (registries.d `lookaside`).',
  staging: '`staging "URL"` — where signatures are written (registries.d `lookaside-staging`).',
  attachments: "`attachments` — read sigstore signatures attached in the registry (`use-sigstore-attachments: true`).",
  no: "`no attachments` — do not read sigstore attachments (`use-sigstore-attachments: false`).",
  accept: "`accept` — `insecureAcceptAnything`: every image is allowed, nothing is checked.",
  reject: "`reject` — every image is denied (`reject`).",
  signed: "`signed by KEY …` — `signedBy` (GPG) or `sigstoreSigned` (sigstore, fulcio, pki keys); `signed base layer identity RULE` — `signedBaseLayer` (never implemented upstream: always denies).",
  base: "`signed base layer identity RULE` — `signedBaseLayer`; containers/image never implemented it, so it always denies.",
  layer: "`signed base layer identity RULE` — `signedBaseLayer`; containers/image never implemented it, so it always denies.",
  with: "`signed by KEY with REKOR` — the signature must also be logged in Rekor under this key (`rekorPublicKeyPath`/`Data`); in `expect … with signatures \"DIR\"`, the signature evidence the pull is decided on.",
  and: "`and` — both terms must hold (the requirement lists are concatenated: an AND).",
  plus: "`plus` — like `and`: every requirement of both terms must hold.",
  exact: "`exact` — `matchExact`: the signature must name exactly the pulled reference (tag or digest).",
  "repo-digest-or-exact": "`repo-digest-or-exact` — `matchRepoDigestOrExact` (the default): the same repository for digest pulls, the exact reference for tag pulls.",
  repository: "`repository` — `matchRepository`: any signature for the same repository, whatever the tag.",
  "exact-reference": '`exact-reference "REF"` — `exactReference`: the signature must name this one reference.',
  "exact-repository": '`exact-repository "REPO"` — `exactRepository`: the signature must name this repository.',
  remap: '`remap "PREFIX" to "SIGNED-PREFIX"` — `remapIdentity`: a mirror\'s images are signed under another name.',
  to: '`remap "PREFIX" to "SIGNED-PREFIX"` — the name signatures were made for.',
  include: '`include "FILE"` — joins the keys, identities, levels, scopes, signatures and expectations of FILE (relative to this file); a cycle or a name defined in both is an error naming both places.',
  profile: '`profile NAME { … }` — a variant of this source (`compile --profile NAME`): its `default`, transport blocks, `approve` and `expect` lines replace or add to the base.',
  "enforced-by": '`enforced-by nodes|cluster` — where a scope (or block) is enforced: `nodes` only (policy.json; admission lets these images through explicitly) or the `cluster` only (admission policies; left out of policy.json).',
  nodes: '`enforced-by nodes` — enforced by the machines that pull (policy.json) only; the Kubernetes targets pass these images through admission with an info diagnostic (IT2240).',
  cluster: '`enforced-by cluster` — enforced at admission only; left out of the node policy.json (IT2241).',
  manifest:
    '`expect … with signatures "DIR" manifest "FILE"` — the image manifest the signatures are checked against (default: DIR/manifest.json); relative to this file.',
  until: '`approve … until YYYY-MM-DD` — the last day (UTC) the approval holds; lint warns ahead of it and errors after; compile drops it after (or refuses with `--expired-approvals refuse`).',
};
