/**
 * Differential test: registries.d directories × docker references through containers/image 5.23.1
 * (`docker.SignatureStorageBaseURL` for reading and writing, and the library's own
 * `useSigstoreAttachments`), compared with loadRegistriesDDir + signatureStorageFor. 100 % agreement.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { lookasideSignatureUrl, signatureStorageFor } from "../../src/registries/lookaside.js";
import { runUpstream, shouldSkipUpstream } from "./upstream.js";

const TARGET = [5, 23, 1] as const;
const HEX = "817a12c32a39bbe394944ba49de563e085f1d3c5266eb8e9723256bc4448680e";

/** Each configuration: file name → YAML text. */
const CONFIGS: Array<Record<string, string>> = [
  {},
  {
    "a.yaml": `default-docker:
  lookaside: https://x.example/base/
docker:
  example.com/ns:
    lookaside: https://s.example/ns
  quay.io:
    use-sigstore-attachments: true
  quay.io/a/b:
    lookaside: file:///sigs?x=1
`,
  },
  {
    "fall.yaml": `docker:
  example.com/ns/app:
    use-sigstore-attachments: false
  example.com/ns:
    lookaside-staging: file:///stage
  example.com:
    lookaside: ""
    use-sigstore-attachments: true
  "*.example.com":
    sigstore: https://wild.example/
  "*.com":
    sigstore-staging: file:///com-stage
default-docker:
  sigstore-staging: file:///ds
`,
  },
  {
    "urls.yaml": `docker:
  other.io:
    lookaside: file:relative
  x.io:
    lookaside: "https://u:p@h.example:8443/a/../b/./c?q=1#frag"
  y.io:
    lookaside: ":emptyscheme"
  z.io:
    lookaside: "http://[::1]:80/p"
  w.io:
    lookaside: "https://h.example/%41%2Fx/"
  v.io:
    lookaside: "HTTPS://H.example/Up/.."
  t.io:
    lookaside: "http://bad host/"
  s.io:
    lookaside: "https://h:port/"
  r.io:
    lookaside: "file:///a b/ü?"
  q.io:
    lookaside: "http://h.example/p%zz"
`,
  },
  { "panic.yaml": "docker:\n  localhost:5000:\n    lookaside: /var/lib/sigs\n" },
  { "rel.yaml": "default-docker:\n  lookaside: ./relative/dir\n" },
  {
    "case.yaml": `Docker:
  a.io:
    LookAside: https://a.example
    Use-Sigstore-Attachments: yes
  b.io:
    use-sigstore-attachments: on
    lookaside: 123
  c.io:
    lookaside: 1.5
    use-sigstore-attachments: N
  d.io:
    lookaside: true
    use-sigstore-attachments: ~
Default-Docker:
  Sigstore: file:///dd
  sigstore: file:///dd2
`,
  },
  { "bad-bool.yaml": "docker:\n  d.io:\n    use-sigstore-attachments: \"true\"\n" },
  { "one.yaml": "docker:\n  example.com:\n    lookaside: https://one\n", "two.yaml": "docker:\n  example.com:\n    lookaside: https://one\n" },
  { "one.yaml": "default-docker:\n  lookaside: https://one\n", "two.yaml": "default-docker: {}\n" },
  { "x.yml": "default-docker:\n  lookaside: https://yml\n", "y.yaml": "docker:\n  quay.io:\n    lookaside: https://q\n", "README": "hello" },
  {
    "dup.yaml": `docker:
  a.io:
    lookaside: https://first
  a.io:
    use-sigstore-attachments: true
  b.io:
    lookaside: https://b1
    lookaside: https://b2
`,
  },
  { "null.yaml": "default-docker:\ndocker:\n  a.io: ~\n  b.io:\n" },
  { "nulldd.yaml": "default-docker:\n", "dd.yaml": "default-docker:\n  lookaside: https://dd\n" },
  { "seq.yaml": "docker:\n  a.io:\n    lookaside: [https://a]\n" },
  { "scalar.yaml": "hello\n" },
  { "arr.yaml": "docker: []\n" },
  { "ns-scalar.yaml": "docker:\n  a.io: https://a\n" },
  { "dd-scalar.yaml": "default-docker: https://a\n" },
  { "multi.yaml": "docker:\n  a.io:\n    lookaside: https://doc1\n---\ndefault-docker:\n  lookaside: https://doc2\n" },
  { "empty.yaml": "", "comments.yaml": "# nothing\n", "braces.yaml": "{}\n" },
  {
    "wild.yaml": `docker:
  "*.io":
    lookaside: https://star-io
  "*.0.1":
    lookaside: https://loopback
  docker.io:
    lookaside: https://hub
  docker.io/library:
    use-sigstore-attachments: true
  "*.example.com:5000":
    lookaside: https://never
  busybox:
    lookaside: https://never-short
  localhost:5000:
    lookaside: https://local
`,
  },
  { "syntax.yaml": "docker:\n  a.io:\n    lookaside: @bad\n" },
  { "tab.yaml": "docker:\n\ta.io: {}\n" },
  { "crlf.yaml": "docker:\r\n  a.io:\r\n    lookaside: https://crlf.example\r\n" },
  { "bom.yaml": "\uFEFFdocker:\n  b.io:\n    lookaside: https://bom.example\n" },
  { "flow.yaml": "{docker: {c.io: {lookaside: 'https://flow.example', use-sigstore-attachments: yes}}, default-docker: {sigstore: \"file:///f\"}}\n" },
  { "tagged.yaml": "docker:\n  d.io:\n    lookaside: !!str 123\n    use-sigstore-attachments: !!bool true\n" },
  { "quote.yaml": "docker:\n  a.io: \"unclosed\n" },
  { "anchor.yaml": "docker: *unknown\n" },
  { "directive.yaml": "%BAD directive\n---\ndocker: {}\n" },
  { "indent.yaml": "docker:\n  a.io:\n    lookaside: x\n   bad: y\n" },
  {
    "anchors.yaml": `base: &b
  lookaside: https://anchor.example
other: &o
  lookaside: https://second.example
  use-sigstore-attachments: true
docker:
  a.io:
    <<: *b
    use-sigstore-attachments: true
  b.io: *b
  c.io:
    <<: [*b, *o]
    sigstore: https://own.example
  d.io:
    <<: [*o, *b]
`,
  },
  { "obj.yaml": "docker:\n  a.io:\n    sigstore:\n      public-key-file: /x\n" },
];

