/**
 * End to end with skopeo 1.9.3 (containers/image 5.23.1) and a local registry: skopeo's own pull decisions
 * (`skopeo copy`, `Source image rejected: …`) for dir: and docker:// images against ours, and the lookaside
 * signature URL we compute for a signed image is exactly where `skopeo copy --sign-by` wrote the signature.
 * Skipped only when skopeo / docker-registry are missing and CI is not "true".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import {
  makeDirImage,
  makeTempDir,
  pushDirImage,
  registryAvailable,
  runSkopeo,
  skopeoAvailable,
  skopeoCopyVerdict,
  startRegistry,
  TEST_KEY_FINGERPRINT,
  TEST_PUBLIC_KEY,
  type LocalRegistry,
} from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "./policy-builder.js";

const run = (skopeoAvailable() && registryAvailable()) || process.env.CI === "true";
const describeSkopeo = run ? describe : describe.skip;

describeSkopeo("simulate vs skopeo copy (containers/image 5.23.1)", () => {
  let registry: LocalRegistry | undefined;
  let work = "";
  let regD = "";
  let sigs = "";
  beforeAll(async () => {
    work = makeTempDir("sim-skopeo-");
    sigs = path.join(work, "sigs");
    regD = path.join(work, "registries.d");
    fs.mkdirSync(regD);
    registry = await startRegistry();
    fs.writeFileSync(path.join(regD, "local.yaml"), `docker:\n  ${registry.url}/acme:\n    lookaside: file://${sigs}\n`);
    makeDirImage(path.join(work, "img"));
    await pushDirImage(path.join(work, "img"), registry, "acme/signed:1", { signBy: TEST_KEY_FINGERPRINT, registriesD: regD });
    await pushDirImage(path.join(work, "img"), registry, "acme/plain:1", { registriesD: regD });
    await pushDirImage(path.join(work, "img"), registry, "other/app:1", { registriesD: regD });
  }, 180_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it("decides like skopeo and points at the signature skopeo wrote", async () => {
    const host = registry!.url;
    const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: TEST_PUBLIC_KEY };
    const spec: PolicySpec = {
      default: [{ type: "reject" }],
      transports: {
        docker: {
          [`${host}/acme/signed`]: [signedBy],
          [`${host}/acme/plain`]: [signedBy],
          [`${host}/acme`]: [{ type: "insecureAcceptAnything" }, { type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } }],
          [host]: [{ type: "insecureAcceptAnything" }],
        },
        dir: { [path.join(work, "img")]: [{ type: "insecureAcceptAnything" }] },
      },
    };
    const refs = [`docker://${host}/acme/signed:1`, `docker://${host}/acme/plain:1`, `docker://${host}/acme/other:1`, `docker://${host}/other/app:1`, `dir:${path.join(work, "img")}`, `dir:${work}`];
    const registriesD = loadRegistriesDDir(regD, { host: nodeHost() }).value!;
    // The manifest as the registry serves it (its digest names the lookaside signatures).
    const raw = await runSkopeo(["inspect", "--raw", "--tls-verify=false", `docker://${host}/acme/signed:1`]);
    expect(raw.code).toBe(0);
    const sim = createSimulator({ policy: policyIR(spec), registriesD, manifest: Buffer.from(raw.stdout, "utf8"), env: { euid: 0 }, parse: { strictPaths: true, debian: true, host: nodeHost() } });
    const policyText = policyJson(spec);
    let agreed = 0;
    for (const ref of refs) {
      const theirs = await skopeoCopyVerdict(policyText, ref, { registriesD: regD, srcTlsVerify: false });
      const ours = sim.simulate(ref);
      if (ref.includes("/acme/signed:")) {
        // skopeo finds and verifies the signature; we have no evidence, so we deny and say what would allow it.
        expect(theirs.allowed, `${ref}: ${theirs.message}`).toBe(true);
        expect(ours.verdict).toBe("deny");
        const url = ours.signatureLookup.lookasideSignature1!;
        expect(url.startsWith(`file://${sigs}/acme/signed@sha256=`)).toBe(true);
        expect(fs.existsSync(fileURLToPath(url)), url).toBe(true);
        expect(ours.requirements[0].wouldAllow).toContain(url);
        continue;
      }
      expect(theirs.allowed === true ? "allow" : "deny", `${ref}: ${theirs.message}`).toBe(ours.verdict);
      if (theirs.allowed === false) expect(ours.upstreamError, ref).toBe(theirs.message);
      agreed++;
    }
    expect(agreed).toBe(refs.length - 1);
  }, 180_000);
});
