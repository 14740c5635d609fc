/** IR builders, key files and golden files for the Kubernetes target tests. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Requirement, ScopeEntry, SigstoreSigned, TransportPolicy, TrustModel } from "../../src/ir/types.js";
import type { Span } from "../../src/source/source-file.js";

/** The example keys (examples/keys); tests map every key path to a file there by its base name. */
export const KEYS_DIR = fileURLToPath(new URL("../../examples/keys/", import.meta.url));
/** Read a key path the way the examples' tests do. */
export const readKey = (p: string): Uint8Array | undefined => (existsSync(KEYS_DIR + basename(p)) ? readFileSync(KEYS_DIR + basename(p)) : undefined);

/** A builder with fresh, distinct spans in a pretend file, so tests can assert positions. */
export class ModelBuilder {
  private next = 0;
  readonly file = "model.trust";
  span(): Span {
    this.next += 10;
    return { file: this.file, start: this.next, end: this.next + 5 };
  }
  sigstore(keyName: string, extra: Partial<SigstoreSigned> = {}): SigstoreSigned {
    return { type: "sigstoreSigned", keyPath: `/etc/pki/containers/${keyName}`, signedIdentity: { type: "matchRepository" }, origin: this.span(), ...extra };
  }
  reject(): Requirement {
    return { type: "reject", origin: this.span() };
  }
  accept(): Requirement {
    return { type: "insecureAcceptAnything", origin: this.span() };
  }
  scope(scope: string, requirements: Requirement[], level?: string): ScopeEntry {
    return { scope, keyOrigin: this.span(), origin: this.span(), requirements, ...(level ? { labels: { level } } : {}) };
  }
  model(defaults: Requirement[], docker: ScopeEntry[], others: TransportPolicy[] = []): TrustModel {
    return {
      policy: { default: defaults, defaultOrigin: this.span(), transports: [{ name: "docker", keyOrigin: this.span(), scopes: docker }, ...others] },
      registriesD: { docker: [], defaultDocker: { file: "default.yaml", storage: { useSigstoreAttachments: true } } },
      expectations: [],
    };
  }
}

/** Golden files under test/fixtures/k8s: UPDATE_GOLDEN=1 rewrites them; under CI=true a missing one fails. */
export const GOLDEN_DIR = fileURLToPath(new URL("../fixtures/k8s/", import.meta.url));

/** Compare `actual` with the golden file `name` (relative to test/fixtures/k8s). */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing (run with UPDATE_GOLDEN=1)`);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
