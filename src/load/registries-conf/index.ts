/**
 * containers-registries.conf(5) loading, following containers/image pkg/sysregistriesv2: one file's text → IR
 * (`loadRegistriesConfFile`: TOML decode, v1 conversion, post-processing), the drop-in merge, and reading the
 * files through the Host (`loadRegistriesConf`). Error texts are upstream's, carried as `upstreamMessage`.
 *
 * Layout: codes.ts (IT14xx), toml-scan.ts / toml-parse.ts / toml-decode.ts (decode), v1.ts (ConvertToV2),
 * values.ts + post-process.ts + usability.ts (validate), merge.ts (drop-ins), read.ts (Host), load-file.ts (one
 * file end to end), short-name-aliases.ts (the alias cache).
 */
export { REGISTRIES_CONF_CODES } from "./codes.js";
export { loadRegistriesConfFile, type RegistriesConfFileOptions } from "./load-file.js";
export { mergeRegistriesConf } from "./merge.js";
export { loadRegistriesConf, type RegistriesConfPaths } from "./read.js";
export { aliasValueString, loadShortNameAliasCache } from "./short-name-aliases.js";
export { parseShortNameValue, validateShortName } from "./values.js";
