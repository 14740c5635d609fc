/**
 * Checks of a signature storage URL that containers/image makes only when the URL is used, never at load time
 * (docker/registries_d.go `lookasideStorageBaseURL`; `docker_image_src.go` `getOneSignature`,
 * `docker_image_dest.go` `putOneSignature`): each problem becomes a warning on the value.
 */
import type { Span } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Version } from "../../ir/versions.js";
import { goParseURL } from "../../registries/go-url.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import type { DiagnosticCode } from "../../diagnostics/catalogue/index.js";
import { redactUrlsIn } from "../../registries/redact-url.js";

/**
 * What happens when the URL is used (never at load time): Go's url.Parse errors, scheme-less values
 * (5.23.x panics), schemes the docker transport cannot read or write (`docker_image_src.go`
 * `getOneSignature`, `docker_image_dest.go` `putOneSignature`), and `//` from a trailing slash.
 * `key` is the registries.d key, `where` names its section in messages.
 */
export function signatureUrlWarnings(text: string, key: string, where: string, span: Span, target: Version | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (code: DiagnosticCode, message: string, extra: Partial<Diagnostic> = {}) =>
    out.push({ code, severity: "warning", message, span, ...extra });
  const parsed = goParseURL(text);
  if (!parsed.ok) {
    warn(REGISTRIES_D_CODES.invalidUrl, `'${key}' in ${where} is not a valid URL: every image using it fails with "Invalid signature storage URL ${redactUrlsIn(text)}: ${redactUrlsIn(parsed.error)}".`);
    return out;
  }
  const u = parsed.url;
  if (u.scheme === "") {
    const old = target !== undefined && target[0] === 5 && target[1] <= 23;
    warn(
      REGISTRIES_D_CODES.schemelessUrl,
      old
        ? `'${key}' in ${where} has no scheme: containers/image ${target!.join(".")} crashes (nil pointer dereference) for every image using it.`
        : `'${key}' in ${where} has no scheme; signature reads and writes through it fail.`,
      { hint: text.startsWith("/") ? `Write file://${text}` : "Write a file://, http:// or https:// URL." },
    );
    return out;
  }
  const staging = key === "lookaside-staging" || key === "sigstore-staging";
  if (u.scheme !== "file" && u.scheme !== "http" && u.scheme !== "https") {
    warn(REGISTRIES_D_CODES.unsupportedScheme, `'${key}' in ${where} uses the scheme '${u.scheme}': containers/image reads signatures only from file, http and https URLs ("Unsupported scheme when reading signature from …").`);
  } else if (staging && u.scheme !== "file") {
    warn(
      REGISTRIES_D_CODES.stagingNotFile,
      `'${key}' in ${where} is ${u.scheme}: signatures can be written only to file: URLs ("Writing directly to a ${u.scheme} lookaside … is not supported").`,
    );
  }
  if (u.opaque === "" && u.path.length > 1 && u.path.endsWith("/")) {
    warn(REGISTRIES_D_CODES.trailingSlash, `'${key}' in ${where} ends in '/': signature URLs get '//' before the repository path.`);
  }
  return out;
}
