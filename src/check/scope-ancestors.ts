/**
 * The registries.d lookup order for a docker policy scope: the scope itself, its parent namespaces, then
 * `*.` wildcard hosts (docker/registries_d.go `registriesDirConfig.signatureTopLevel` walks the image's
 * PolicyConfigurationNamespaces the same way; spec containers-policy.md §3.3 and §5.3).
 */

/** Scopes a registries.d lookup for `scope` would try, most specific first (`""` gives none). */
export function dockerScopeAncestors(scope: string): string[] {
  if (scope === "") return [];
  const out: string[] = [scope];
  let name = scope;
  const at = name.indexOf("@");
  if (at >= 0) name = name.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > lastSlash && lastSlash >= 0) name = name.slice(0, colon);
  if (name !== scope) out.push(name);
  while (name.includes("/")) {
    name = name.slice(0, name.lastIndexOf("/"));
    out.push(name);
  }
  let host = name.replace(/:\d*$/, "");
  if (host.startsWith("*.")) host = host.slice(2);
  for (let dot = host.indexOf("."); dot >= 0; dot = host.indexOf(".")) {
    host = host.slice(dot + 1);
    out.push("*." + host);
  }
  return [...new Set(out)];
}

/**
 * upstream `useSigstoreAttachments` resolution (docker/registries_d.go) for images under a docker policy
 * scope: the first section on the lookup path that sets the key explicitly wins, then `default-docker`,
 * then false.
 */
export function attachmentsForScope(scope: string, explicitSetting: (scope: string) => boolean | undefined, defaultDocker: boolean | undefined): boolean {
  for (const s of dockerScopeAncestors(scope)) {
    const v = explicitSetting(s);
    if (v !== undefined) return v;
  }
  return defaultDocker ?? false;
}
