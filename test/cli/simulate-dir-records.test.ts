/**
 * `dir:` records from templates (src/cli/simulate-dir-records.ts) equal the full path's records byte for byte: over
 * image directories that are missing, exist (with a manifest), are symlinks, sit under a missing parent or carry a
 * trailing slash, relative paths, scopes that accept, reject or ask for signatures, and a directory that appears
 * between two references of the same path.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
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
  const records = createDirRecords({ runner, reads, cwd: dir, selection });
  const exact = async (input: string) => {
    reads.clear();
    return JSON.stringify(projectRecord(await runner.simulate(input), selection));
  };
  return { records, exact };
}

describe("dir: records from templates", () => {
  for (const selection of [{ kind: "lean" }, { kind: "fields", fields: new Set(["ref", "verdict", "signatures", "namespacesTried", "reasons"]) }] as RecordSelection[]) {
    it(`equal the full path's records (${selection.kind})`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-dir-records-"));
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
      const paths = [
        ...Array.from({ length: 6 }, (_, i) => `${dir}/missing${i}`),
        ...Array.from({ length: 4 }, (_, i) => `${dir}/rejected/img${i}`),
        `${dir}/signed-only`, `${dir}/dangling`, `${dir}/a-file`, `${dir}/rejected/img0/x`,
        `${dir}/signed/img`, `${dir}/exact/one`, `${dir}/present`, `${dir}/link`, `${dir}/empty`, `${dir}/nope/img`, `${dir}/missing0/`,
        "missing-relative", `${dir}/./missing1`, `${dir}//missing2`, `${dir}/with space`, `${dir}/quote"d`,
      ];
      const { records, exact } = run(dir, selection);
      for (let i = 0; i < 400; i++) {
        const input = `dir:${pick(paths)}`;
        // A directory appears: its reference is decided on what is there now.
        if (i === 300) mkdirSync(path.join(dir, "missing3"));
        if (i === 300) writeFileSync(path.join(dir, "missing3", "manifest.json"), "{}");
        const got = await records.record(input);
        const want = await exact(input);
        if (got !== undefined) expect(got.json, input).toBe(want);
      }
      expect(records.counts.templated).toBeGreaterThan(150);
      expect(records.counts.explained).toBeGreaterThan(2);
    });
  }
});
