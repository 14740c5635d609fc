/**
 * `dir:` records from templates (src/cli/simulate-dir-records.ts) equal the full path's records byte for byte: over
 * image directories that are missing, exist (with a manifest), are symlinks, sit under a missing parent or carry a
 * trailing slash, relative paths, scopes that accept, reject or ask for signatures, and a directory that appears
 * between two references of the same path. The common case written as bytes (`prepare` + `writePrepared`: lstat of the
 * path, realpath of its parent) is held to the same records, and refuses every path whose resolution is not the path as
 * typed: a symlinked parent, a dangling symlink, a path through a file, a missing parent or grandparent, relative paths,
 * `.`, `..` and empty last elements.
 */
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { policyIR, R } from "../simulate/policy-builder.js";
import { createRunSimulator } from "../../src/simulate/simulate-run.js";
import { referenceReads } from "../../src/simulate/reference-reads.js";
import { signatureEvidence } from "../../src/verify/evidence.js";
import { createDirRecords } from "../../src/cli/simulate-dir-records.js";
import { projectRecord, type RecordSelection } from "../../src/cli/simulate-output.js";
import { scratchSink } from "../../src/simulate/record-bytes.js";
import { prng } from "../support/prng.js";

function run(dir: string, selection: RecordSelection) {
  const host = nodeHost();
  const reads = referenceReads(host.files);
  const policy = policyIR({
    default: [R.reject],
    transports: { dir: { "": [R.accept], [path.join(dir, "rejected")]: [R.reject], [path.join(dir, "signed")]: [R.signedBy], [path.join(dir, "exact", "one")]: [R.accept, R.reject] } },
  });
  const parse = { cwd: dir };
  const evidenceSource = signatureEvidence({ host: { ...host, files: reads.files }, lookaside: false, otherTransports: "skip", cwd: dir });
  const runner = createRunSimulator({ policy, host, parse, pathCheck: { host, parse }, evidenceSource });
  const records = createDirRecords({ runner, reads, cwd: dir, selection, machine: host.files });
  const exact = async (input: string) => {
    reads.clear();
    return JSON.stringify(projectRecord(await runner.simulate(input), selection));
  };
  return { records, exact };
}

