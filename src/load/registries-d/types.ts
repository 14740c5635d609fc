/** The shapes the registries.d loader produces, upstream's keys, and the loader's options. */
import type { Span } from "../../source/source-file.js";
import type { RegistriesDEntry, SignatureStorage } from "../../ir/types.js";
import type { Version } from "../../ir/versions.js";

/** One registries.d file as loaded: its sections in document order. */
export interface RegistriesDFile {
  file: string;
  defaultDocker?: { file: string; storage: SignatureStorage; keyOrigin?: Span };
  docker: RegistriesDEntry[];
}

/**
 * The IR's SignatureStorage plus where each setting was written (key and value spans), for findings that
 * point at one line. Structurally a SignatureStorage, so it fits the IR unchanged.
 */
export interface LoadedSignatureStorage extends SignatureStorage {
  fieldOrigins?: Partial<Record<keyof SignatureStorage, { key: Span; value: Span }>>;
}

/** The json/yaml tags of upstream's `registryConfiguration` and `registryNamespace` (docker/registries_d.go). */
export const TOP_KEYS = ["default-docker", "docker"] as const;
/** The keys of one namespace (`registryNamespace`). */
export const NS_KEYS = ["lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments"] as const;
/** One namespace key. */
export type NsKey = (typeof NS_KEYS)[number];

/** Options for loading registries.d. `target` undefined = the newest containers/image. */
export interface RegistriesDLoadOptions {
  target?: Version;
}
