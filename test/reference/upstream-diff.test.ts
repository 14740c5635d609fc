/**
 * Differential test against the real containers/image 5.23.1 (Debian's Go sources under /usr/share/gocode):
 * a small Go program (fixtures/refdiff.go.txt) is built in GOPATH mode and answers, for a few hundred
 * generated cases, what ParseNormalizedNamed / ParseNamed / go-digest Validate / the remapIdentity prefix
 * check / each transport's ValidatePolicyConfigurationScope / alltransports.ParseImageName (identity,
 * namespaces, StringWithinTransport, ImageName, DockerReference) compute. We require 100 % agreement.
 * Skipped only when `go` is not installed; the binary is cached in os.tmpdir() keyed by the source hash.
 */
import { nodeHost } from "../../src/host/node-host.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  familiarString,
  parseNamed,
  parseNormalizedNamed,
  referenceString,
  validateDigest,
  validateRemapPrefix,
} from "../../src/reference/docker-reference.js";
import { parseImageReference, type ParseImageReferenceOptions } from "../../src/reference/image-reference.js";
import { KNOWN_TRANSPORTS, validatePolicyScope } from "../../src/reference/scopes.js";
import { prng } from "../support/prng.js";
import { askGo, goAvailable, type GoRequest, harnessBinary } from "./refdiff-harness.js";

const HEX64 = "0123456789abcdef".repeat(4);
const DOMAINS = ["", "docker.io/", "index.docker.io/", "localhost/", "localhost:5000/", "Example.COM/", "a_b.com/", "quay.io:443/",
  "10.0.0.1:5000/", "x-y.z/", "-bad.com/", "foo:bar/", "a.b.quay.io/", "sha256/", "h:/"];
const PATHS = ["busybox", "library/busybox", "a/b/c", "UPPER", "a__b", "a___b", "a..b", "a-----b", "a.b_c", "", "a/", "/a", "sha256",
  "Library/x", "localhost", "x".repeat(250), HEX64, "ns/stream"];
const TAGS = ["", ":latest", ":v1.0", ":_x", ":-x", ":" + "a".repeat(128), ":" + "a".repeat(129), ":T", ":", ":a:b", ":5000"];
const DIGESTS = ["", `@sha256:${HEX64}`, `@sha256:${HEX64.slice(1)}`, `@sha512:${"a".repeat(128)}`, `@md5:${"0".repeat(32)}`,
  `@SHA256:${HEX64}`, `@sha256:${HEX64.toUpperCase()}`, "@", `@sha256:${HEX64}@sha256:${HEX64}`, "@@unknown-digest@@"];

function generatedReferences(count: number, seed: number): string[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out = new Set<string>();
  while (out.size < count) out.add(pick(DOMAINS) + pick(PATHS) + pick(TAGS) + pick(DIGESTS));
  return [...out];
}

/** Random strings over the characters references are made of, plus a few whole tokens. */
function fuzzStrings(count: number, seed: number): string[] {
  const rnd = prng(seed);
  const atoms = ["a", "b", "z", "0", "9", "A", "Z", "-", ".", "_", ":", "/", "@", "[", "]", "+", ",", "=", " ", "é", "\\",
    "sha256:", HEX64, "localhost", "docker.io", "library", "latest", "@@unknown-digest@@", "//", "..", "vfs@/r"];
  const out = new Set<string>();
  while (out.size < count) {
    let s = "";
    const n = Math.floor(rnd() * 12);
    for (let i = 0; i < n; i++) s += atoms[Math.floor(rnd() * atoms.length)];
    out.add(s);
  }
  return [...out];
}

const HANDPICKED_NAMES = ["", "busybox", HEX64, "a_b.com/foo", "A_B.com/foo", "foo.com/", "-foo", "foo//bar", "foo:bar:baz",
  "Busybox", "busybox:Tag", `busybox@Sha256:${HEX64}`, `busybox:t@Sha256:${HEX64}`, "a".repeat(256), "é", "localhost:5000",
  "myregistry:5000/x", "docker.io/library/busybox:latest", "docker.io/busybox", "notlocalhost:tag", `vendor.example:5000@sha256:${HEX64}`];

const DIGEST_INPUTS = [`sha256:${HEX64}`, `sha384:${"a".repeat(96)}`, `sha512:${"a".repeat(128)}`, "sha256:", ":abc", "sha256",
  "sha256:abc", "foo:bar", "Foo:bar", "constructor:bar", `sha256:${HEX64.toUpperCase()}`, `sha256:${HEX64}0`, "a+b:x=y", "a:b:c", ""];

