/** Catalogue band IT5700–IT5749: registries and lookaside servers are untrusted: caps, deadlines, digests (issue 17). */
import { page } from "./entry.js";

const UNTRUSTED =
  "A registry or lookaside server is untrusted input: a hostile or broken one can serve endless lists, huge attachments or slow answers. imagetrust bounds every read so that verifying an image cannot exhaust memory or hang.";
const NOT_RUNTIME = "The runtime has no such bound (it reads what it is served within its context's deadline); imagetrust refuses, and the verdict is deny.";

/** Entries of this band (code → page). */
export const LIMITS_NETWORK_ENTRIES = {
  IT5700: page("error", "Network deadline reached", "The registry and lookaside reads of one reference took longer than the total deadline (default 30s, `--timeout`). Before it, each request had 30 s of its own, so 128 slow lookaside signatures took 44 s.",
    `${UNTRUSTED} A slow server could otherwise hold a verification for 128 requests × 30 s.`,
    "Check the server; raise the deadline with `--timeout 5m` when the server is slow but honest.", "docker/docker_image_src.go getSignaturesFromLookaside (context deadline)"),
  IT5701: page("error", "Too many manifest-list instances", "A manifest list (or OCI index) lists more instances than imagetrust reads and decides without `--platform` (128).",
    `${UNTRUSTED} ${NOT_RUNTIME}`, "Give `--platform os/arch[/variant]` to decide the instance a pull would choose.", "internal/manifest list ChooseInstance"),
  IT5702: page("error", "Too many sigstore attachment layers", "The sigstore attachment manifest (`sha256-<hex>.sig`) lists more layers than imagetrust reads (128).",
    `${UNTRUSTED} Upstream reads every layer listed, each up to iolimits.MaxSignatureBodySize (4 MiB): 1,000 layers would be 4 GB. ${NOT_RUNTIME}`,
    "Remove stale signatures from the attachment (e.g. `cosign clean` and sign again).", "docker/docker_image_src.go appendSigstoreInternalSignatures"),
  IT5703: page("error", "Sigstore attachments too large in total", "The layers of one sigstore attachment manifest add up to more than imagetrust reads (32 MiB); each layer is also limited to 4 MiB as upstream limits it.",
    `${UNTRUSTED} ${NOT_RUNTIME}`, "Remove stale signatures or attestations from the attachment.", "docker/docker_client.go getOCIDescriptorContents (iolimits.MaxSignatureBodySize)"),
  IT5704: page("error", "Invalid digest from the registry", "A manifest-list instance, attachment layer or other descriptor has a \"digest\" that is not a string or does not validate as go-digest validates (`algo:hex`, sha256/sha384/sha512, the right length, lower-case hex).",
    "A list instance whose digest is `latest` would be fetched by tag and could be anything; the runtime then fails with \"Manifest does not match provided manifest digest latest\" (a digest that is not a string does not even parse). imagetrust never fetches by an invalid digest and denies.",
    "Fix the manifest list in the registry.", "go-digest Digest.Validate; internal/image UnparsedImage.Manifest"),
} as const;
