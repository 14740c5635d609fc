/**
 * Which instance of a manifest list a pull takes (`podman pull`, `skopeo copy` without `--all`): containers/image
 * 5.23.1 `internal/pkg/platform/platform_matcher.go` (`WantedPlatforms`, `MatchesPlatform`) and
 * `manifest/docker_schema2_list.go` / `manifest/oci_index.go` `ChooseInstance`. Wanted platforms are tried in
 * order (most compatible first), and for each the list in its order; an OCI index falls back to its first instance
 * without a platform. The machine's own platform is passed in (the library does not ask the process).
 */

/** `os/architecture[/variant]` as the CLI takes it (`--platform linux/arm64/v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant: string;
}

/** Variants of an architecture, most compatible first (upstream `compatibility`). */
const COMPATIBILITY: Record<string, string[]> = { arm: ["v8", "v7", "v6", "v5"], arm64: ["v8"] };

/** Parse `os/arch[/variant]`; undefined when it is not of that form. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) return undefined;
  return { os: parts[0], architecture: parts[1], variant: parts[2] ?? "" };
}

/** `os/arch[/variant]`. */
export function formatPlatform(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os ?? "", p.architecture ?? "", p.variant ?? ""].filter((x, i) => i < 2 || x !== "").join("/");
}

/**
 * Upstream `WantedPlatforms`. `chosen` is what the user asked for (`--platform`: `--override-os/-arch/-variant`),
 * `machine` this machine's platform (`runtime.GOOS`/`GOARCH` and the detected CPU variant). As upstream, the variant
 * is taken from the machine only when the architecture is the machine's default (not chosen).
 */
export function wantedPlatforms(chosen: Platform | undefined, machine: Platform): Platform[] {
  const arch = chosen ? chosen.architecture : machine.architecture;
  const wantedVariant = chosen ? chosen.variant : machine.variant;
  const os = chosen ? chosen.os : machine.os;
  let variants: string[];
  if (wantedVariant !== "") {
    const order = COMPATIBILITY[arch];
    const i = order ? order.indexOf(wantedVariant) : -1;
    variants = i >= 0 ? order!.slice(i) : [wantedVariant];
    variants.push("");
  } else variants = ["", ...(COMPATIBILITY[arch] ?? [])];
  return variants.map((variant) => ({ os, architecture: arch, variant }));
}

/** An instance of a list as its descriptor names it. */
export interface ListedInstance {
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string } | null;
}

/** The chosen instance's digest, or upstream's error (`no image found in manifest list for architecture …`). */
export type ChosenInstance = { ok: true; digest: string } | { ok: false; error: string };

/** Upstream `ChooseInstance` for a Docker manifest list (`oci: false`) or an OCI index (`oci: true`). */
export function chooseInstance(instances: readonly ListedInstance[], wanted: readonly Platform[], oci: boolean): ChosenInstance {
  for (const w of wanted) {
    for (const d of instances) {
      // A Docker list entry always has a platform (zero values when absent); an OCI entry without one is skipped.
      if (oci && d.platform == null) continue;
      const p = d.platform ?? {};
      if ((p.architecture ?? "") === w.architecture && (p.os ?? "") === w.os && (p.variant ?? "") === w.variant) return { ok: true, digest: d.digest };
    }
  }
  if (oci) {
    const bare = instances.find((d) => d.platform == null);
    if (bare) return { ok: true, digest: bare.digest };
  }
  const w = wanted[0];
  return { ok: false, error: `no image found in ${oci ? "image index" : "manifest list"} for architecture ${w.architecture}, variant ${JSON.stringify(w.variant)}, OS ${w.os}` };
}