const PREFIXES = ["localhost", "example.com", "example.com:80", "example.com/repo", "example.com:80/ns1/ns2/repo.with.dots-dashes_underscores",
  "shortname", "ns/shortname", "UPPERCASE", "", "repo_with_underscores", "example.com/", "example.com/UPPERCASEISINVALID",
  "example.com/repo/", "example.com/repo:tag", `example.com/repo@sha256:${HEX64}`, "a-.com", "a:", "*.example.com", "10.0.0.1:5000/x"];

const SCOPES = ["", "x", "*", " x", "busybox", "docker.io/library/busybox", "*.example.com", "/", "/a", "/a/", "//a", "/a//b", "/a/./b",
  "/a/../b", "a/b", "/srv/oci/layout:tag", `sha256:${HEX64}`, "sha256:abc", `sha512:${"a".repeat(128)}`, "h/ns", "h/ns/stream",
  "h/ns/stream:tag", "h/ns/stream/extra", "h/ns:tag", "h/ns/stream:tag:x", "[overlay@/a]", "[/a]", "[overlay@/a+/run]",
  "[overlay@/a:opt]busybox", "overlay@/a", "[", "[]", "[@/a]", "[overlay@]", "[relative]", "[o@relative]", "[/a]x@badid",
  `[/a]x@${HEX64}`, `[/a]x@sha256:${HEX64}`, `[/a]x@sha256:${HEX64}@${HEX64}`, `[/a]x@${HEX64}@${HEX64}`,
  `[/a]x@sha256:${HEX64}@abc`, `[/a]x@sha256:abc@${HEX64}`, "[/a]]", "[a@b@/c]", "]", "[/a]@"];