describe("dir: records from templates", () => {
  for (const selection of [{ kind: "lean" }, { kind: "fields", fields: new Set(["ref", "verdict", "signatures", "namespacesTried", "reasons"]) }] as RecordSelection[]) {
    it(`equal the full path's records (${selection.kind})`, async () => {
      const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "imagetrust-dir-records-")));
      for (const d of ["rejected", "signed", "exact", "present", "empty"]) mkdirSync(path.join(dir, d));
      writeFileSync(path.join(dir, "present", "manifest.json"), JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
      symlinkSync(path.join(dir, "present"), path.join(dir, "link"));
      // A directory without a manifest but with a signature; one whose manifest is a dangling symlink; a file.
      mkdirSync(path.join(dir, "signed-only"));
      writeFileSync(path.join(dir, "signed-only", "signature-1"), "not a signature");
      mkdirSync(path.join(dir, "dangling"));
      symlinkSync(path.join(dir, "nowhere"), path.join(dir, "dangling", "manifest.json"));
      writeFileSync(path.join(dir, "a-file"), "x");
      const r = prng(77);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
      symlinkSync(path.join(dir, "rejected"), path.join(dir, "rejected-link"));
      symlinkSync(path.join(dir, "nowhere"), path.join(dir, "dangling-dir"));
      const paths = [
        ...Array.from({ length: 6 }, (_, i) => `${dir}/missing${i}`),
        ...Array.from({ length: 4 }, (_, i) => `${dir}/rejected/img${i}`),
        `${dir}/signed-only`, `${dir}/dangling`, `${dir}/a-file`, `${dir}/rejected/img0/x`,
        `${dir}/signed/img`, `${dir}/exact/one`, `${dir}/present`, `${dir}/link`, `${dir}/empty`, `${dir}/nope/img`, `${dir}/missing0/`,
        "missing-relative", `${dir}/./missing1`, `${dir}//missing2`, `${dir}/with space`, `${dir}/quote"d`,
        // Resolutions that are not the path as typed, or fail: never the bytes path.
        `${dir}/rejected-link/img1`, `${dir}/dangling-dir/img`, `${dir}/dangling/manifest.json`, `${dir}/a-file/img`, `${dir}/nope/nope/img`,
        `${dir}/rejected/.`, `${dir}/rejected/..`, `${dir}/missing4/..`, `${dir}/missing4/.`, "./missing-relative", "rejected/img1",
        "/imagetrust-no-such-directory-at-the-root",
      ];
      const notTyped = new Set(paths.slice(-12));
      const { records, exact } = run(dir, selection);
      const sink = scratchSink();
      let prepared = 0;
      for (let i = 0; i < 600; i++) {
        const p = pick(paths);
        const input = `dir:${p}`;
        // A directory appears: its reference is decided on what is there now.
        if (i === 450) mkdirSync(path.join(dir, "missing3"));
        if (i === 450) writeFileSync(path.join(dir, "missing3", "manifest.json"), "{}");
        const verdict = records.prepare(input);
        let got: string | undefined;
        if (verdict !== undefined) {
          if (notTyped.has(p) && p !== "/imagetrust-no-such-directory-at-the-root") throw new Error(`written as bytes: ${input}`);
          sink.pos = 0;
          records.writePrepared(sink);
          got = sink.text();
          prepared++;
        } else got = (await records.record(input))?.json;
        const want = await exact(input);
        if (got !== undefined) expect(got, input).toBe(want);
        if (verdict !== undefined) expect(JSON.parse(want).verdict, input).toBe(verdict);
      }
      expect(prepared).toBeGreaterThan(150);
      expect(records.counts.templated).toBeGreaterThan(200);
      expect(records.counts.explained).toBeGreaterThan(2);
    });
  }

  it("asks the file system afresh for every reference (nothing remembered between bytes records)", async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "imagetrust-dir-records-fresh-")));
    mkdirSync(path.join(dir, "grand", "parent"), { recursive: true });
    const { records } = run(dir, { kind: "lean" });
    // A template for the default scope, made and confirmed by the full path.
    for (const p of ["grand/parent/a", "grand/parent/b"]) expect(await records.record(`dir:${dir}/${p}`)).toBeDefined();
    const img = `dir:${dir}/grand/parent/img`;
    // As the command asks, one reference after another, with nothing else in between.
    expect(records.prepare(img)).toBe("allow");
    expect(records.prepare(img)).toBe("allow");
    // The image directory appears: no longer missing.
    mkdirSync(path.join(dir, "grand", "parent", "img"));
    expect(records.prepare(img)).toBeUndefined();
    rmdirSync(path.join(dir, "grand", "parent", "img"));
    expect(records.prepare(img)).toBe("allow");
    // The parent becomes a symlink, then the grandparent: the identity is no longer the path as typed.
    renameSync(path.join(dir, "grand", "parent"), path.join(dir, "grand", "parent-real"));
    symlinkSync(path.join(dir, "grand", "parent-real"), path.join(dir, "grand", "parent"));
    expect(records.prepare(img)).toBeUndefined();
    renameSync(path.join(dir, "grand"), path.join(dir, "grand-real"));
    symlinkSync(path.join(dir, "grand-real"), path.join(dir, "grand"));
    expect(records.prepare(`dir:${dir}/grand/parent-real/img`)).toBeUndefined();
    expect(records.prepare(`dir:${dir}/grand-real/parent-real/img`)).toBe("allow");
    // The parent goes away.
    expect(records.prepare(`dir:${dir}/grand-real/gone/img`)).toBeUndefined();
  });
});
