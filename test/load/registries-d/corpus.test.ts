/**
 * Every real-world registries.d file loads or fails as containers/image 5.23.1 did
 * (../shared/corpus/real-world/registries-d-verdicts.jsonl, beside the clone).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../../src/host/node-host.js";
import { loadRegistriesDDir, loadRegistriesDFile } from "../../../src/load/registries-d/index.js";
import { SourceFile } from "../../../src/source/source-file.js";
import { CORPUS, skipWithoutShared } from "../../support/shared.js";

const SKIP = skipWithoutShared("the registries.d real-world corpus");
const VERDICTS = path.join(CORPUS, "registries-d-verdicts.jsonl");
const TARGET = [5, 23, 1] as const;

interface Verdict {
  file: string;
  containersImage523: "OK" | "ERROR";
  message: string;
}

// Under CI a missing corpus throws here and fails the file.
const verdicts: Verdict[] = SKIP
  ? []
  : fs.readFileSync(VERDICTS, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Verdict);

describe.skipIf(SKIP)("registries.d real-world corpus (5.23.1 verdicts)", () => {
  it("has verdicts for every file", () => {
    expect(verdicts.length).toBeGreaterThanOrEqual(31);
  });

  for (const v of verdicts) {
    it(`${v.file} → ${v.containersImage523}`, () => {
      let files = v.file.split("+").map((f) => path.join(CORPUS, f));
      // The files are read in place, in upstream's directory order: the order its message names them in.
      if (v.message) {
        const pos = (f: string) => v.message.indexOf(path.basename(f));
        files = [...files].sort((a, b) => pos(a) - pos(b));
      }
      const dir = path.dirname(files[0]);
      const host = nodeHost();
      const r = loadRegistriesDDir(dir, {
        target: TARGET,
        host: { ...host, files: { ...host.files, readDir: () => files.map((f) => path.basename(f)) } },
      });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (v.containersImage523 === "OK") {
        expect(errors).toEqual([]);
        expect(r.value).toBeDefined();
      } else {
        expect(r.value).toBeUndefined();
        expect(errors.length).toBeGreaterThan(0);
        const upstream = errors.find((d) => d.upstreamMessage)?.upstreamMessage ?? "";
        if (v.message.startsWith("Error parsing signature storage configuration")) {
          // The verdict names files relative to the directory; we name them by full path.
          expect(upstream.replaceAll(dir + "/", "")).toBe(v.message);
        } else if (v.message.includes("error unmarshaling JSON")) {
          expect(upstream.replace(files[0], "FILE")).toBe(v.message);
        } else {
          // YAML syntax errors: libyaml's wording for the errors we recognise (corpus 012 is one).
          expect(upstream.replace(files[0], "FILE")).toBe(v.message);
        }
      }
    });
  }

  it("warns about the deprecated sigstore key with a fix", () => {
    const f = path.join(CORPUS, "registries.d/016-coco-merge-case1-file1.yaml");
    const r = loadRegistriesDFile(new SourceFile(f, fs.readFileSync(f, "utf8")), { target: TARGET });
    const dep = r.diagnostics.filter((d) => d.code === "IT1305");
    expect(dep).toHaveLength(2);
    expect(dep[0].fix?.edits[0].text).toBe("lookaside");
  });
});
