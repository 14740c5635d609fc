/**
 * The `containers-storage:` transport, following containers/image storage/storage_transport.go
 * (ParseReference, ParseStoreReference) and storage/storage_reference.go (identity, namespaces).
 *
 * Difference from upstream: no store is opened. Upstream's identity uses the driver and graph root of
 * the store it opens; here they come from the `[driver@root+runroot:options]` prefix when given, else
 * from `options.storage` (default overlay at /var/lib/containers/storage). Consequences: short image-ID
 * prefixes cannot be resolved (upstream looks them up in the store; here they are rejected as
 * "does not look like an image ID or digest", or, without `@`, parsed as names), a `[/root]` prefix
 * without a driver takes the default driver (upstream: the store's configured or detected driver), and
 * a bare name uses the default store (upstream: storage.conf).
 */
import { parseNormalizedNamed, referenceName, referenceString, tagNameOnly, validateDigest, type DockerReference } from "../docker-reference.js";
import { cleanPath } from "../clean-path.js";
import type { ImageReferenceResult, ParseImageReferenceOptions, StorageDefaults } from "../image-reference-types.js";
import { goQuote } from "../../util/go-quote.js";

/** The store used when a reference does not name one. */
export const DEFAULT_STORAGE: Required<StorageDefaults> = {
  driver: "overlay",
  graphRoot: "/var/lib/containers/storage",
  runRoot: "/run/containers/storage",
  options: [],
};

const INVALID_REFERENCE = "invalid reference";
const PATH_NOT_ABSOLUTE = "path name is not absolute";

function validateImageID(id: string): string | undefined {
  return validateDigest("sha256:" + id);
}

/** `storageTransport.ParseReference` + `ParseStoreReference` against an empty store. */
export function parseContainersStorageTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const defaults = options.storage ?? DEFAULT_STORAGE;
  let driver = defaults.driver;
  let graphRoot = defaults.graphRoot;
  let runRoot = defaults.runRoot ?? DEFAULT_STORAGE.runRoot;
  let graphOptions = defaults.options ?? [];
  let rest = s;
  if (rest.length > 0 && rest.charCodeAt(0) === 0x5b /* [ */) {
    const closeIndex = rest.indexOf("]");
    if (closeIndex < 1) return { ok: false, error: INVALID_REFERENCE };
    let storeSpec = rest.slice(1, closeIndex);
    rest = rest.slice(closeIndex + 1);
    let driverInfo = "";
    const at = storeSpec.indexOf("@");
    if (at === -1) {
      if (storeSpec === "") return { ok: false, error: INVALID_REFERENCE };
    } else {
      driverInfo = storeSpec.slice(0, at);
      if (driverInfo === "") return { ok: false, error: INVALID_REFERENCE };
      storeSpec = storeSpec.slice(at + 1);
      if (storeSpec === "") return { ok: false, error: INVALID_REFERENCE };
    }
    let specOptions: string[] | undefined;
    const colon = storeSpec.indexOf(":");
    if (colon !== -1) {
      specOptions = storeSpec.slice(colon + 1).split(",");
      storeSpec = storeSpec.slice(0, colon);
    }
    let runRootInfo = "";
    const plus = storeSpec.indexOf("+");
    if (plus !== -1) {
      runRootInfo = storeSpec.slice(plus + 1);
      storeSpec = storeSpec.slice(0, plus);
    }
    const rootInfo = storeSpec;
    if (rootInfo !== "" && !rootInfo.startsWith("/")) return { ok: false, error: PATH_NOT_ABSOLUTE };
    if (runRootInfo !== "" && !runRootInfo.startsWith("/")) return { ok: false, error: PATH_NOT_ABSOLUTE };
    // storage.GetStore: Abs() of both roots; empty values fall back to the defaults.
    if (driverInfo !== "") driver = driverInfo;
    if (rootInfo !== "") graphRoot = cleanPath(rootInfo);
    if (runRootInfo !== "") runRoot = cleanPath(runRootInfo);
    graphOptions = specOptions ?? [];
  }
  // ParseStoreReference
  if (rest === "") return { ok: false, error: `${goQuote(rest)} is an empty reference: ${INVALID_REFERENCE}` };
  if (rest.charCodeAt(0) === 0x5b /* [ */) {
    // ParseStoreReference skips a (second) store specifier without using it.
    const closeIndex = rest.indexOf("]");
    if (closeIndex < 1) return { ok: false, error: `store specifier in ${goQuote(rest)} did not end: ${INVALID_REFERENCE}` };
    rest = rest.slice(closeIndex + 1);
  }
  let id = "";
  const split = rest.lastIndexOf("@");
  if (split !== -1) {
    const possibleID = rest.slice(split + 1);
    if (possibleID === "") {
      return { ok: false, error: `empty trailing digest or ID in ${goQuote(rest)}: ${INVALID_REFERENCE}` };
    }
    if (validateDigest(possibleID) !== undefined) {
      if (validateImageID(possibleID) === undefined) {
        id = possibleID;
      } else {
        return { ok: false, error: `${goQuote(possibleID)} does not look like an image ID or digest: ${INVALID_REFERENCE}` };
      }
      rest = rest.slice(0, split);
    }
  }
  let named: DockerReference | undefined;
  if (rest !== "") {
    const parsed = parseNormalizedNamed(rest);
    if (!parsed.ok) return { ok: false, error: `parsing named reference ${goQuote(rest)}: ${parsed.error}` };
    named = tagNameOnly(parsed.ref);
  }
  if (named === undefined && id === "") return { ok: false, error: INVALID_REFERENCE };

  const storeSpec = `[${driver}@${graphRoot}]`;
  let suffix = named !== undefined ? referenceString(named) : "";
  if (id !== "") suffix += "@" + id;
  const optionsList = graphOptions.length > 0 ? ":" + graphOptions.join(",") : "";
  const withinTransport = `[${driver}@${graphRoot}+${runRoot}${optionsList}]${suffix}`;

  const namespaces: string[] = [];
  if (named !== undefined) {
    if (id !== "") namespaces.push(storeSpec + referenceString(named));
    if (named.tag !== undefined && named.digest !== undefined) namespaces.push(storeSpec + referenceName(named) + ":" + named.tag);
    const components = referenceName(named).split("/");
    while (components.length > 0) {
      namespaces.push(storeSpec + components.join("/"));
      components.pop();
    }
  }
  namespaces.push(storeSpec);
  namespaces.push(`[${graphRoot}]`);

  const ref = {
    transport: "containers-storage",
    identity: storeSpec + suffix,
    namespaces,
    imageName: "containers-storage:" + withinTransport,
    withinTransport,
  };
  if (named === undefined) return { ok: true, ref };
  return { ok: true, ref: named.digest !== undefined ? { ...ref, dockerReference: named, digest: named.digest } : { ...ref, dockerReference: named } };
}
