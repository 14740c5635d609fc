// `imagetrust validate --target 5.23` on raw bytes (the CLI's own decoding, binary and size handling included)
// against skopeo 1.9.3 (containers/image 5.23.1) on the same file: same verdict, same message.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { makeDirImage, runSkopeo, skopeoAvailable } from "../harness/skopeo.js";
import { runCli } from "./helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Array<Uint8Array | number[] | string>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...enc(p)] : [...p])));
const VALID = '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/acme":[{"type":"insecureAcceptAnything"}]}}}';

const CASES: Array<[string, Uint8Array]> = [
  ["empty", new Uint8Array()],
  ["whitespace", enc(" \r\n\t")],
  ["only a NUL byte", new Uint8Array([0])],
  ["UTF-8 BOM before a valid policy", cat([0xef, 0xbb, 0xbf], VALID)],
  ["UTF-16LE with BOM", cat([0xff, 0xfe], ...[...VALID].map((c) => [c.charCodeAt(0), 0]))],
  ["NUL after a valid policy", cat(VALID, [0])],
  ["NUL inside a string", cat('{"default":[{"type":"rej', [0], 'ect"}]}')],
  ["invalid UTF-8 inside a scope string", cat('{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/', [0xff], '":[{"type":"reject"}]}}}')],
  ["Latin-1 é inside a key path", cat('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/caf', [0xe9], '"}]}')],
  ["invalid UTF-8 outside strings", cat('{"default":[{"type":"reject"}]', [0xff], "}")],
  ["truncated UTF-8 in the type", cat('{"default":[{"type":"reject', [0xe2, 0x82], '"}]}')],
  ["ELF header", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00])],
  ["trailing garbage", enc(VALID + " x")],
  ["CRLF line ends", enc(VALID.replace(/,/g, ",\r\n"))],
  ["U+2028 in a scope", enc('{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/\u2028":[{"type":"reject"}]}}}')],
  ["9,999-deep array in default", enc('{"default":' + "[".repeat(9999) + "]".repeat(9999) + "}")],
  ["10,001-deep array in default", enc('{"default":' + "[".repeat(10001) + "]".repeat(10001) + "}")],
  ["100,000 open brackets", enc("[".repeat(100000))],
  ["deep objects in an unknown key", enc('{"x":' + '{"a":'.repeat(20000) + "1" + "}".repeat(20000) + "}")],
  [
    "2 MB valid policy",
    enc(
      '{"default":[{"type":"reject"}],"transports":{"docker":{' +
        Array.from({ length: 20000 }, (_, i) => `"r.example.com/t${i}":[{"type":"insecureAcceptAnything"}]`).join(",") +
        "}}}",
    ),
  ],
];

async function skopeoVerdict(dir: string, file: string): Promise<{ ok: boolean; message?: string }> {
  const src = path.join(dir, "src");
  mkdirSync(src);
  makeDirImage(src);
  const conf = path.join(dir, "registries.conf");
  writeFileSync(conf, "");
  const run = await runSkopeo(["--policy", file, "--registries-conf", conf, "copy", "--quiet", `dir:${src}`, `dir:${path.join(dir, "dst")}`]);
  const prefix = `Error loading trust policy: invalid policy in ${JSON.stringify(file)}: `;
  if (run.fatal?.startsWith(prefix)) return { ok: false, message: run.fatal.slice(prefix.length) };
  if (run.fatal?.startsWith("Error loading trust policy")) throw new Error(`unexpected: ${run.fatal}`);
  if (run.code !== 0 && !run.fatal?.startsWith("Source image rejected: ")) throw new Error(`skopeo failed: ${run.stderr}`);
  return { ok: true };
}

const skip = !skopeoAvailable() && process.env.CI !== "true";
describe.skipIf(skip)("validate --target 5.23 agrees with skopeo 1.9.3 on raw bytes", () => {
  it(`all ${CASES.length} byte-level cases: same verdict and same message`, async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), "imagetrust-bytes-"));
    const files = CASES.map(([, bytes], i) => {
      const dir = path.join(base, String(i));
      mkdirSync(dir);
      const file = path.join(dir, "policy.json");
      writeFileSync(file, bytes);
      return { dir, file };
    });
    const ours = await runCli(["validate", "--target", "5.23", "--format", "json", ...files.map((f) => f.file)]);
    expect(ours.stderr).toBe("");
    const entries = JSON.parse(ours.stdout) as Array<{ file: string; valid: boolean; diagnostics: Array<{ code: string; upstreamMessage?: string }> }>;
    expect(entries).toHaveLength(CASES.length);
    const theirs = await Promise.all(files.map((f) => skopeoVerdict(f.dir, f.file)));
    const disagreements: string[] = [];
    CASES.forEach(([name], i) => {
      const e = entries[i];
      const upstream = e.diagnostics.find((d) => d.upstreamMessage !== undefined)?.upstreamMessage;
      const t = theirs[i];
      if (e.valid !== t.ok || (!t.ok && upstream !== t.message)) {
        disagreements.push(`${name}: ours ${e.valid ? "valid" : `invalid (${upstream ?? e.diagnostics.map((d) => d.code).join(",")})`}, skopeo ${t.ok ? "ok" : t.message}`);
      }
    });
    if (process.env.SHOW_VERDICTS) console.log(CASES.map(([n], i) => `${n}: skopeo ${theirs[i].ok ? "ok" : theirs[i].message}`).join("\n"));
    expect(disagreements).toEqual([]);
    // The CLI's exit code says the same: 1 when any file is rejected.
    expect(ours.code).toBe(theirs.every((t) => t.ok) ? 0 : 1);
  }, 300_000);
});
