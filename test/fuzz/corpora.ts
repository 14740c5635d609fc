/** Seed corpora and token dictionaries of each front end, read from the repository and ../shared's corpus when it is there. */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readCorpus } from "./support.js";
import { CORPUS, POLICY_PARSE_VECTORS } from "../support/shared.js";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Upstream's signed fixtures (Debian's golang-github-containers-image-dev). */
export const SIGNATURE_FIXTURES = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures";

const ext = (...xs: string[]) => (n: string) => xs.some((x) => n.endsWith(x));

function vectorInputs(): string[] {
  return readFileSync(POLICY_PARSE_VECTORS, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { input: string }).input);
}

/** policy.json seeds: the spec's vectors, the real-world corpus, the hand-written examples. */
export function policySeeds(): string[] {
  return [
    ...vectorInputs(),
    ...readCorpus(join(CORPUS, "policy"), ext(".json")),
    ...readCorpus(join(ROOT, "examples/hand-written"), ext(".json")),
    '{"default":[{"type":"insecureAcceptAnything"}]}',
  ];
}

/** registries.d seeds. */
export function registriesDSeeds(): string[] {
  return [
    ...readCorpus(join(CORPUS, "registries.d"), ext(".yaml", ".yml")),
    ...readCorpus(join(ROOT, "examples/hand-written/registries.d"), ext(".yaml", ".yml")),
    ...readCorpus(join(ROOT, "test/fixtures/cli"), ext(".yaml")),
    "default-docker:\n  lookaside: https://s.example/sigs\ndocker:\n  quay.io/a:\n    lookaside: file:///var/s\n    use-sigstore-attachments: true\n",
  ];
}

/** registries.conf seeds. */
export function registriesConfSeeds(): string[] {
  return [
    ...readCorpus(join(CORPUS, "registries.conf"), ext(".conf")),
    ...readCorpus(join(ROOT, "test/fixtures/cli"), ext(".conf")),
    'unqualified-search-registries = ["docker.io"]\n[[registry]]\nprefix = "example.com/foo"\nlocation = "internal.example.com/bar"\nblocked = false\n[[registry.mirror]]\nlocation = "m.example.com"\n[aliases]\n"ubi" = "registry.access.redhat.com/ubi9"\n',
  ];
}

/** .trust seeds: the examples and every .trust fixture. */
export function trustSeeds(): string[] {
  return [...readCorpus(join(ROOT, "examples"), ext(".trust")), ...readCorpus(join(ROOT, "test/fixtures"), ext(".trust"))];
}

/** Image reference seeds across every transport. */
export const REFERENCE_SEEDS = [
  "docker://busybox",
  "docker://docker.io/library/busybox:latest",
  "docker://quay.io/org/repo:v2",
  "docker://a.b.quay.io:443/org/repo:v1",
  "docker://localhost:5000/a/b@sha256:" + "0123456789abcdef".repeat(4),
  "docker://x/y:t@sha256:" + "f".repeat(64),
  "docker-daemon:busybox:latest",
  "docker-daemon:sha256:" + "a".repeat(64),
  "docker-archive:/tmp/a.tar:busybox:v1",
  "docker-archive:/tmp/a.tar:@0",
  "oci:/tmp/layout:myref",
  "oci-archive:/tmp/a.tar:ref",
  "dir:/tmp/img",
  "containers-storage:[vfs@/var/lib/s+/run/s]busybox",
  "containers-storage:[overlay@/s:opt=1,o2]quay.io/org/repo:v1@" + "b".repeat(64),
  "containers-storage:@" + "c".repeat(64),
  "sif:/tmp/a.sif",
  "tarball:/tmp/t.tar",
  "atomic:quay.io/a/b:c",
  "nonsense:foo",
];

