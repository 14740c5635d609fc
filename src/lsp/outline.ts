/**
 * Document symbols (the outline): a .trust source's statements (trust-index.ts); a policy.json's default and its
 * transports with their scopes, read forgivingly so the outline survives typing; a registries.d file's sections.
 */
import type { DocumentSymbol } from "vscode-languageserver";
import type { SourceFile } from "../source/source-file.js";
import type { Analysis, DocumentKind } from "./analyze.js";
import { spanRange } from "./convert.js";
import { readJsonOutline, type JsonNode } from "./json-outline.js";
import { trustSymbols, type TrustIndex } from "./trust-index.js";

function requirementSummary(v: JsonNode | undefined): string {
  if (v?.type !== "array") return "";
  return v.items
    .map((i) => (i.type === "object" ? i.members.find((m) => m.key === "type")?.value : undefined))
    .map((t) => (t?.type === "string" ? t.value : "?"))
    .join(", ");
}

function policySymbols(source: SourceFile): DocumentSymbol[] {
  const root = readJsonOutline(source.text);
  if (root?.type !== "object") return [];
  const out: DocumentSymbol[] = [];
  const sym = (name: string, detail: string, kind: DocumentSymbol["kind"], start: number, end: number, selStart: number, selEnd: number, children?: DocumentSymbol[]): DocumentSymbol => {
    const s: DocumentSymbol = { name: name === "" ? '""' : name, detail, kind, range: spanRange(source, { start, end }), selectionRange: spanRange(source, { start: selStart, end: selEnd }) };
    if (children?.length) s.children = children;
    return s;
  };
  for (const m of root.members) {
    const end = m.value?.end ?? m.keyEnd;
    if (m.key === "default") out.push(sym("default", requirementSummary(m.value), 7, m.keyStart, end, m.keyStart, m.keyEnd));
    else if (m.key === "transports" && m.value?.type === "object") {
      const transports = m.value.members.map((t) => {
        const scopes = t.value?.type === "object" ? t.value.members.map((s) => sym(s.key, requirementSummary(s.value), 15, s.keyStart, s.value?.end ?? s.keyEnd, s.keyStart, s.keyEnd)) : [];
        return sym(t.key, "transport", 3, t.keyStart, t.value?.end ?? t.keyEnd, t.keyStart, t.keyEnd, scopes);
      });
      out.push(sym("transports", "", 2, m.keyStart, end, m.keyStart, m.keyEnd, transports));
    }
  }
  return out;
}

function registriesDSymbols(source: SourceFile, analysis: Analysis | undefined): DocumentSymbol[] {
  const reg = analysis?.model?.registriesD;
  if (!reg) return [];
  const out: DocumentSymbol[] = [];
  const add = (name: string, storage: { lookaside?: string; useSigstoreAttachments?: boolean }, key: { start: number; end: number; file: string } | undefined) => {
    if (!key || key.file !== source.path) return;
    const detail = [storage.lookaside ? `lookaside ${storage.lookaside}` : "", storage.useSigstoreAttachments ? "attachments" : ""].filter(Boolean).join(", ");
    out.push({ name, detail, kind: 15, range: spanRange(source, key), selectionRange: spanRange(source, key) });
  };
  if (reg.defaultDocker) add("default-docker", reg.defaultDocker.storage, reg.defaultDocker.keyOrigin);
  for (const e of reg.docker) add(e.scope, e.storage, e.keyOrigin);
  return out;
}

/** The outline of a document of `kind`. */
export function documentOutline(kind: DocumentKind, source: SourceFile, index: TrustIndex | undefined, analysis: Analysis | undefined): DocumentSymbol[] {
  if (kind === "trust") return index ? trustSymbols(index) : [];
  if (kind === "policy-json") return policySymbols(source);
  if (kind === "registries-d-file") return registriesDSymbols(source, analysis);
  return [];
}
