/**
 * `dir:` path resolution against containers/image 5.23.1 (the refdiff Go program: alltransports.ParseImageName, which
 * resolves the path with `explicitfilepath.ResolvePathToFullyExplicit`), over the file-system shapes the resolution
 * branches on: a missing image in a directory that exists, a symlinked parent or grandparent, a dangling symlink as the
 * image or as its parent, a path through a file, a missing parent or grandparent, a symlink loop, `.`, `..` and empty last
 * elements, relative paths (resolved in the same working directory), the root's children.
 *
 * Held equal to Go: the strict parse (identity, namespaces or error), the lenient resolution wherever Go resolves, and
 * the records `imagetrust simulate` writes for them (simulate-dir-records.ts: its bytes path, asked first as the command
 * asks it, and its full path otherwise): identity and namespaces tried where Go resolves, Go's error where it does not.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { resolvePathLeniently } from "../../src/reference/resolve-path.js";
import { createRunSimulator } from "../../src/simulate/simulate-run.js";
import { referenceReads } from "../../src/simulate/reference-reads.js";
import { signatureEvidence } from "../../src/verify/evidence.js";
import { createDirRecords } from "../../src/cli/simulate-dir-records.js";
import { projectRecord } from "../../src/cli/simulate-output.js";
import { scratchSink } from "../../src/simulate/record-bytes.js";
import { policyIR, R } from "../simulate/policy-builder.js";
import { askGo, goAvailable, harnessBinary } from "./refdiff-harness.js";

describe.skipIf(!goAvailable)("dir: resolution agrees with containers/image 5.23.1", () => {
  let binary: string;
  let T: string;
  beforeAll(() => {
    binary = harnessBinary();
    T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-dir-diff-")));
    fs.mkdirSync(path.join(T, "real/sub/img"), { recursive: true });
    fs.symlinkSync(path.join(T, "real"), path.join(T, "link"));
    fs.symlinkSync("real/sub", path.join(T, "rel-link"));
    fs.symlinkSync(path.join(T, "nonexistent"), path.join(T, "dangling"));
    fs.symlinkSync(path.join(T, "loop"), path.join(T, "loop"));
    fs.writeFileSync(path.join(T, "real/file"), "");
  }, 600_000);
  afterAll(() => {
    if (T !== undefined) fs.rmSync(T, { recursive: true, force: true });
  });

  const shapes = (T: string): string[] => {
    const rel = ["real/sub/new", "real/sub/img", "link/sub/new", "link/new", "rel-link/new", "dangling", "dangling/new", "real/file",
      "real/file/new", "nope/new", "nope/nope/new", "loop", "loop/new", "real/sub/.", "real/sub/..", "real/new/.", "real/new/..",
      "real/sub/", "real/new/", "real//sub/new", "real/./sub/new", "real/../real/sub/new", "new"];
    return [...rel.map((p) => `${T}/${p}`), ...rel, ...rel.map((p) => `./${p}`), "/imagetrust-no-such-directory", "/imagetrust-no/such", "/", "/tmp", ".", ".."];
  };

  it("the strict parse and the lenient resolution", () => {
    const paths = shapes(T);
    const answers = askGo(binary, paths.map((p) => ({ kind: "ref" as const, input: `dir:${p}` })), T);
    const host = nodeHost();
    const mismatches: string[] = [];
    paths.forEach((p, i) => {
      const a = answers[i];
      const r = parseImageReference(`dir:${p}`, { target: [5, 23, 1], debian: true, strictPaths: true, cwd: T, host });
      const ours = r.ok ? { ok: true, identity: r.ref.identity, namespaces: r.ref.namespaces } : { ok: false, error: r.error };
      const go = a.ok ? { ok: true, identity: a.identity, namespaces: a.namespaces } : { ok: false, error: a.error };
      if (JSON.stringify(ours) !== JSON.stringify(go)) mismatches.push(`strict ${p}: ours ${JSON.stringify(ours)} go ${JSON.stringify(go)}`);
      // Where upstream resolves, the lenient rule (the simulator's default) says the same.
      if (a.ok && resolvePathLeniently(p, T, host.files) !== a.identity) mismatches.push(`lenient ${p}: ${resolvePathLeniently(p, T, host.files)} go ${a.identity}`);
    });
    expect(mismatches).toEqual([]);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(20);
    expect(answers.filter((a) => !a.ok).length).toBeGreaterThan(20);
  });

  it("the records simulate writes", async () => {
    const paths = shapes(T);
    const inputs = paths.flatMap((p) => [`dir:${p}`, `dir:${p}`]);
    // Templates for both scopes are made and confirmed first (two other images of directories that exist).
    const warm = [`dir:${T}/real/warm1`, `dir:${T}/real/warm2`, `dir:${T}/real/sub/warm3`, `dir:${T}/real/sub/warm4`];
    const answers = askGo(binary, inputs.map((input) => ({ kind: "ref" as const, input })), T);
    const host = nodeHost();
    const reads = referenceReads(host.files);
    const policy = policyIR({ default: [R.reject], transports: { dir: { "": [R.accept], [path.join(T, "real/sub")]: [R.reject] } } });
    const parse = { cwd: T };
    const evidenceSource = signatureEvidence({ host: { ...host, files: reads.files }, lookaside: false, otherTransports: "skip", cwd: T });
    const runner = createRunSimulator({ policy, host, parse, pathCheck: { host, parse }, evidenceSource });
    const records = createDirRecords({ runner, reads, cwd: T, selection: { kind: "lean" }, machine: host.files });
    for (const w of warm) await records.record(w);
    const sink = scratchSink();
    const mismatches: string[] = [];
    let bytes = 0;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      let json: string;
      if (records.prepare(input) !== undefined) {
        sink.pos = 0;
        records.writePrepared(sink);
        json = sink.text();
        bytes++;
      } else {
        const fr = await records.record(input);
        reads.clear();
        json = fr?.json ?? JSON.stringify(projectRecord(await runner.simulate(input), { kind: "lean" }));
      }
      const rec = JSON.parse(json) as { error: string | null; identity: string | null; namespacesTried: string[] };
      const a = answers[i];
      if (a.ok) {
        // The namespaces tried are Go's namespaces up to the deciding one.
        const triedOk = rec.namespacesTried.every((ns, k) => a.namespaces[k] === ns);
        if (rec.error !== null || rec.identity !== a.identity || !triedOk) mismatches.push(`${input}: ours ${json.slice(0, 300)} go ${JSON.stringify(a)}`);
      } else if (rec.error !== a.error) mismatches.push(`${input}: ours error ${rec.error} go ${a.error}`);
    }
    expect(mismatches).toEqual([]);
    // T/real/sub/new, T/new and /imagetrust-no-such-directory, twice each.
    expect(bytes).toBe(6);
  });
});
