/**
 * The two judges agree: the Go harness (containers/image 5.23.1 through its
 * public API) and skopeo 1.9.3 (the same library inside Debian's CLI) give the
 * same parse verdict and message for every policy-parse vector.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGoHarness, GO_BUILD_TIMEOUT_MS, goHarnessAvailable, goParsePolicies } from "../harness/go-harness.js";
import { skopeoAvailable, skopeoParsePolicy } from "../harness/skopeo.js";
import { POLICY_PARSE_VECTORS } from "../support/shared.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const vectorsFile = POLICY_PARSE_VECTORS;
const ci = process.env.CI === "true";
/** The same vectors with containers/image 5.23.1's own verdicts (golden file). */
const DEBIAN_PARSE_VECTORS = path.join(repoRoot, "test/conformance/vectors/policy-parse-5.23.1.jsonl");

interface ParseVector {
  name: string;
  input: string;
  ok: boolean;
  error?: string;
}

const vectors: ParseVector[] = vectorsFile
  ? fs
      .readFileSync(vectorsFile, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as ParseVector)
  : [];

describe.skipIf(!ci && (!goHarnessAvailable() || !skopeoAvailable() || vectors.length === 0))(
  "Go harness vs skopeo on policy-parse vectors",
  () => {
    beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

    it("has the vectors", () => {
      expect(vectors.length).toBeGreaterThan(100);
    });

    it("gives identical verdicts and messages for every vector", async () => {
      const go = await goParsePolicies(vectors.map((v) => v.input));
      const sk = await Promise.all(vectors.map((v) => skopeoParsePolicy(v.input)));
      const disagreements = vectors
        .map((v, i) => ({ name: v.name, go: go[i], skopeo: { ok: sk[i].ok, error: sk[i].message } }))
        .filter((d) => d.go.ok !== d.skopeo.ok || (d.go.error ?? "") !== (d.skopeo.error ?? ""));
      expect(disagreements).toEqual([]);
    }, 300_000);

    it("keeps the 5.23.1 verdict file in step with the library", async () => {
      const go = await goParsePolicies(vectors.map((v) => v.input));
      const text = vectors
        .map((v, i) =>
          JSON.stringify(
            go[i].ok
              ? { name: v.name, input: v.input, ok: true, normalized: go[i].normalized }
              : { name: v.name, input: v.input, ok: false, error: go[i].error },
          ),
        )
        .join("\n")
        .concat("\n");
      if (process.env.UPDATE_GOLDEN === "1") {
        fs.mkdirSync(path.dirname(DEBIAN_PARSE_VECTORS), { recursive: true });
        fs.writeFileSync(DEBIAN_PARSE_VECTORS, text);
      }
      expect(fs.existsSync(DEBIAN_PARSE_VECTORS), "run with UPDATE_GOLDEN=1 to create it").toBe(true);
      expect(fs.readFileSync(DEBIAN_PARSE_VECTORS, "utf8")).toBe(text);
    }, 300_000);
  },
);