describe.skipIf(!goAvailable)("agreement with containers/image 5.23.1 (Go harness)", () => {
  let binary: string;
  let tmp: string;
  const options: () => ParseImageReferenceOptions = () => ({ target: [5, 23, 1], debian: true, strictPaths: true, cwd: tmp, host: nodeHost() });

  beforeAll(() => {
    binary = harnessBinary();
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-refdiff-")));
    fs.mkdirSync(path.join(tmp, "real/sub/img"), { recursive: true });
    fs.symlinkSync(path.join(tmp, "real"), path.join(tmp, "link"));
    fs.symlinkSync(path.join(tmp, "nonexistent"), path.join(tmp, "dangling"));
    fs.writeFileSync(path.join(tmp, "real/a.tar"), "");
    fs.writeFileSync(path.join(tmp, "real/b.tar"), "");
    fs.writeFileSync(path.join(tmp, "real/file"), "");
  }, 600_000);
  afterAll(() => {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ParseNormalizedNamed and ParseNamed agree on every generated name", () => {
    const names = [...HANDPICKED_NAMES, ...generatedReferences(500, 1), ...fuzzStrings(1500, 11)];
    const requests: GoRequest[] = [
      ...names.map((input) => ({ kind: "norm" as const, input })),
      ...names.map((input) => ({ kind: "named" as const, input })),
    ];
    const answers = askGo(binary, requests, tmp);
    if (process.env.REFDIFF_COUNT) console.log(`refdiff: ${requests.length} ${requests[0].kind} cases`);
    const mismatches: string[] = [];
    requests.forEach((q, i) => {
      const r = q.kind === "norm" ? parseNormalizedNamed(q.input) : parseNamed(q.input);
      const ours = r.ok
        ? { ok: true, result: `${referenceString(r.ref)}|${r.ref.domain}|${r.ref.path}|${familiarString(r.ref)}` }
        : { ok: false, error: r.error };
      const go = answers[i].ok ? { ok: true, result: answers[i].result } : { ok: false, error: answers[i].error };
      if (JSON.stringify(ours) !== JSON.stringify(go)) mismatches.push(`${q.kind} ${JSON.stringify(q.input)}: ours ${JSON.stringify(ours)} go ${JSON.stringify(go)}`);
    });
    expect(mismatches).toEqual([]);
    expect(requests.length).toBeGreaterThan(1000);
  });

  it("digest validation and remapIdentity prefixes agree", () => {
    const prefixes = [...PREFIXES, ...generatedReferences(150, 2), ...fuzzStrings(500, 12)];
    const requests: GoRequest[] = [
      ...DIGEST_INPUTS.map((input) => ({ kind: "digest" as const, input })),
      ...prefixes.map((input) => ({ kind: "prefix" as const, input })),
    ];
    const answers = askGo(binary, requests, tmp);
    if (process.env.REFDIFF_COUNT) console.log(`refdiff: ${requests.length} ${requests[0].kind} cases`);
    const mismatches: string[] = [];
    requests.forEach((q, i) => {
      const ours = q.kind === "digest" ? (validateDigest(q.input) ?? "ok") : String(validateRemapPrefix(q.input));
      const go = q.kind === "digest" ? (answers[i].ok ? "ok" : answers[i].error) : String(answers[i].ok);
      if (ours !== go) mismatches.push(`${q.kind} ${JSON.stringify(q.input)}: ours ${ours} go ${go}`);
    });
    expect(mismatches).toEqual([]);
  });

  it("scope validation agrees for every transport", () => {
    const transports = [...KNOWN_TRANSPORTS, "nosuch", "Docker"];
    const requests: GoRequest[] = [];
    const scopes = [...SCOPES, ...fuzzStrings(300, 13), ...fuzzStrings(200, 14).map((x) => "[" + x), ...fuzzStrings(200, 15).map((x) => "/" + x)];
    for (const transport of transports) for (const input of scopes) if (input !== "") requests.push({ kind: "scope", transport, input });
    const answers = askGo(binary, requests, tmp);
    if (process.env.REFDIFF_COUNT) console.log(`refdiff: ${requests.length} ${requests[0].kind} cases`);
    const mismatches: string[] = [];
    requests.forEach((q, i) => {
      const v = validatePolicyScope(q.transport!, q.input);
      // The atomic harness answer is the bare regexp (Debian lacks the transport); compare acceptance only there.
      const ours = q.transport === "atomic" ? { known: v.known, ok: v.error === undefined } : { known: v.known, ok: v.error === undefined, error: v.error };
      const a = answers[i];
      const go = q.transport === "atomic" ? { known: a.known === true, ok: a.ok } : { known: a.known === true, ok: a.ok, error: a.error };
      if (JSON.stringify(ours) !== JSON.stringify(go)) mismatches.push(`${q.transport} ${JSON.stringify(q.input)}: ours ${JSON.stringify(ours)} go ${JSON.stringify(go)}`);
    });
    expect(mismatches).toEqual([]);
    expect(requests.length).toBeGreaterThan(500);
  });

  it("alltransports.ParseImageName agrees on identity, namespaces, names and errors", () => {
    const T = tmp;
    const refs: string[] = [
      "busybox", "nosuch:x", "atomic:h.example/ns/stream:tag", "ostree:/x", 'a"b:c', ":x", "",
      ...generatedReferences(150, 3).map((r) => "docker://" + r),
      "docker:busybox", "docker:", "docker://", `docker://busybox:v1@sha256:${HEX64}`,
      ...generatedReferences(80, 4).map((r) => "docker-daemon:" + r),
      `docker-daemon:sha256:${HEX64}`, `docker-daemon:sha512:${"a".repeat(128)}`, "docker-daemon:sha256:abc", `docker-daemon:${HEX64}`,
      "docker-daemon:", "docker-daemon:busybox",
      "docker-archive:", "docker-archive:/a.tar", "docker-archive:/a.tar:", "docker-archive:/a.tar:busybox", "docker-archive::busybox:v1",
      "docker-archive:/a.tar:@0", "docker-archive:/a.tar:@007", "docker-archive:/a.tar:@-1", "docker-archive:/a.tar:@x", "docker-archive:/a.tar:@",
      "docker-archive:/a.tar:@+3", "docker-archive:/a.tar:@99999999999999999999", `docker-archive:/a.tar:busybox@sha256:${HEX64}`,
      `docker-archive:/a.tar:busybox:v@sha256:${HEX64}`, "docker-archive:/a.tar:Busybox", "docker-archive:/a.tar:quay.io/x/y:z",
      ...generatedReferences(40, 5).map((r) => "docker-archive:/x.tar:" + r),
      `dir:${T}/link/sub/img`, `dir:${T}/link/sub/new`, `dir:${T}/link/missing/x`, `dir:${T}/real/file/x`, `dir:${T}/real/file/x/y`,
      `dir:${T}/real/./sub/../sub/img`, `dir:${T}/real/sub/img/`, `dir:${T}/real/sub/..`, `dir:${T}/nope/..`, "dir:relative", "dir:.", "dir:",
      `dir:${T}/dangling`, `dir:${T}/dangling/x`, `dir:${T}//real//sub`, "dir:/", "dir:/tmp", `dir:${T}/link`, "dir:link/sub", "dir:../x",
      `sif:${T}/real/a.tar`, `sif:${T}/link/nope.sif`, `sif:${T}/missing/x.sif`, "sif:",
      `oci:${T}/link/sub/img:myref`, `oci:${T}/link/sub/img`, `oci:${T}/link/sub/img:`, `oci:${T}/real:@1`, `oci:${T}/real:bad image`,
      `oci:${T}/real:UP/per-case_ok.1`, `oci:${T}/real:a--b`, `oci:${T}/real:a---b`, `oci:${T}/real:a:b@c+d`, `oci:${T}/missing/x:t`, "oci:/",
      "oci:/tmp", "oci:", "oci::ref", `oci:${T}/real:-x`,
      `oci-archive:${T}/real/a.tar:ref`, `oci-archive:${T}/link/a.tar`, `oci-archive:${T}/real/new.tar:x/y`, `oci-archive:${T}/real/a.tar:@1`,
      `oci-archive:${T}/nope/a.tar`, "oci-archive:",
      `tarball:${T}/real/a.tar`, `tarball:${T}/real/a.tar:${T}/real/b.tar`, `tarball:${T}/real/nope.tar`, `tarball:${T}/real/a.tar:`, "tarball:",
      `tarball:${T}/real`, `tarball:${T}/real/file/x`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]busybox`, `containers-storage:[vfs@${T}/s1+${T}/run1]quay.io/org/repo:v1@${HEX64}`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]busybox:v1@sha256:${HEX64}`, `containers-storage:[vfs@${T}/s1+${T}/run1]@${HEX64}`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]busybox@sha256:${HEX64}@${HEX64}`, `containers-storage:[vfs@${T}/s1/+${T}/run1/]x:y`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]`, `containers-storage:[vfs@${T}/s1+${T}/run1]x@`, `containers-storage:[vfs@${T}/s1+${T}/run1]x@abc`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]X`, `containers-storage:[vfs@${T}/s1+${T}/run1]${HEX64}`,
      `containers-storage:[vfs@${T}/s1+${T}/run1]@sha256:${HEX64}`, `containers-storage:[vfs@${T}/s1+${T}/run1]a@b@${HEX64}`,
      `containers-storage:[vfs@${T}/s2+${T}/run2:vfs.ignore_chown_errors=true]busybox`,
      "containers-storage:[", "containers-storage:[]x", "containers-storage:[@/r]x", "containers-storage:[vfs@]x",
      "containers-storage:[vfs@rel]x", "containers-storage:[vfs@/r+rel]x", "containers-storage:[/r]x]",
      ...fuzzStrings(300, 16).map((x) => "docker:" + x),
      ...fuzzStrings(200, 17).map((x) => "docker://" + x),
      ...fuzzStrings(200, 18).map((x) => "docker-daemon:" + x),
      ...fuzzStrings(200, 19).map((x) => "docker-archive:" + x),
      ...fuzzStrings(200, 20).map((x) => `containers-storage:[vfs@${T}/s1+${T}/run1]` + x),
      ...fuzzStrings(100, 21).map((x) => "containers-storage:" + x).filter((x) => x.startsWith("containers-storage:[")),
      ...fuzzStrings(200, 22).filter((x) => !x.startsWith("tarball:")),
    ];
    const requests: GoRequest[] = refs.map((input) => ({ kind: "ref", input }));
    const answers = askGo(binary, requests, tmp);
    if (process.env.REFDIFF_COUNT) console.log(`refdiff: ${requests.length} ${requests[0].kind} cases`);
    const mismatches: string[] = [];
    {
      requests.forEach((q, i) => {
        const r = parseImageReference(q.input, options());
        const ours = r.ok
          ? {
              ok: true,
              identity: r.ref.identity,
              namespaces: r.ref.namespaces,
              within: r.ref.withinTransport,
              imageName: r.ref.imageName,
              dockerReference: r.ref.dockerReference && referenceString(r.ref.dockerReference),
            }
          : { ok: false, error: r.error };
        const a = answers[i];
        const go = a.ok
          ? { ok: true, identity: a.identity, namespaces: a.namespaces, within: a.within ?? "", imageName: a.imageName, dockerReference: a.dockerReference }
          : { ok: false, error: a.error };
        if (JSON.stringify(ours) !== JSON.stringify(go)) {
          mismatches.push(`${JSON.stringify(q.input)}:\n  ours ${JSON.stringify(ours)}\n  go   ${JSON.stringify(go)}`);
        }
      });
    }
    expect(mismatches).toEqual([]);
    expect(requests.length).toBeGreaterThan(300);
  });
});
