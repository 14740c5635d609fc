/** Inputs the fuzzers found, kept as plain cases (each failed before its fix). */
import { describe, expect, it } from "vitest";
import { loadRegistriesConfFile } from "../../src/load/registries-conf/index.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { parseVersion } from "../../src/ir/versions.js";
import type { LoadResult } from "../../src/load/result.js";
import { SourceFile } from "../../src/source/source-file.js";
import { loadResultViolation } from "./support.js";

const CASES: Array<{ name: string; file: string; text: string; target?: string; load: (s: SourceFile, t?: ReturnType<typeof parseVersion>) => LoadResult<unknown>; rejected?: boolean }> = [
  { name: "YAML error at the end of the stream had a span one past the text", file: "a.yaml", text: '"', load: (s, target) => loadRegistriesDFile(s, { target }) },
  { name: "a complex key with a scalar merge made yaml throw while naming the key (5.23)", file: "a.yaml", text: "? <<: ", target: "5.23", load: (s, target) => loadRegistriesDFile(s, { target }) },
  { name: "alias written with a \\u escape: error had no span", file: "a.conf", text: '[aliases]\n"\\u0000rhel9/skopeo" = "registry.redhat.io/rhel9/skopeo"\n', load: (s, target) => loadRegistriesConfFile(s, { target }) },
  { name: "[[registry.mirror]] without [[registry]]: error had no span", file: "a.conf", text: '[[registry.mirror]]\nlocation = "m.example.com"\n', load: (s, target) => loadRegistriesConfFile(s, { target }) },
  { name: "[aliases] with a dotted key: error had no span", file: "a.conf", text: '[aliases]\ne.xample="example.com/library/foo"\n', load: (s, target) => loadRegistriesConfFile(s, { target }) },
  { name: "a C0 control character in a YAML key (libyaml: 'control characters are not allowed') was accepted", file: "a.yaml", text: "docker:\n  quay.io\u0004x:\n    lookaside: https://a.example\n", load: (s, target) => loadRegistriesDFile(s, { target }), rejected: true },
  {
    name: "a merge-key bomb overflowed the stack after ~25 s",
    file: "a.yaml",
    text: `x0: &x0 {lookaside: "https://a.example"}\n${Array.from({ length: 30 }, (_, i) => `x${i + 1}: &x${i + 1} {<<: [*x${i}, *x${i}], k${i}: v}`).join("\n")}\ndocker:\n  quay.io:\n    <<: *x30\n`,
    load: (s, target) => loadRegistriesDFile(s, { target }),
  },
];

describe("fuzz findings stay fixed", () => {
  it.each(CASES)("$name", ({ file, text, target, load, rejected }) => {
    const r = load(new SourceFile(file, text), target ? parseVersion(target) : undefined);
    expect(loadResultViolation(text, file, r)).toBeUndefined();
    if (rejected) expect(r.value).toBeUndefined();
  });
});
