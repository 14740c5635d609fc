/**
 * The deprecated v1 format (`[registries.search|insecure|block]`): upstream's `V1TOMLConfig.Nonempty` /
 * `V2RegistriesConf.Nonempty` decide which format a file uses, and `V1RegistriesConf.ConvertToV2` converts it
 * (pkg/sysregistriesv2/system_registries_v2.go).
 */
import { REGISTRIES_CONF_CODES } from "./codes.js";
import type { ConfMode, DecodedConf, RawRegistry } from "./decoded.js";
import type { Problem } from "./problem.js";
import { parseLocation } from "./values.js";

/** Upstream `V1RegistriesConf.ConvertToV2`: blocked first, then insecure, prefix = location. */
export function convertV1(d: DecodedConf, problems: Problem[]): DecodedConf | undefined {
  const v1 = d.v1!;
  const order: string[] = [];
  const regs = new Map<string, RawRegistry>();
  for (const [list, apply] of [
    [v1.block, (r: RawRegistry) => (r.blocked = true)],
    [v1.insecure, (r: RawRegistry) => (r.insecure = true)],
  ] as const) {
    for (const loc of list?.list ?? []) {
      const l = parseLocation(loc);
      if (!l.ok) {
        problems.push({ code: REGISTRIES_CONF_CODES.uriScheme, severity: "error", message: "v1 registry entries must not have a URI scheme.", go: l.error, span: list?.span });
        return undefined;
      }
      let r = regs.get(l.value);
      if (!r) {
        r = { location: l.value, insecure: false, pullFromMirror: "", prefix: l.value, blocked: false, mirrorByDigestOnly: false, mirrors: [], origin: list?.span };
        regs.set(l.value, r);
        order.push(l.value);
      }
      apply(r);
    }
  }
  return {
    registries: order.map((o) => regs.get(o)!),
    unqualifiedSearchRegistries: v1.search?.list,
    unqualifiedSearchRegistriesOrigin: v1.search?.span,
    aliases: [],
  };
}

/** Upstream `V1TOMLConfig.Nonempty` (5.23: a non-empty list; newest: any table written). */
export function nonEmptyV1(d: DecodedConf, mode: ConfMode): boolean {
  const v1 = d.v1;
  if (mode === "newest") return !!v1 && (v1.search !== undefined || v1.insecure !== undefined || v1.block !== undefined);
  return !!v1 && ((v1.search?.list.length ?? 0) > 0 || (v1.insecure?.list.length ?? 0) > 0 || (v1.block?.list.length ?? 0) > 0);
}

/** Upstream `V2RegistriesConf.Nonempty` (5.23: a non-empty value; newest: any field written, `[]` and `{}` included). */
export function nonEmptyV2(d: DecodedConf, mode: ConfMode): boolean {
  if (mode === "newest") {
    const p = d.present ?? new Set<string>();
    return (
      p.has("registry") ||
      d.unqualifiedSearchRegistries !== undefined ||
      d.credentialHelpers !== undefined ||
      (d.shortNameMode ?? "") !== "" ||
      (d.additionalLayerStoreAuthHelper ?? "") !== "" ||
      p.has("aliases")
    );
  }
  return (
    d.registries.length > 0 ||
    (d.unqualifiedSearchRegistries?.length ?? 0) > 0 ||
    (d.credentialHelpers?.length ?? 0) > 0 ||
    (d.shortNameMode ?? "") !== "" ||
    d.aliases.length > 0
  );
}
