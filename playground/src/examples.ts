/** The examples the page offers (the repository's own, put in by the build as the virtual module `imagetrust-examples`). */
import files from "imagetrust-examples";
import type { PlaygroundState } from "./core.js";

const REFS: Record<string, string> = {
  enterprise: "docker://registry.acme.example/vendor/tool:1\ndocker://busybox\n",
  "fedora-rhel": "docker://registry.redhat.io/ubi9/ubi:latest\ndocker://docker.io/library/fedora:40\n",
  "keyless-ci": "docker://ghcr.io/acme/app:1.0\ndocker://ghcr.io/other/app:1\n",
  "air-gapped": "docker://mirror.internal:5000/redhat/ubi9:9.4\ndocker://quay.io/x/y:1\n",
  laptop: "docker://docker.io/library/alpine:3.20\ndocker://registry.acme.example/payments/api:2.4.1\n",
  "good-policy.json": "docker://quay.io/acme/app:1\ndocker://docker.io/library/busybox:latest\ndocker://example.com/x:1\n",
};

/** Name → state. */
export const EXAMPLES: Record<string, PlaygroundState> = Object.fromEntries(
  Object.entries(files.policies).map(([name, text]) => [name, { policy: text, registriesD: name.endsWith(".json") ? files.registriesD : "", refs: REFS[name] ?? "", target: "" }]),
);

/** What a fresh page shows: a small program with a mistake-free start. */
export const DEFAULT_STATE: PlaygroundState = {
  policy: `# A .trust program: who may pull what. Edit it; the diagnostics, the compiled policy.json and the
# verdicts below follow as you type.
target "5.23"

key acme gpg file "/etc/pki/containers/acme.gpg"

level internal = signed by acme identity repository

default reject

docker {
  "registry.acme.example"  internal {
    "sandbox"  accept
  }
  "docker.io/library"  accept
}

signatures {
  "registry.acme.example"  lookaside "https://sigstore.acme.example"
}
`,
  registriesD: "",
  refs: "docker://registry.acme.example/team/app:1.2\ndocker://registry.acme.example/sandbox/tool:dev\ndocker://docker.io/library/busybox:latest\ndocker://quay.io/someone/tool:1\n",
  target: "",
};