const REFS = [
  "busybox",
  `busybox@sha256:${HEX}`,
  "example.com/ns/app:1",
  "example.com/ns/app/sub:2",
  "example.com:5000/ns/app",
  "example.com/other",
  "a.example.com/x",
  "b.a.example.com/y:t",
  "quay.io/a/b",
  "quay.io/a/b/c",
  "quay.io/library/busybox",
  "localhost:5000/app",
  "127.0.0.1:5000/app",
  "other.io/r",
  "x.io/r",
  "y.io/r",
  "z.io/r",
  "w.io/r",
  "v.io/r",
  "t.io/r",
  "s.io/r",
  "r.io/r",
  "q.io/r",
  "a.io/r/s",
  "b.io/r",
  "c.io/r",
  "d.io/r",
  "ghcr.io/o/r",
];

interface GoLookaside {
  ref: string;
  parseError?: string;
  read?: string;
  readError?: string;
  write?: string;
  writeError?: string;
  attachments?: boolean;
  loadError?: string;
  sig1?: string;
  sig2?: string;
  sig1Path?: string;
}

const ENVS = [
  { name: "root", euid: 0, home: "/root", env: { _CONTAINERS_ROOTLESS_UID: "0", HOME: "/root" } },
  { name: "user", euid: 1000, home: "/home/u x", env: { _CONTAINERS_ROOTLESS_UID: "1000", HOME: "/home/u x" } },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-lookaside-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(shouldSkipUpstream())("lookaside agrees with containers/image 5.23.1", () => {
  const dirs = CONFIGS.map((files, i) => {
    const dir = path.join(tmp, `d${i}`);
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  });

  for (const env of ENVS) {
    it(`${CONFIGS.length} directories × ${REFS.length} references (${env.name})`, () => {
      const go = runUpstream<GoLookaside[]>(
        dirs.map((dir) => ({ op: "lookaside", dir, refs: REFS, digest: `sha256:${HEX}` })),
        env.env,
      );
      let compared = 0;
      let sigCompared = 0;
      const mismatches: string[] = [];
      dirs.forEach((dir, i) => {
        const loaded = loadRegistriesDDir(dir, { host: nodeHost(), target: TARGET });
        for (const g of go[i]) {
          const where = `config ${i} ${JSON.stringify(CONFIGS[i]).slice(0, 60)}… ref ${g.ref}`;
          compared++;
          const p = parseNormalizedNamed(g.ref);
          if (!p.ok) {
            if (!g.parseError) mismatches.push(`${where}: we cannot parse the reference`);
            continue;
          }
          if (g.loadError !== undefined) {
            // The whole directory fails to load.
            if (loaded.value) {
              mismatches.push(`${where}: upstream fails (${g.loadError}), we load`);
              continue;
            }
            const ours = loaded.diagnostics.find((d) => d.severity === "error" && d.upstreamMessage)?.upstreamMessage ?? "";
            if (/error converting YAML to JSON: yaml: /.test(g.loadError) && ours.endsWith("…")) {
              // A structural YAML error we do not word as libyaml does (its line may differ too): both refuse the file.
              if (!ours.includes("error converting YAML to JSON: yaml: ")) mismatches.push(`${where}: syntax error: ${g.loadError} vs ${ours}`);
            } else if (ours !== g.loadError) mismatches.push(`${where}: load error\n  go:  ${g.loadError}\n  our: ${ours}`);
            continue;
          }
          if (!loaded.value) {
            mismatches.push(`${where}: upstream loads, we fail: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
            continue;
          }
          const ours = signatureStorageFor(p.ref, loaded.value, { euid: env.euid, home: env.home, target: TARGET });
          const cmp = (what: string, goVal: string | undefined, goErr: string | undefined, ourVal: string | null, ourErr: string | undefined) => {
            if (goErr !== undefined) {
              if (goErr.startsWith("PANIC")) {
                if (!ourErr?.includes("panics")) mismatches.push(`${where}: ${what}: upstream panics, we say ${ourVal ?? ourErr}`);
              } else if (goErr !== ourErr) mismatches.push(`${where}: ${what} error\n  go:  ${goErr}\n  our: ${ourErr ?? ourVal}`);
            } else if (goVal !== ourVal) mismatches.push(`${where}: ${what}\n  go:  ${goVal}\n  our: ${ourVal ?? ourErr}`);
          };
          cmp("read", g.read, g.readError, ours.lookasideBase, ours.error);
          cmp("write", g.write, g.writeError, ours.lookasideWriteBase, ours.writeError);
          if (g.sig1 !== undefined) {
            const lenv = { euid: env.euid, home: env.home, target: TARGET };
            const s1 = lookasideSignatureUrl(ours.lookasideTopLevel, p.ref, `sha256:${HEX}`, 0, lenv);
            const s2 = lookasideSignatureUrl(ours.lookasideTopLevel, p.ref, `sha256:${HEX}`, 1, lenv);
            const got = [s1.ok ? s1.url : s1.error, s2.ok ? s2.url : s2.error, s1.ok ? (s1.filePath ?? null) : null];
            const want = [g.sig1, g.sig2, g.read?.startsWith("file:") ? g.sig1Path : null];
            if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${where}: signature URLs\n  go:  ${JSON.stringify(want)}\n  our: ${JSON.stringify(got)}`);
            sigCompared++;
          }
          if (g.attachments !== ours.useSigstoreAttachments) mismatches.push(`${where}: attachments go ${g.attachments} ours ${ours.useSigstoreAttachments}`);
        }
      });
      expect(mismatches).toEqual([]);
      expect(compared).toBe(CONFIGS.length * REFS.length);
      if (process.env.DEBUG_COUNTS) console.log(`lookaside ${env.name}: ${compared} references, ${sigCompared} signature URL pairs`);
      expect(sigCompared).toBeGreaterThan(200);
    });
  }
});
