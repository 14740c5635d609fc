/**
 * Merging the main registries.conf with its drop-ins, as containers/image's `tryUpdatingCache` does with
 * `updateWithConfigurationFrom` (pkg/sysregistriesv2/system_registries_v2.go): a drop-in's `[[registry]]`
 * replaces the whole entry with its prefix; any other setting it writes replaces the earlier value.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RegistriesConf, RegistriesConfFile } from "../../registries/types.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";

/** Merge the main file (or nothing) with drop-ins in order, as upstream's `updateWithConfigurationFrom`. */
export function mergeRegistriesConf(
  main: RegistriesConfFile | undefined,
  dropIns: readonly RegistriesConfFile[],
  paths: { configPath: string; configDirPath: string } = { configPath: "/etc/containers/registries.conf", configDirPath: "/etc/containers/registries.conf.d" },
): { value: RegistriesConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const conf: RegistriesConf = {
    registries: main ? [...main.registries] : [],
    unqualifiedSearchRegistries: main?.unqualifiedSearchRegistries ?? [],
    unqualifiedSearchRegistriesOrigin: main ? main.file : "",
    credentialHelpers: main?.credentialHelpers ?? [],
    additionalLayerStoreAuthHelper: main?.additionalLayerStoreAuthHelper ?? "",
    shortNameMode: main?.shortNameMode ?? "permissive",
    aliases: new Map((main?.aliases ?? []).map((a) => [a.name, a])),
    files: main ? [main.file] : [],
    configPath: paths.configPath,
    configDirPath: paths.configDirPath,
  };
  let modeSet = main?.shortNameMode !== undefined;
  for (const d of dropIns) {
    conf.files.push(d.file);
    const byPrefix = new Map(conf.registries.map((r) => [r.prefix, r]));
    for (const r of d.registries) {
      const prev = byPrefix.get(r.prefix);
      if (prev) {
        diagnostics.push({
          code: REGISTRIES_CONF_CODES.dropInReplaces,
          severity: "info",
          message: `The [[registry]] with prefix '${r.prefix}' replaces the whole entry from ${prev.file} (mirrors, blocked and insecure included).`,
          span: r.prefixOrigin ?? r.origin,
          related: prev.origin ? [{ message: "the replaced entry", span: prev.origin }] : undefined,
        });
      }
      byPrefix.set(r.prefix, r);
    }
    conf.registries = [...byPrefix.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    if (d.unqualifiedSearchRegistries !== undefined) {
      conf.unqualifiedSearchRegistries = d.unqualifiedSearchRegistries;
      conf.unqualifiedSearchRegistriesOrigin = d.file;
    }
    if (d.credentialHelpers !== undefined) conf.credentialHelpers = d.credentialHelpers;
    if (d.additionalLayerStoreAuthHelper) conf.additionalLayerStoreAuthHelper = d.additionalLayerStoreAuthHelper;
    if (d.shortNameMode !== undefined) {
      conf.shortNameMode = d.shortNameMode;
      modeSet = true;
    }
    for (const a of d.aliases) conf.aliases.set(a.name, a);
  }
  if (!modeSet) conf.shortNameMode = "permissive";
  if (conf.credentialHelpers.length === 0) conf.credentialHelpers = ["containers-auth.json"];
  return { value: conf, diagnostics };
}
