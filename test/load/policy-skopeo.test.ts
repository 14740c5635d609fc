/**
 * Differential test against the real containers/image 5.23.1 (Debian 12's skopeo 1.9.3): every document of
 * the generated corpus is given to `skopeo --policy F copy --quiet dir:SRC dir:DST`, and our
 * `loadPolicyJson(src, {target: [5,23,1]})` must agree on accept/reject and, when rejected, on the exact
 * message (skopeo's `Error loading trust policy: invalid policy in "F": <msg>` fatal line).
 * Skipped only when skopeo is missing and CI is not "true".
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePolicyBytes, loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goQuote } from "../../src/util/go-quote.js";
import { type CorpusDoc, skopeoCorpus } from "./policy-skopeo-corpus.js";

const haveSkopeo = spawnSync("skopeo", ["--version"]).status === 0;
const mustRun = process.env.CI === "true";

/** Decodes a Go-quoted string body (strconv.Quote output, as logrus writes msg="…"). */
function goUnquote(body: string): string {
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of Buffer.from(s, "utf8")) bytes.push(b);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      pushText(c);
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", '"': '"', "'": "'" };
    if (e in simple) pushText(simple[e]);
    else if (e === "x") {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === "u") {
      pushText(String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)));
      i += 4;
    } else if (e === "U") {
      pushText(String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)));
      i += 8;
    } else throw new Error(`unexpected escape \\${e}`);
  }
  return Buffer.from(bytes).toString("utf8");
}

interface SkopeoVerdict {
  accepted: boolean;
  message?: string;
  raw: string;
}

/** Extracts skopeo's verdict on the policy from its stderr. */
function parseSkopeo(stderr: string, policyPath: string): SkopeoVerdict {
  const m = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  const prefix = `Error loading trust policy: invalid policy in ${goQuote(policyPath)}: `;
  if (m) {
    const msg = goUnquote(m[1]);
    if (msg.startsWith(prefix)) return { accepted: false, message: msg.slice(prefix.length), raw: stderr };
    if (msg.startsWith("Error loading trust policy")) return { accepted: false, message: msg, raw: stderr };
  }
  return { accepted: true, raw: stderr };
}

function runSkopeo(policyPath: string, src: string, dst: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn("skopeo", ["--policy", policyPath, "copy", "--quiet", `dir:${src}`, `dir:${dst}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    p.on("error", reject);
    p.on("close", () => resolve(err));
  });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const corpus: CorpusDoc[] = skopeoCorpus();

describe.skipIf(!haveSkopeo && !mustRun)("policy.json loader vs skopeo 1.9.3 (containers/image 5.23.1)", () => {
  let dir = "";
  const verdicts = new Map<string, SkopeoVerdict & { path: string }>();

  beforeAll(async () => {
    expect(haveSkopeo, "skopeo must be installed when CI=true").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "imagetrust-policy-skopeo-"));
    const src = join(dir, "src");
    mkdirSync(src);
    const config = Buffer.from("{}");
    const digest = createHash("sha256").update(config).digest("hex");
    writeFileSync(join(src, digest), config);
    writeFileSync(join(src, "version"), "Directory Transport Version: 1.1\n");
    writeFileSync(
      join(src, "manifest.json"),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: `sha256:${digest}` },
        layers: [],
      }),
    );
    await mapLimit(corpus, 2, async (doc, i) => {
      const path = join(dir, `policy-${i}.json`);
      writeFileSync(path, doc.text);
      const stderr = await runSkopeo(path, src, join(dir, `dst-${i}`));
      verdicts.set(doc.name, { ...parseSkopeo(stderr, path), path });
    });
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has a corpus of about 150 distinct documents", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(new Set(corpus.map((d) => d.name)).size).toBe(corpus.length);
    // Both outcomes are well represented.
    const accepted = [...verdicts.values()].filter((v) => v.accepted).length;
    expect(accepted).toBeGreaterThan(30);
    expect(corpus.length - accepted).toBeGreaterThan(80);
  });

  for (const doc of corpus) {
    it(doc.name, () => {
      const v = verdicts.get(doc.name)!;
      const text = decodePolicyBytes(typeof doc.text === "string" ? Buffer.from(doc.text, "utf8") : doc.text);
      const r = loadPolicyJson(new SourceFile(v.path, text), { target: [5, 23, 1] });
      const ours = { accepted: r.value !== undefined, message: r.diagnostics[0]?.upstreamMessage };
      expect(ours).toEqual({ accepted: v.accepted, message: v.message });
      if (!v.accepted) expect(r.diagnostics.filter((d) => d.upstreamMessage !== undefined)).toHaveLength(1);
    });
  }
});
