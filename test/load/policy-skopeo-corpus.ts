/**
 * Test helper: ~150 policy.json documents for the differential test against skopeo 1.9.3
 * (containers/image 5.23.1): valid documents and one-mutation-broken ones covering every field type,
 * every key source combination, newer-than-5.23 keys (fulcio, pki, rekor*, key lists), atomic / dir / oci /
 * storage scopes, null / empty values, quoting, Go token formatting, base64 and JSON syntax errors.
 */

/** One generated document. */
export interface CorpusDoc {
  name: string;
  /** The document: text (written as UTF-8) or raw bytes (invalid UTF-8, binary). */
  text: string | Uint8Array;
}

const REJECT = { type: "reject" };
const ACCEPT = { type: "insecureAcceptAnything" };

function policyWith(req: unknown): string {
  return JSON.stringify({ default: [req] });
}

function policyWithScope(transport: string, scope: string, req: unknown = ACCEPT): string {
  return JSON.stringify({ default: [REJECT], transports: { [transport]: { [scope]: [req] } } });
}

/** Values of every JSON kind, for wrong-type mutations. */
const KINDS: [string, unknown][] = [
  ["number", 1],
  ["float", 1.5],
  ["string", "x"],
  ["bool", true],
  ["array", []],
  ["object", {}],
  ["null", null],
];

