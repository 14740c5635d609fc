/**
 * Test data and where it lives. What the repository may carry is in it: the team's spec vectors (they record
 * upstream behaviour) under test/fixtures/spec-vectors/, the CRDs (Apache-2.0) under test/fixtures/crds/.
 * What it may not carry (the real-world corpus: other people's files, see ../shared/corpus/README.md) is read
 * from `../shared` beside the clone, as on developer machines and in CI. A clone alone has no ../shared: tests
 * over it then skip with one line saying why, except under CI=true, where they run and fail.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const beside = path.resolve(repo, "..", "shared");

/** The spec vectors carried by the repository: policy.json documents with the newest upstream parser's verdicts. */
export const POLICY_PARSE_VECTORS = path.join(repo, "test", "fixtures", "spec-vectors", "policy-parse.jsonl");

/** The CRD schemas carried by the repository (with a trailing slash). */
export const CRD_FIXTURES = path.join(repo, "test", "fixtures", "crds") + "/";

/** Absolute path of ../shared beside the repository (no trailing slash), whether or not it is there. */
export const SHARED = beside;

/** The real-world corpus (../shared/corpus/real-world), whether or not it is there. */
export const CORPUS = path.join(beside, "corpus", "real-world");

/** Whether ../shared is beside this clone. */
export const HAVE_SHARED = existsSync(beside);

const ci = process.env.CI === "true";

/**
 * True when the tests over ../shared of the calling file must be skipped: ../shared is absent and CI is not set
 * (under CI=true they run, and a missing ../shared fails them). Prints the one line saying why when it skips.
 */
export function skipWithoutShared(what: string): boolean {
  if (HAVE_SHARED || ci) return false;
  console.log(`skipped ${what}: it needs ../shared beside the clone (${beside}), which is absent; CI always has it`);
  return true;
}
