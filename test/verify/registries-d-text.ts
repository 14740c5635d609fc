/** A registries.d configuration from YAML text (one default.yaml in a temporary directory), for verify tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeHost } from "../../src/host/node-host.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { makeTempDir } from "../harness/skopeo.js";

/** Load `yaml` as the only file of a registries.d directory; also returns the directory. */
export function registriesDFromText(yaml: string): { dir: string; config: RegistriesDConfig } {
  const dir = makeTempDir("regd-");
  fs.writeFileSync(path.join(dir, "default.yaml"), yaml);
  const loaded = loadRegistriesDDir(dir, { host: nodeHost() });
  if (!loaded.value) throw new Error(JSON.stringify(loaded.diagnostics));
  return { dir, config: loaded.value };
}

/** Just the configuration. */
export function loadRegistriesDFromText(yaml: string): RegistriesDConfig {
  return registriesDFromText(yaml).config;
}
