/**
 * Where the team's shared reference material lives (spec vectors, the real-world corpus, CRDs): `../shared`
 * beside the repository, as on developer machines and in CI, with the workplace's fixed location as a fallback.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const beside = path.resolve(repo, "..", "shared");

/** Absolute path of the shared/ folder (no trailing slash). */
export const SHARED = existsSync(beside) ? beside : "/work/shared";