/** Signature blobs: upstream's fixtures (GPG and cosign) plus a hand-made sigstore-json blob. */
export function signatureSeeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (existsSync(SIGNATURE_FIXTURES)) {
    for (const n of readdirSync(SIGNATURE_FIXTURES).sort()) if (n.endsWith(".signature") || n.endsWith(".signature-v3")) out.push(readFileSync(join(SIGNATURE_FIXTURES, n)));
    for (const d of ["dir-img-cosign-valid", "dir-img-valid", "dir-img-cosign-mixed"]) {
      const f = join(SIGNATURE_FIXTURES, d, "signature-1");
      if (existsSync(f)) out.push(readFileSync(f));
    }
  }
  const payload = Buffer.from('{"critical":{"identity":{"docker-reference":"x/y:1"},"image":{"docker-manifest-digest":"sha256:' + "a".repeat(64) + '"},"type":"cosign container image signature"},"optional":null}');
  out.push(Buffer.concat([Buffer.from([0]), Buffer.from("sigstore-json\n"), Buffer.from(JSON.stringify({ mimeType: "application/vnd.dev.cosign.simplesigning.v1+json", payload: payload.toString("base64"), annotations: { "dev.cosignproject.cosign/signature": "MEUCIQ==" } }))]));
  out.push(Buffer.concat([Buffer.from([0]), Buffer.from("simple-signing\n"), Buffer.from([0xa3, 1, 2, 3])]));
  return out;
}

/** Signature payload seeds (simple signing and cosign). */
export const PAYLOAD_SEEDS = [
  '{"critical":{"identity":{"docker-reference":"quay.io/a/b:1"},"image":{"docker-manifest-digest":"sha256:' + "a".repeat(64) + '"},"type":"atomic container signature"},"optional":{"creator":"me","timestamp":1700000000}}',
  '{"critical":{"identity":{"docker-reference":"x/y:1"},"image":{"docker-manifest-digest":"sha256:' + "b".repeat(64) + '"},"type":"cosign container image signature"},"optional":null}',
];

/** Dictionaries: tokens of each language that mutations insert. */
export const JSON_DICT = ['{', '}', '[', ']', '"', ':', ',', 'null', 'true', 'false', '0', '-1', '1e999', '1.5', '"type"', '"default"', '"transports"', '"docker"', '"signedBy"', '"sigstoreSigned"', '"keyType"', '"GPGKeys"', '"keyPath"', '"keyPaths"', '"keyData"', '"signedIdentity"', '"matchExact"', '"remapIdentity"', '"prefix"', '"signedPrefix"', '"reject"', '"insecureAcceptAnything"', '"fulcio"', '"pki"', '"rekorPublicKeyData"', '"\\u0000"', '"\\ud800"', '\\', '"YQ=="', '""', '{}', '[]', '"TYPE"'];
export const YAML_DICT = ['docker:', 'default-docker:', 'lookaside:', 'lookaside-staging:', 'sigstore:', 'sigstore-staging:', 'use-sigstore-attachments:', 'true', 'yes', 'null', '~', '&a ', '*a', '<<: ', '- ', '? ', ': ', '!!str ', '!!binary ', '!foo ', '---\n', '...\n', '\t', '  ', '\n  ', '{', '}', '[', ']', "'", '"', '|', '>', '#', 'file:///x', 'https://a.example/s', '%YAML 1.2\n', '0x10', '1e3', '.inf'];
export const TOML_DICT = ['[[registry]]\n', '[[registry.mirror]]\n', '[aliases]\n', '[', ']', '=', '"', "'", '"""', "'''", 'location = ', 'prefix = ', 'mirror', 'blocked = true', 'insecure = ', 'unqualified-search-registries = ', 'short-name-mode = "enforcing"', 'credential-helpers', 'mirror-by-digest-only = ', 'pull-from-mirror = "digest-only"', '[registries.search]\n', 'registries = ', '1979-05-27T07:32:00Z', '0x1f', 'inf', 'nan', '1_000', '{', '}', ',', '#', '\n', '\\u0000', '*.example.com', 'docker.io'];
export const TRUST_DICT = ['target ', '"5.23"', 'key ', 'gpg ', 'sigstore ', 'file ', 'data ', 'identity ', '= ', 'remap ', ' to ', 'level ', 'signed ', 'by ', 'plus ', 'default ', 'reject', 'accept', 'docker ', '{', '}', 'approve ', 'because ', 'signatures ', 'lookaside ', 'expect ', 'allow ', 'deny ', 'repository', 'exact', '"', '"quay.io/a"', '#', '\n', 'fulcio ', 'rekor ', 'issuer ', 'email ', 'attachments', 'containers-storage ', 'dir ', 'matchExact', '"\\u{0}"', '\\'];
export const REFERENCE_DICT = ["docker://", "docker-daemon:", "docker-archive:", "oci:", "oci-archive:", "dir:", "containers-storage:", "sif:", "tarball:", "atomic:", ":", "@", "/", "sha256:", "a".repeat(64), "[", "]", "+", "..", ".", "localhost", ":5000", "@@unknown-digest@@", "UPPER", "_", "--", "~"];
