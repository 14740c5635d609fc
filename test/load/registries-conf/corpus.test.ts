/**
 * Every real-world registries.conf loads or fails as containers/image 5.23.1 did, and the lookup of
 * docker.io/library/busybox fails exactly where it failed
 * (../shared/corpus/real-world/registries-conf-verdicts.jsonl, beside the clone).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../../src/host/node-host.js";
import { loadRegistriesConf } from "../../../src/load/registries-conf/index.js";
import { parseNormalizedNamed } from "../../../src/reference/docker-reference.js";
import { pullSources } from "../../../src/registries/resolve.js";
import { CORPUS, skipWithoutShared } from "../../support/shared.js";

const host = nodeHost();
const SKIP = skipWithoutShared("the registries.conf real-world corpus");
const VERDICTS = path.join(CORPUS, "registries-conf-verdicts.jsonl");

interface Verdict {
  file: string;
  containersImage523: "OK" | "ERROR";
  message: string;
  busyboxLookup: string;
}

// Under CI a missing corpus throws here and fails the file.
const verdicts: Verdict[] = SKIP
  ? []
  : fs.readFileSync(VERDICTS, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Verdict);

describe.skipIf(SKIP)("registries.conf real-world corpus (5.23.1 verdicts)", () => {
  it("has verdicts for every file", () => {
    expect(verdicts.length).toBeGreaterThanOrEqual(23);
  });

  for (const v of verdicts) {
    it(`${v.file} → ${v.containersImage523}${v.busyboxLookup ? " (busybox lookup fails)" : ""}`, () => {
      const file = path.join(CORPUS, v.file);
      // The file is read in place, alone: no drop-in directories.
      const r = loadRegistriesConf({ host, confPath: file, confDirs: [], explicit: true, target: [5, 23, 1] });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (v.containersImage523 === "ERROR") {
        expect(r.value).toBeUndefined();
        expect(errors.length).toBeGreaterThan(0);
        // The verdicts name the file relative to the corpus root.
        expect(errors[0].upstreamMessage?.replace(CORPUS + "/", "")).toBe(v.message);
        return;
      }
      expect(errors).toEqual([]);
      expect(r.value).toBeDefined();
      const busybox = parseNormalizedNamed("docker.io/library/busybox");
      if (!busybox.ok) throw new Error(busybox.error);
      const ps = pullSources(r.value!, busybox.ref);
      if (v.busyboxLookup) {
        expect(ps.ok).toBe(false);
        if (!ps.ok) expect(ps.error).toBe(v.busyboxLookup);
      } else {
        expect(ps.ok).toBe(true);
      }
    });
  }

  it("flags the v1 format of 023 and converts it", () => {
    const r = loadRegistriesConf({ host, confPath: path.join(CORPUS, "registries.conf/023-v1-format-for-contrast.conf"), explicit: true, target: [5, 23, 1] });
    expect(r.diagnostics.map((d) => d.code)).toContain("IT1404");
    expect(r.value?.unqualifiedSearchRegistries.length).toBeGreaterThan(0);
  });

  it("warns that 017's placeholder locations make every pull through them fail", () => {
    const r = loadRegistriesConf({ host, confPath: path.join(CORPUS, "registries.conf/017-aliyun-mirror-misplaced.conf"), explicit: true, target: [5, 23, 1] });
    expect(r.value).toBeDefined();
    const w = r.diagnostics.filter((d) => d.code === "IT1427");
    expect(w).toHaveLength(2);
    expect(w[0].message).toContain("rewriting reference: invalid reference format");
  });
});
