/**
 * registries.d loading, following containers/image docker/registries_d.go: one file's text → IR
 * (`loadRegistriesDFile`), the merge of a directory's files (`mergeRegistriesDFiles`), and reading a directory
 * through the Host (`loadRegistriesDDir`). Two upstream decoders are reproduced, chosen by target version:
 *  - up to 5.24 (Debian 12 ships 5.23.1): `ghodss/yaml` = yaml.v2 (YAML 1.1 scalars) → JSON → encoding/json:
 *    keys match case-insensitively, duplicate keys silently keep the last value, numbers and booleans
 *    given for URL strings are re-formatted as Go formats them;
 *  - 5.25 and newer: yaml.v3, keys case-sensitive, duplicate keys are errors, scalars taken literally.
 * Unknown keys are silently ignored by both; we warn.
 *
 * Layout: codes.ts (IT13xx), yaml-parse.ts / yaml-scalars.ts / alias-bomb.ts / decode.ts (decode), validate.ts
 * (URL checks), load-file.ts (one file end to end), merge.ts ("defined both in …"), read.ts (Host).
 */
export { excessiveAliasing } from "./alias-bomb.js";
export { MAX_REGISTRIES_D_LENGTH, REGISTRIES_D_CODES } from "./codes.js";
export { elideDiagnostics, loadRegistriesDFile } from "./load-file.js";
export { mergeRegistriesDFiles } from "./merge.js";
export { loadRegistriesDDir, type RegistriesDDirOptions } from "./read.js";
export type { LoadedSignatureStorage, RegistriesDFile, RegistriesDLoadOptions } from "./types.js";
export { firstYamlControlCharacter } from "./yaml-parse.js";
export { goFormatFloat32 } from "./yaml-scalars.js";
