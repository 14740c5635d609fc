/**
 * What imagetrust writes, the runtime reads (issue 7): random 5.23-feature trust models are printed as .trust,
 * compiled, and emitted for target 5.23; skopeo 1.9.3 (containers/image 5.23.1) must load every policy.json
 * (`skopeo --policy F copy dir:SRC dir:DST`), and containers/image 5.23.1's registries.d reader (Go harness op
 * "lookaside") every registries.d directory. Skipped only when the tools are missing and CI is not "true".
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitTrustModel } from "../../src/emit/trust-model.js";
import type { SignatureStorage, TrustModel } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { GO_BUILD_TIMEOUT_MS, buildGoHarness, goHarnessAvailable, goLookaside } from "../harness/go-harness.js";
import { skopeoAvailable, skopeoParsePolicy } from "../harness/skopeo.js";
import { trustModel } from "./ir-arbitraries.js";
import { FUZZ_SEED, LONG_RUN, TEST_TIMEOUT_MS, runs } from "./support.js";

const ci = process.env.CI === "true";

/** Percent-encode control characters in lookaside URLs (the checker warns about them: test below). */
function escapeUrlControls(m: TrustModel): TrustModel {
  // eslint-disable-next-line no-control-regex
  const esc = (u: string | undefined) => u?.replace(/[\x00-\x1f\x7f]/g, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase());
  const st = (s: SignatureStorage): SignatureStorage => JSON.parse(JSON.stringify({ ...s, lookaside: esc(s.lookaside), lookasideStaging: esc(s.lookasideStaging) }));
  const r = m.registriesD;
  return {
    ...m,
    registriesD: { ...(r.defaultDocker ? { defaultDocker: { ...r.defaultDocker, storage: st(r.defaultDocker.storage) } } : {}), docker: r.docker.map((e) => ({ ...e, storage: st(e.storage) })) },
  };
}
const T523 = parseVersion("5.23")!;
const dirs: string[] = [];

describe.skipIf(!(skopeoAvailable() && goHarnessAvailable()) && !ci)("compiled outputs are accepted by containers/image 5.23.1", () => {
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("skopeo loads every compiled policy.json; Go reads every registries.d", async () => {
    await buildGoHarness();
    // Control characters in lookaside URLs are escaped here: they would be unusable (the checker warns, test below).
    const models = fc.sample(trustModel("5.23").map(escapeUrlControls), { seed: FUZZ_SEED, numRuns: runs(24, 0.001) });
    let policies = 0;
    let regFiles = 0;
    const pending: Array<Promise<void>> = [];
    const problems: string[] = [];
    for (const m of models) {
      const text = printTrustModel(m);
      const compiled = compileTrustSource(new SourceFile("model.trust", text), { checkKeyFiles: false, target: T523 });
      expect(compiled.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
      const out = emitTrustModel(compiled.value!, { target: T523 });
      expect(out.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
      const policy = out.files!.find((f) => f.path === "policy.json")!.text;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-fuzz-regd-"));
      dirs.push(dir);
      for (const f of out.files!.filter((f) => f.path.startsWith("registries.d/"))) {
        fs.writeFileSync(path.join(dir, path.basename(f.path)), f.text);
        regFiles++;
      }
      const scopes = compiled.value!.registriesD.docker.map((e) => e.scope.replace(/^\*\./, "x."));
      pending.push(
        (async () => {
          const verdict = await skopeoParsePolicy(policy);
          policies++;
          if (!verdict.ok) problems.push(`skopeo rejects ${policy}: ${verdict.message}`);
          const looks = await goLookaside(dir, ["docker://busybox", ...scopes.filter((s) => !s.includes("@")).slice(0, 3).map((s) => `docker://${s.includes("/") ? s : s + "/x"}`)]);
          for (const l of looks) if (l.readError || l.useSigstoreAttachmentsError) problems.push(`Go rejects registries.d of ${text}: ${l.readError ?? l.useSigstoreAttachmentsError}`);
        })(),
      );
      if (pending.length >= 4) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    if (LONG_RUN || process.env.DEBUG_COUNTS) console.log(`skopeo-accepts: ${policies} policies, ${regFiles} registries.d files, ${problems.length} rejected`);
    expect(problems).toEqual([]);
    expect(policies).toBe(models.length);
  }, Math.max(TEST_TIMEOUT_MS, GO_BUILD_TIMEOUT_MS));

  // Found by this test: a lookaside URL with a control character compiled, and containers/image failed every
  // pull under it (`net/url: invalid control character in URL`) without a word. The checker now warns (IT2193;
  // a warning, as the registries.d loader's IT1314, because containers/image loads such a file).
  it("compiling warns about a lookaside URL that Go's net/url cannot parse", () => {
    const src = 'default reject\nsignatures "a.yaml" {\n  "quay.io"  lookaside "file:///a/tab\\tx"\n}\n';
    const compiled = compileTrustSource(new SourceFile("url.trust", src), { checkKeyFiles: false, target: T523 });
    expect(compiled.diagnostics.filter((d) => d.code === "IT2193").map((d) => [d.severity, src.slice(d.span!.start, d.span!.end)])).toEqual([["warning", '"file:///a/tab\\tx"']]);
  });
});