/** The generated corpus (deterministic). */
export function skopeoCorpus(): CorpusDoc[] {
  const docs: CorpusDoc[] = [];
  const add = (name: string, text: string | Uint8Array): void => {
    docs.push({ name, text });
  };

  // --- top level -------------------------------------------------------------------------------------
  add("valid minimal", policyWith(REJECT));
  add("valid accept", policyWith(ACCEPT));
  add("empty object", "{}");
  add("top-level array", "[]");
  add("top-level null", "null");
  add("top-level number", "1");
  add("top-level big number", "1e400");
  add("top-level string with quote", '"a\\"b"');
  add("top-level true", "true");
  add("extra top-level key", JSON.stringify({ default: [REJECT], defaults: [REJECT] }));
  for (const [k, v] of KINDS) add(`default ${k}`, JSON.stringify({ default: v }));
  for (const [k, v] of KINDS) add(`transports ${k}`, JSON.stringify({ default: [REJECT], transports: v }));
  add("transports 1e400", '{"default":[{"type":"reject"}],"transports":1e400}');
  add("transports 1000000", '{"default":[{"type":"reject"}],"transports":1000000}');
  add("transports -0", '{"default":[{"type":"reject"}],"transports":-0}');
  add("duplicate default", '{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}');
  add("transport value string", JSON.stringify({ default: [REJECT], transports: { docker: "x" } }));
  add("scope value null", JSON.stringify({ default: [REJECT], transports: { docker: { a: null } } }));
  add("scope value object", JSON.stringify({ default: [REJECT], transports: { docker: { a: {} } } }));
  add("missing default, bad scope first", JSON.stringify({ transports: { docker: { a: [] } } }));

  // --- JSON syntax -------------------------------------------------------------------------------------
  add("syntax: trailing comma", '{"default":[{"type":"reject"}],}');
  add("syntax: trailing data", '{"default":[{"type":"reject"}]} {}');
  add("syntax: BOM", '\ufeff{"default":[{"type":"reject"}]}');
  add("syntax: empty", "");
  add("syntax: literal", '{"default":[{"type":"reject"}],"transports":tru}');
  add("syntax: bad escape", '{"default":[{"type":"re\\ject"}]}');
  add("syntax: control char", '{"default":[{"type":"re\u0001ject"}]}');
  add("syntax: truncated number", '{"default":[{"type":"reject"}],"transports":-');

  // --- requirement dispatch ----------------------------------------------------------------------------
  for (const [k, v] of KINDS) add(`requirement ${k}`, JSON.stringify({ default: [v] }));
  for (const [k, v] of KINDS) add(`requirement type ${k}`, policyWith({ type: v }));
  add("requirement Type key", policyWith({ Type: "reject" }));
  add("requirement TYPE after type", policyWith({ type: "reject", TYPE: "x" }));
  add("requirement type with quote", policyWith({ type: 'a"b' }));
  add("requirement unknown key with newline", policyWith({ type: "reject", "a\nb": 1 }));
  add("requirement unknown non-ASCII key", policyWith({ type: "reject", "é": 1 }));
  add("reject duplicate type", '{"default":[{"type":"reject","type":"reject"}]}');
  add("second requirement broken", JSON.stringify({ default: [REJECT, { type: "nope" }] }));

  // --- signedBy ---------------------------------------------------------------------------------------
  const sb = (extra: Record<string, unknown>): unknown => ({ type: "signedBy", keyType: "GPGKeys", ...extra });
  add("signedBy keyPath", policyWith(sb({ keyPath: "/k" })));
  add("signedBy keyPaths", policyWith(sb({ keyPaths: ["/a", "/b"] })));
  add("signedBy keyData", policyWith(sb({ keyData: "YWJj" })));
  const sourceValues: Record<string, [string, unknown][]> = {
    keyPath: [
      ["set", "/k"],
      ["empty", ""],
      ["null", null],
    ],
    keyPaths: [
      ["set", ["/a"]],
      ["empty", []],
      ["null", null],
    ],
    keyData: [
      ["set", "YWJj"],
      ["empty", ""],
      ["null", null],
    ],
  };
  // Every subset of key sources, with set / empty / null values for single sources.
  for (const k of Object.keys(sourceValues)) {
    for (const [label, v] of sourceValues[k]) add(`signedBy only ${k} ${label}`, policyWith(sb({ [k]: v })));
  }
  add("signedBy keyPath+keyPaths", policyWith(sb({ keyPath: "/k", keyPaths: ["/a"] })));
  add("signedBy keyPath+keyData", policyWith(sb({ keyPath: "/k", keyData: "YWJj" })));
  add("signedBy keyPaths+keyData", policyWith(sb({ keyPaths: ["/a"], keyData: "YWJj" })));
  add("signedBy all three", policyWith(sb({ keyPath: "/k", keyPaths: ["/a"], keyData: "YWJj" })));
  add("signedBy keyPath null + keyData null", policyWith(sb({ keyPath: null, keyData: null })));
  add("signedBy none", policyWith(sb({})));
  for (const [k, v] of KINDS.filter(([k]) => k !== "string" && k !== "null")) {
    add(`signedBy keyPath ${k}`, policyWith(sb({ keyPath: v })));
    add(`signedBy keyType ${k}`, policyWith({ type: "signedBy", keyType: v, keyPath: "/k" }));
    add(`signedBy signedIdentity ${k}`, policyWith(sb({ keyPath: "/k", signedIdentity: v })));
  }
  add("signedBy keyPaths [1]", policyWith(sb({ keyPaths: [1] })));
  add("signedBy keyPaths [null]", policyWith(sb({ keyPaths: [null] })));
  add("signedBy keyPaths string", policyWith(sb({ keyPaths: "/a" })));
  add("signedBy keyData number", policyWith(sb({ keyData: 1 })));
  add("signedBy keyData byte array", policyWith(sb({ keyData: [1, 2, 3] })));
  add("signedBy keyData byte array 256", policyWith(sb({ keyData: [1, 256] })));
  add("signedBy keyData byte array string", policyWith(sb({ keyData: ["a"] })));
  add("signedBy keyData empty array", policyWith(sb({ keyData: [] })));
  add("signedBy keyData bad base64", policyWith(sb({ keyData: "this is invalid base64" })));
  add("signedBy keyData missing padding", policyWith(sb({ keyData: "YWI" })));
  add("signedBy keyData url alphabet", policyWith(sb({ keyData: "YW-_" })));
  add("signedBy keyData with newlines", policyWith(sb({ keyData: "YW\nJj\r\n" })));
  add("signedBy keyData trailing garbage", policyWith(sb({ keyData: "YQ==YQ==" })));
  add("signedBy keyType missing", policyWith({ type: "signedBy", keyPath: "/k" }));
  add("signedBy keyType missing, keyPath empty", policyWith({ type: "signedBy", keyPath: "" }));
  add("signedBy keyType lower-case", policyWith({ type: "signedBy", keyType: "gpgkeys", keyPath: "/k" }));
  add("signedBy keyType X509Certificates", policyWith({ type: "signedBy", keyType: "X509Certificates", keyPath: "/k" }));
  add("signedBy keyType null", policyWith({ type: "signedBy", keyType: null, keyPath: "/k" }));
  add("signedBy unknown key keypath", policyWith(sb({ keypath: "/k" })));
  add("signedBy duplicate keyType", '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyType":"GPGKeys","keyPath":"/k"}]}');
  add("signedBy signedIdentity error before key count", policyWith(sb({ signedIdentity: { type: "x" } })));

  // --- signedIdentity -------------------------------------------------------------------------------------
  const withId = (id: unknown): string => policyWith(sb({ keyPath: "/k", signedIdentity: id }));
  for (const t of ["matchExact", "matchRepoDigestOrExact", "matchRepository"]) {
    add(`identity ${t}`, withId({ type: t }));
    add(`identity ${t} extra`, withId({ type: t, x: 1 }));
  }
  add("identity empty object", withId({}));
  add("identity Type key", withId({ Type: "matchExact" }));
  add("identity type number", withId({ type: 1 }));
  add("identity exactReference ok", withId({ type: "exactReference", dockerReference: "busybox:latest" }));
  add("identity exactReference empty", withId({ type: "exactReference", dockerReference: "" }));
  add("identity exactReference uppercase", withId({ type: "exactReference", dockerReference: "UPPER:latest" }));
  add("identity exactReference name only", withId({ type: "exactReference", dockerReference: "busybox" }));
  add("identity exactReference missing", withId({ type: "exactReference" }));
  add("identity exactReference number", withId({ type: "exactReference", dockerReference: 1 }));
  add("identity exactReference 64 hex", withId({ type: "exactReference", dockerReference: "a".repeat(64) }));
  add("identity exactRepository ok", withId({ type: "exactRepository", dockerRepository: "quay.io/a/b" }));
  add("identity exactRepository with tag", withId({ type: "exactRepository", dockerRepository: "quay.io/a/b:t" }));
  add("identity exactRepository bad", withId({ type: "exactRepository", dockerRepository: "a//b" }));
  add("identity remap ok", withId({ type: "remapIdentity", prefix: "example.com", signedPrefix: "quay.io/x" }));
  add("identity remap bad prefix", withId({ type: "remapIdentity", prefix: "Example.com/UP", signedPrefix: "quay.io" }));
  add("identity remap bad signedPrefix", withId({ type: "remapIdentity", prefix: "example.com", signedPrefix: "q/" }));
  add("identity remap missing signedPrefix", withId({ type: "remapIdentity", prefix: "example.com" }));
  add("signedBaseLayer ok", policyWith({ type: "signedBaseLayer", baseLayerIdentity: { type: "matchExact" } }));
  add("signedBaseLayer missing identity", policyWith({ type: "signedBaseLayer" }));
  add("signedBaseLayer identity null", policyWith({ type: "signedBaseLayer", baseLayerIdentity: null }));
  add("signedBaseLayer identity string", policyWith({ type: "signedBaseLayer", baseLayerIdentity: "x" }));

  // --- sigstoreSigned (5.23.1 rules; newer keys are unknown there) -----------------------------------------
  const ss = (extra: Record<string, unknown>): unknown => ({ type: "sigstoreSigned", ...extra });
  add("sigstore keyPath", policyWith(ss({ keyPath: "/k" })));
  add("sigstore keyData", policyWith(ss({ keyData: "YWJj" })));
  add("sigstore none", policyWith(ss({})));
  add("sigstore keyPath empty", policyWith(ss({ keyPath: "" })));
  add("sigstore keyPath null", policyWith(ss({ keyPath: null })));
  add("sigstore keyData null", policyWith(ss({ keyData: null })));
  add("sigstore keyData empty", policyWith(ss({ keyData: "" })));
  add("sigstore keyPath+keyData", policyWith(ss({ keyPath: "/k", keyData: "YWJj" })));
  add("sigstore keyPath empty + keyData empty", policyWith(ss({ keyPath: "", keyData: "" })));
  add("sigstore keyPath number", policyWith(ss({ keyPath: 1 })));
  add("sigstore keyData bad", policyWith(ss({ keyData: "!!" })));
  add("sigstore signedIdentity null", policyWith(ss({ keyPath: "/k", signedIdentity: null })));
  add("sigstore signedIdentity matchRepository", policyWith(ss({ keyPath: "/k", signedIdentity: { type: "matchRepository" } })));
  add("sigstore keyType", policyWith(ss({ keyPath: "/k", keyType: "GPGKeys" })));
  const fulcio = { caPath: "/ca", oidcIssuer: "https://i", subjectEmail: "a@b" };
  add("sigstore fulcio", policyWith(ss({ fulcio, rekorPublicKeyPath: "/r" })));
  add("sigstore fulcio after keyPath", policyWith(ss({ keyPath: "/k", fulcio })));
  add("sigstore rekorPublicKeyPath", policyWith(ss({ keyPath: "/k", rekorPublicKeyPath: "/r" })));
  add("sigstore rekorPublicKeyData", policyWith(ss({ keyPath: "/k", rekorPublicKeyData: "YWJj" })));
  add("sigstore keyPaths", policyWith(ss({ keyPaths: ["/a"] })));
  add("sigstore keyDatas", policyWith(ss({ keyDatas: ["YWJj"] })));
  add("sigstore rekorPublicKeyPaths", policyWith(ss({ keyPath: "/k", rekorPublicKeyPaths: ["/r"] })));
  add("sigstore rekorPublicKeyDatas", policyWith(ss({ keyPath: "/k", rekorPublicKeyDatas: ["YWJj"] })));
  add("sigstore pki", policyWith(ss({ pki: { caRootsPath: "/r", subjectEmail: "e" } })));
  add("sigstore pki null", policyWith(ss({ pki: null })));
  add("sigstore fulcio null", policyWith(ss({ fulcio: null })));

  // --- scopes ------------------------------------------------------------------------------------------
  const scopeCases: [string, string][] = [
    ["atomic", "example.com/ns/stream:tag"],
    ["atomic", "h/ns/stream/extra"],
    ["atomic", "h/ns:tag"],
    ["atomic", "*.example.com"],
    ["dir", "/a/b"],
    ["dir", "a/b"],
    ["dir", "/"],
    ["dir", "/a/b/"],
    ["dir", "//a"],
    ["dir", "/a/./b"],
    ["oci", "/a:b"],
    ["oci", "rel"],
    ["oci-archive", "/a/b.tar"],
    ["sif", "/a/../b"],
    ["docker", "anything at all"],
    ["docker", "*.example.com"],
    ["docker-daemon", "sha256:" + "0123456789abcdef".repeat(4)],
    ["docker-daemon", "busybox:latest"],
    ["docker-archive", "/a.tar"],
    ["tarball", "/a.tar"],
    ["tarball", ""],
    ["containers-storage", "[overlay@/var/lib/containers/storage]docker.io/library/busybox:latest"],
    ["containers-storage", "[overlay@relative]"],
    ["containers-storage", "[/a]x@badid"],
    ["ostree", "anything"],
    ["unknown-transport", "whatever/../x"],
    ["Docker", "a b c"],
  ];
  for (const [t, s] of scopeCases) add(`scope ${t} ${JSON.stringify(s)}`, policyWithScope(t, s));
  add("scope with quote in dir", policyWithScope("dir", 'a"b'));
  add("invalid scope before bad requirement", JSON.stringify({ default: [REJECT], transports: { dir: { rel: [1] } } }));
  add("valid scope, bad requirement", JSON.stringify({ default: [REJECT], transports: { dir: { "/ok": [1] } } }));
  add("duplicate scope via escape", '{"default":[{"type":"reject"}],"transports":{"docker":{"a":[{"type":"reject"}],"\\u0061":[{"type":"reject"}]}}}');

  // --- bytes: invalid UTF-8 and binary ------------------------------------------------------------------
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
  add("bytes: invalid UTF-8 key", bytes('{"default":[{"type":"reject","', [0xff], '":1}]}'));
  add("bytes: truncated sequence in type", bytes('{"default":[{"type":"re', [0xe2, 0x82], 'ject"}]}'));
  add("bytes: invalid byte after document", bytes('{"default":[{"type":"reject"}]}', [0xff]));
  add("bytes: invalid byte in escape", bytes('{"default":[{"type":"reject","\\', [0xff], '":1}]}'));
  add("bytes: invalid byte outside strings", bytes('{"default":[{"type":"reject"}],', [0xc3], "}"));
  add("bytes: invalid UTF-8 in a dir scope", bytes('{"default":[{"type":"reject"}],"transports":{"dir":{"/a', [0xff], 'b":[{"type":"reject"}]}}}'));
  add("bytes: binary", bytes([0x00, 0x01, 0x02, 0xff, 0xfe]));
  add("bytes: NUL inside a string", bytes('{"default":[{"type":"reject', [0x00], '"}]}'));

  // --- random one-mutation documents from valid 5.23 policies --------------------------------------------
  for (const [i, text] of mutatedPolicies(140).entries()) add(`mutation ${i}: ${text.slice(0, 60)}`, text);
  return docs;
}

