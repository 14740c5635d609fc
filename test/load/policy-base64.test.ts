/**
 * Base64 and Go token formatting against Go itself (test/load/json-oracle.go): base64.StdEncoding.Decode
 * on ~600 generated strings (padding, \r\n, URL alphabet, garbage, non-ASCII), and the "JSON object
 * expected, got …" renderings (%#v and "%s") of ~300 numbers and other first tokens.
 * Skipped only when `go` is missing and CI is not "true".
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatTokenPercentS, formatTokenSharpV, goFloatOverflows } from "../../src/load/json-go-format.js";
import { parseJson } from "../../src/load/json-parse.js";
import { encodeBase64, goBase64Decode } from "../../src/util/go-base64.js";

const haveGo = spawnSync("go", ["version"]).status === 0;
const mustRun = process.env.CI === "true";

function askGo(requests: { mode: string; data: Buffer }[]): { ok: boolean; err?: string; out?: string }[] {
  const oracle = fileURLToPath(new URL("./json-oracle.go", import.meta.url));
  const input = requests.map((r) => JSON.stringify({ mode: r.mode, data: r.data.toString("base64") })).join("\n") + "\n";
  const r = spawnSync("go", ["run", oracle], { input, env: { ...process.env, GO111MODULE: "off", GOFLAGS: "" }, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l));
}

describe("goBase64Decode (fixed cases)", () => {
  const cases: [string, string | number][] = [
    ["", ""],
    ["YWJj", "YWJj"],
    ["YQ==", "YQ=="],
    ["YWI=", "YWI="],
    ["YQ", 0],
    ["YWJ", 0],
    ["YWJjY", 4],
    ["YQ=", 3],
    ["Y===", 1],
    ["YQ==YQ==", 4],
    ["YW-_", 2],
    ["YW\nJj\r\n", "YWJj"],
    ["\n", ""],
    ["YR==", "YQ=="], // non-zero trailing bits are accepted (StdEncoding is not Strict)
    ["this is invalid base64", 4],
    ["é", 0],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => {
      const r = goBase64Decode(input);
      if (typeof expected === "string") {
        expect(r.ok).toBe(true);
        if (r.ok) expect(encodeBase64(r.bytes)).toBe(expected);
      } else {
        expect(r).toEqual({ ok: false, offset: expected, message: `illegal base64 data at input byte ${expected}` });
      }
    });
  }
});

describe.skipIf(!haveGo && !mustRun)("against Go", () => {
  it("base64.StdEncoding.Decode agrees on ~600 generated strings", () => {
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const extras = ["=", "==", "\n", "\r", "-", "_", " ", "é", "\u0000", "*"];
    const inputs: string[] = [];
    for (let k = 0; k < 600; k++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 256)));
      let s = bytes.toString("base64");
      const edits = Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const pos = Math.floor(rnd() * (s.length + 1));
        const op = rnd();
        const ins = rnd() < 0.5 ? extras[Math.floor(rnd() * extras.length)] : alphabet[Math.floor(rnd() * 64)];
        if (op < 0.4) s = s.slice(0, pos) + ins + s.slice(pos);
        else if (op < 0.7) s = s.slice(0, pos) + s.slice(pos + 1);
        else s = s.slice(0, pos);
      }
      inputs.push(s);
    }
    const answers = askGo(inputs.map((s) => ({ mode: "b64", data: Buffer.from(s, "utf8") })));
    const mismatches: string[] = [];
    inputs.forEach((s, i) => {
      const ours = goBase64Decode(s);
      const go = answers[i];
      const same = go.ok ? ours.ok && encodeBase64(ours.bytes) === (go.out ?? "") : !ours.ok && ours.message === go.err;
      if (!same) mismatches.push(`${JSON.stringify(s)}: go ${go.ok ? go.out : go.err}, ours ${JSON.stringify(ours)}`);
    });
    expect(mismatches).toEqual([]);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(100);
    expect(answers.filter((a) => !a.ok).length).toBeGreaterThan(100);
  }, 120_000);

  it("first-token renderings (%#v and \"%s\") agree on ~300 numbers, strings, literals and delimiters", () => {
    let x = 99;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const docs: string[] = ["[", "{", "null", "true", "false", '"a\\"b\\u00e9\\n\\u0001"', '""', "-0", "0", "1e400", "-1e400", "1e-400"];
    for (let k = 0; k < 300; k++) {
      const mant = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 12)));
      const frac = rnd() < 0.5 ? "." + String(Math.floor(rnd() * 10 ** Math.floor(1 + rnd() * 8))) : "";
      const exp = rnd() < 0.5 ? "e" + (rnd() < 0.5 ? "-" : "+") + Math.floor(rnd() * 30) : "";
      docs.push((rnd() < 0.3 ? "-" : "") + mant + frac + exp);
    }
    const answers = askGo(docs.map((d) => ({ mode: "token", data: Buffer.from(d, "utf8") })));
    const mismatches: string[] = [];
    docs.forEach((d, i) => {
      const parsed = parseJson(d === "[" ? "[]" : d === "{" ? "{}" : d);
      if (!parsed.ok) throw new Error(d);
      const node = parsed.value;
      const go = answers[i];
      if (!go.ok) {
        if (!(node.kind === "number" && goFloatOverflows(node.raw))) mismatches.push(`${d}: go error ${go.err}`);
        return;
      }
      const ours = `${formatTokenSharpV(node)}|${formatTokenPercentS(node)}`;
      if (ours !== go.out) mismatches.push(`${d}: go ${go.out}, ours ${ours}`);
    });
    expect(mismatches).toEqual([]);
  }, 120_000);
});
