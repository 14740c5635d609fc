/**
 * registries.d YAML for hovers and completion: the keys a file may have at each level (containers-registries.d(5);
 * upstream docker/registries_d.go `registryConfiguration` and `registryNamespace`), by indentation.
 */
import type { CompletionItem, Hover } from "vscode-languageserver";
import type { SourceFile } from "../source/source-file.js";
import { spanRange } from "./convert.js";

/** Top-level keys. */
const TOP: Readonly<Record<string, string>> = {
  docker: "`docker` — per registry namespace (`host[:port][/path]`, `*.domain`), where signatures are read and written.",
  "default-docker": "`default-docker` — the section for every docker image that no `docker` namespace matches.",
};

/** Keys of a `default-docker` or `docker.<scope>` section. */
const SECTION: Readonly<Record<string, string>> = {
  lookaside: "`lookaside` — the URL signatures are read from (`file://`, `http(s)://`): `<url>/<repo>@<algo>=<digest>/signature-N`.",
  "lookaside-staging": "`lookaside-staging` — where new signatures are written (`file://` only); reading uses `lookaside`.",
  sigstore: "`sigstore` — the deprecated name of `lookaside` (still read; use `lookaside`).",
  "sigstore-staging": "`sigstore-staging` — the deprecated name of `lookaside-staging`.",
  "use-sigstore-attachments": "`use-sigstore-attachments` — read (and write) sigstore signatures attached in the registry; `sigstoreSigned` needs it for registry images.",
};

/** Indentation of a line (spaces). */
const indentOf = (line: string) => /^\s*/.exec(line)![0].length;

/** The hover of a registries.d key at `offset`. */
export function registriesDHover(source: SourceFile, offset: number): Hover | undefined {
  const line = source.position(offset).line;
  const text = source.lineText(line);
  const start = source.offset({ line, column: 1 });
  const m = /^(\s*)(["']?)([A-Za-z-]+)\2\s*:/.exec(text);
  if (!m) return undefined;
  const keyStart = start + m[1].length + m[2].length;
  const keyEnd = keyStart + m[3].length;
  if (offset < keyStart || offset > keyEnd) return undefined;
  const doc = m[1].length === 0 ? TOP[m[3]] : SECTION[m[3]];
  return doc ? { contents: { kind: "markdown", value: doc }, range: spanRange(source, { start: keyStart, end: keyEnd }) } : undefined;
}

/** Completion of registries.d keys at `offset`: top-level keys at column 1, section keys where a section's keys go. */
export function registriesDCompletion(source: SourceFile, offset: number): CompletionItem[] {
  const pos = source.position(offset);
  const before = source.lineText(pos.line).slice(0, pos.column - 1);
  if (!/^\s*[A-Za-z-]*$/.test(before)) return [];
  const indent = indentOf(before);
  let table = TOP;
  if (indent > 0) {
    // Under `default-docker:` (one level) or under a `docker:` namespace (two levels): a section.
    let parent = "";
    for (let l = pos.line - 1; l >= 1; l--) {
      const t = source.lineText(l);
      if (t.trim() === "" || t.trim().startsWith("#") || indentOf(t) >= indent) continue;
      parent = t.trim().replace(/:.*$/, "").replace(/^["']|["']$/g, "");
      break;
    }
    if (parent === "docker") return [];
    table = SECTION;
  }
  return Object.entries(table).map(([label, doc]) => ({ label, kind: 10, insertText: `${label}: `, documentation: { kind: "markdown", value: doc } }));
}
