/**
 * registries.d mapping keys (issue 17): containers/image 5.23.1 (ghodss/yaml over yaml.v2) refuses a sequence or
 * mapping as a key anywhere in the file, and a null key, which the `yaml` package accepts; scalar keys of other
 * types are fine. Each case is decided by the Go harness (docker.SignatureStorageBaseURL over the directory) and by
 * loadRegistriesDFile for target 5.23, with the runtime's message as upstreamMessage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRegistriesDFile } from "../../../src/load/registries-d/index.js";
import { SourceFile } from "../../../src/source/source-file.js";
import { buildGoHarness, GO_BUILD_TIMEOUT_MS, goHarnessAvailable, goLookaside } from "../../harness/go-harness.js";
import { makeTempDir } from "../../harness/skopeo.js";

const ci = process.env.CI === "true";
const OK = "docker:\n  quay.io:\n    lookaside: https://x.example/s\n";

/** [name, text, loaded by containers/image 5.23.1] */
const CASES: [string, string, boolean][] = [
  ["a sequence as a key (? [a, b])", `? [a, b]\n: 1\n${OK}`, false],
  ["a mapping as a key", "? {a: 1}\n: 1\n", false],
  ["a flow sequence as a key", "[a]: 1\n", false],
  ["a complex key inside docker:", "docker:\n  ? [a, b]\n  : {lookaside: https://x.example/s}\n", false],
  ["a complex key inside a namespace", "docker:\n  quay.io:\n    ? [a]\n    : 1\n", false],
  ["a complex key deep in an unknown value", "foo:\n  bar:\n    ? [1, x, true, ~]\n    : 2\n", false],
  ["a null key", "~: 1\ndocker: {}\n", false],
  ["a null key in a namespace", "docker:\n  quay.io:\n    ~: x\n", false],
  ["a null key with a mapping value", "foo:\n  bar:\n    null: {a: 1}\n", false],
  ["an integer key", "1: 1\n", true],
  ["a bool key", "true: 1\n", true],
  ["a float key", "1.5: 1\n", true],
  ["a timestamp key", "2001-12-14: 1\n", true],
  ["a merge key", "base: &b {lookaside: https://x.example/s}\ndocker:\n  quay.io:\n    <<: *b\n", true],
  ["a duplicate top-level key (5.23: the last wins)", "docker: {}\ndocker: {}\n", true],
  ["a 23-digit integer in an unknown key", "foo: 99999999999999999999999\n", true],
];

describe.skipIf(!goHarnessAvailable() && !ci)("registries.d keys vs containers/image 5.23.1", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

  it.each(CASES)("%s", async (_name, text, loads) => {
    const dir = makeTempDir("regd-edge-");
    const file = path.join(dir, "a.yaml");
    fs.writeFileSync(file, text);
    const [go] = await goLookaside(dir, ["quay.io/a/b:t"]);
    expect(go.readError === undefined, go.readError).toBe(loads);
    const r = loadRegistriesDFile(new SourceFile(file, text), { target: [5, 23, 1] });
    expect(r.value !== undefined, JSON.stringify(r.diagnostics)).toBe(loads);
    if (!loads) expect(r.diagnostics.find((d) => d.severity === "error")?.upstreamMessage).toBe(go.readError);
  });
});

describe("registries.d keys for the newest target (yaml.v3)", () => {
  it("refuses a sequence key where a name is decoded, and ignores one inside an unknown key's value", () => {
    const r = loadRegistriesDFile(new SourceFile("a.yaml", "docker:\n  ? [a, b]\n  : {lookaside: https://x.example/s}\n"));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0].upstreamMessage).toBe("parsing a.yaml: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string");
    const ok = loadRegistriesDFile(new SourceFile("a.yaml", "foo:\n  ? [a]\n  : 1\n"));
    expect(ok.value).toBeDefined();
  });
});