/** Valid 5.23 policies the mutations start from. */
const MUTATION_BASES: unknown[] = [
  {
    default: [REJECT],
    transports: {
      docker: {
        "quay.io/a": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "matchRepository" } }],
        "quay.io/b": [{ type: "sigstoreSigned", keyData: "YWJj", signedIdentity: { type: "exactRepository", dockerRepository: "quay.io/b" } }],
        "": [ACCEPT],
      },
      dir: { "/srv": [ACCEPT] },
    },
  },
  {
    default: [{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/a", "/b"], signedIdentity: { type: "remapIdentity", prefix: "a.com", signedPrefix: "b.com/x" } }],
    transports: { "docker-daemon": { "": [ACCEPT] }, oci: { "/x/y": [REJECT] } },
  },
  {
    default: [{ type: "signedBaseLayer", baseLayerIdentity: { type: "exactReference", dockerReference: "a/b:1" } }, REJECT],
    transports: { "containers-storage": { "[overlay@/var/lib/c]": [ACCEPT] }, atomic: { "h/ns": [ACCEPT] } },
  },
];

const MUTANT_VALUES: unknown[] = [1, 1.5, -0, "x", "", true, null, [], {}, [1], ["x"], { type: "reject" }, { type: "matchExact" }, "YWJj", "GPGKeys", "/abs"];
const MUTANT_KEYS = ["x", "Type", "keypath", "keyPath", "keyData", "keyPaths", "type", "signedIdentity", "default", "transports", "fulcio", "dockerReference", "prefix"];

/** Deterministic one-mutation variants of MUTATION_BASES: delete, retype, add, rename or duplicate one member. */
function mutatedPolicies(count: number): string[] {
  let x = 2024;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const out: string[] = [];
  while (out.length < count) {
    const doc = JSON.parse(JSON.stringify(pick(MUTATION_BASES))) as Record<string, unknown>;
    // Collect every object in the document with its members.
    const objects: Record<string, unknown>[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        objects.push(v as Record<string, unknown>);
        Object.values(v).forEach(walk);
      }
    };
    walk(doc);
    const target = pick(objects);
    const keys = Object.keys(target);
    const op = Math.floor(rnd() * 5);
    let text: string;
    if (op === 0 && keys.length > 0) {
      delete target[pick(keys)];
      text = JSON.stringify(doc);
    } else if (op === 1 && keys.length > 0) {
      target[pick(keys)] = pick(MUTANT_VALUES);
      text = JSON.stringify(doc);
    } else if (op === 2) {
      target[pick(MUTANT_KEYS)] = pick(MUTANT_VALUES);
      text = JSON.stringify(doc);
    } else if (op === 3 && keys.length > 0) {
      const k = pick(keys);
      const v = target[k];
      delete target[k];
      target[pick(MUTANT_KEYS)] = v;
      text = JSON.stringify(doc);
    } else {
      // Duplicate a member, as text (JSON.stringify cannot).
      const marker = "__dup__";
      target[marker] = 0;
      const k = keys.length > 0 ? pick(keys) : "x";
      text = JSON.stringify(doc).replace(`"${marker}":0`, `${JSON.stringify(k)}:${JSON.stringify(target[k] ?? 1)}`);
    }
    out.push(text);
  }
  return out;
}
