/**
 * registries.conf edges where smol-toml and BurntSushi/toml (containers/image 5.23.1) disagreed (issue 17): a BOM,
 * escapes TOML 1.0 lacks (`\x41`, `\e`), floats and integers out of float64/int64 range, impossible dates — refused
 * by the runtime — and arrays / inline tables 2,000 deep, which it loads. Each case is decided by the Go harness
 * and by loadRegistriesConfFile; where imagetrust gives an upstreamMessage it must be the runtime's text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRegistriesConfFile } from "../../../src/load/registries-conf/index.js";
import { MAX_TOML_DEPTH } from "../../../src/load/registries-conf/toml-parse.js";
import { SourceFile } from "../../../src/source/source-file.js";
import { buildGoHarness, GO_BUILD_TIMEOUT_MS, goHarnessAvailable, goPullSources } from "../../harness/go-harness.js";
import { makeTempDir } from "../../harness/skopeo.js";

const ci = process.env.CI === "true";
const deep = (n: number, open: string, close: string) => open.repeat(n) + "1" + close.repeat(n);

/** [name, text, loaded by containers/image 5.23.1] */
const CASES: [string, string, boolean][] = [
  ["BOM", '\uFEFFunqualified-search-registries = ["quay.io"]\n', false],
  ["BOM only", "\uFEFF", false],
  ["\\x escape", 'unqualified-search-registries = ["\\x41"]\n', false],
  ["\\e escape", 'foo = "\\e"\n', false],
  ["\\x in a quoted key", '"a\\x41" = 1\n', false],
  ["\\x in a multi-line string", 'foo = """\na\\\n  b \\x41"""\n', false],
  ["\\x in a literal string", "foo = '\\x41'\n", true],
  ["\\x in a comment", '# "\\x41"\nfoo = 1\n', true],
  ["1e999", "foo = 1e999\n", false],
  ["-1e999", "foo = -1e999\n", false],
  ["1e999 in a table", "[registry]\nfoo = 1e999\n", false],
  ["1e999 in nested inline tables", "foo = {a = {b = 1e999}}\n", false],
  ["1e999 in a nested array", "foo = [1, [2, 1e999]]\n", false],
  ["1e999 as a key", "1e999 = 1\n", true],
  ["largest float64", "foo = 1.7976931348623157e308\n", true],
  ["inf", "foo = inf\n", true],
  ["int64 max", "foo = 9223372036854775807\n", true],
  ["int64 max + 1", "foo = 9223372036854775808\n", false],
  ["int64 min", "foo = -9223372036854775808\n", true],
  ["int64 min - 1", "foo = -9223372036854775809\n", false],
  ["20-digit integer", "foo = 99999999999999999999\n", false],
  ["huge hex integer", "foo = 0xffffffffffffffffff\n", false],
  ["2023-02-29", "foo = 2023-02-29\n", false],
  ["2024-02-29", "foo = 2024-02-29\n", true],
  ["2024-02-30T00:00:00Z", "foo = 2024-02-30T00:00:00Z\n", false],
  ['"2023-02-29" as a key', '"2023-02-29" = 1\n', true],
  ["array 1,001 deep", `foo = ${deep(1001, "[", "]")}\n`, true],
  ["array 2,000 deep", `foo = ${deep(2000, "[", "]")}\n`, true],
  ["inline tables 2,000 deep", `foo = ${deep(2000, "{a=", "}")}\n`, true],
  ["dotted key 2,000 long", `a${".a".repeat(2000)} = 1\n`, true],
  ["duplicate key", 'short-name-mode = "enforcing"\nshort-name-mode = "permissive"\n', false],
  ["duplicate table", "[aliases]\n[aliases]\n", false],
  ["duplicate key in an inline table", "foo = {a=1, a=2}\n", false],
  ["NUL in a string", 'foo = "a\u0000b"\n', false],
  ["NUL in a comment", "# a\u0000b\nfoo = 1\n", false],
  ["control character in a comment", "# a\u0001b\n", false],
  ["DEL in a string", 'foo = "a\u007fb"\n', false],
  ["control character in a table's value", '[registry]\nlocation = "a\u0002"\n', false],
  ["a lone CR", "foo = 1\rbar = 2\n", false],
  ["\\uD800", 'foo = "\\uD800"\n', false],
];

describe.skipIf(!goHarnessAvailable() && !ci)("registries.conf edges vs containers/image 5.23.1", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

  it.each(CASES)("%s", async (_name, text, loads) => {
    const file = path.join(makeTempDir("conf-edge-"), "registries.conf");
    fs.writeFileSync(file, text);
    const [go] = await goPullSources({ registriesConf: file }, ["docker.io/library/busybox"]);
    const goError = go.error?.startsWith("loading registries configuration") ? go.error : undefined;
    expect(goError === undefined, go.error).toBe(loads);
    const r = loadRegistriesConfFile(new SourceFile(file, text));
    expect(r.value !== undefined, JSON.stringify(r.diagnostics)).toBe(loads);
    const upstream = r.diagnostics.find((d) => d.severity === "error")?.upstreamMessage;
    if (goError !== undefined && upstream !== undefined) expect(goError).toBe(`loading registries configuration ${JSON.stringify(file)}: ${upstream}`);
  });
});

describe("registries.conf nesting beyond imagetrust's limit", () => {
  it(`is refused with a coded error naming the limit (${MAX_TOML_DEPTH}), not a stack overflow`, () => {
    for (const [o, c] of [["[", "]"], ["{a=", "}"]]) {
      const r = loadRegistriesConfFile(new SourceFile("registries.conf", `foo = ${deep(10_000, o, c)}\n`));
      expect(r.value).toBeUndefined();
      expect(r.diagnostics[0]).toMatchObject({ code: "IT1400" });
      expect(r.diagnostics[0].message).toContain(`nested more than ${MAX_TOML_DEPTH} levels deep (imagetrust's limit; containers/image has none)`);
    }
  });
});
