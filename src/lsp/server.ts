/**
 * The language server: protocol handlers over a connection the caller made (src/cli/commands/lsp.ts makes a stdio
 * one). It keeps the open documents, analyses each as `imagetrust lint` would (analyze.ts, through an overlay Host
 * whose reads see the open documents first) and publishes the diagnostics; when a document or a file on disk
 * changes, every open document whose analysis read it is analysed again (a .trust source's key files, a policy.json
 * and the registries.d beside it). No Node built-in here: the machine is the Host.
 */
import type { Connection, InitializeResult, Location, TextEdit as LspTextEdit } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Host } from "../host/host.js";
import { dirname } from "../host/path.js";
import { formatTrustSource } from "../print/format.js";
import { SourceFile } from "../source/source-file.js";
import { codeActions } from "./actions.js";
import { analyzeDocument, documentKind, type Analysis, type DocumentKind } from "./analyze.js";
import { policyJsonCompletion, trustCompletion } from "./completion.js";
import { offsetAt, pathToUri, positionAt, spanRange, toLspDiagnostic, uriToPath } from "./convert.js";
import { plainHover, policyJsonHover, trustHover } from "./hover.js";
import { documentOutline } from "./outline.js";
import { registriesDCompletion, registriesDHover } from "./registries-d-keys.js";
import { declarationOf, indexTrust, nameAt, type TrustIndex } from "./trust-index.js";

/** The language server's own diagnostic codes (catalogue/tooling.ts). */
export const LSP_CODES = { internal: "IT9070" } as const;

/** Options of {@link startLanguageServer}. */
export interface LanguageServerOptions {
  /** The machine underneath the open documents. */
  host: Host;
  /** The server's version (for `serverInfo`). */
  version?: string;
}

interface OpenDocument {
  doc: TextDocument;
  path: string;
  kind?: DocumentKind;
  source: SourceFile;
  analysis?: Analysis;
  /** The version the analysis is of. */
  analysedVersion?: number;
  index?: { version: number; index: TrustIndex };
}

/** The kind of a document, also for untitled buffers (by language id). */
function kindOf(path: string, languageId: string, text: string): DocumentKind | undefined {
  const byName = documentKind(path, text);
  if (byName !== undefined || path.startsWith("/file:")) return byName;
  if (languageId === "trust") return "trust";
  if (languageId === "json" || languageId === "jsonc") return documentKind("/x/untitled.json", text);
  return undefined;
}

/** Serve the language over `connection` until it closes. */
export function startLanguageServer(connection: Connection, options: LanguageServerOptions): void {
  const docs = new Map<string, OpenDocument>();
  /** Open documents' texts by path: what the overlay host shows first. */
  const texts = new Map<string, string>();

  const analyse = async (uri: string): Promise<Analysis | undefined> => {
    const d = docs.get(uri);
    if (!d) return undefined;
    if (!d.kind) {
      // No longer something the server judges (a JSON file that stopped looking like a policy): clear what it said.
      if (d.analysis) await connection.sendDiagnostics({ uri, version: d.doc.version, diagnostics: [] });
      d.analysis = undefined;
      return undefined;
    }
    const version = d.doc.version;
    const source = d.source;
    let analysis: Analysis;
    try {
      analysis = await analyzeDocument(d.path, d.kind, { host: options.host, texts });
    } catch (e) {
      // A bug: say so in the document (IT9070) rather than show nothing, and log the stack for the report.
      connection.console.error(`imagetrust: checking ${d.path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      const message = `imagetrust could not check this document: ${e instanceof Error ? e.message : String(e)}.`;
      analysis = { path: d.path, kind: d.kind, diagnostics: [{ code: LSP_CODES.internal, severity: "error", file: d.path, message, hint: "This is a bug in imagetrust; please report it with the file." }], sources: new Map(), reads: new Set([d.path]) };
    }
    // A newer version arrived meanwhile: its own analysis follows; publish nothing stale.
    if (docs.get(uri) !== d || d.doc.version !== version) return analysis;
    d.analysis = analysis;
    d.analysedVersion = version;
    const sourceOf = (f: string) => (f === d.path ? source : (analysis.sources.get(f) ?? sourceOfOpen(f)));
    const diagnostics = analysis.diagnostics.map((x) => toLspDiagnostic(x, source, sourceOf));
    await connection.sendDiagnostics({ uri, version, diagnostics });
    return analysis;
  };

  const sourceOfOpen = (path: string): SourceFile | undefined => {
    for (const d of docs.values()) if (d.path === path) return d.source;
    return undefined;
  };

  // One analysis at a time, in the order documents changed; a document that changes again while queued is analysed
  // once, at its newest version.
  const dirty = new Set<string>();
  const waiters = new Map<string, Array<() => void>>();
  let running: string | undefined;
  let looping = false;
  const loop = async () => {
    looping = true;
    while (dirty.size > 0) {
      const uri = dirty.values().next().value as string;
      dirty.delete(uri);
      running = uri;
      try {
        await analyse(uri);
      } catch (e) {
        // Publishing failed (the connection is closing): keep the queue going for the others.
        connection.console.error(`imagetrust: ${e instanceof Error ? e.message : String(e)}`);
      }
      running = undefined;
      if (!dirty.has(uri)) {
        for (const w of waiters.get(uri) ?? []) w();
        waiters.delete(uri);
      }
    }
    looping = false;
  };
  /** Analyse `uri` (after the analyses queued before it); resolves when its newest version is analysed. */
  const schedule = (uri: string): Promise<void> => {
    const done = new Promise<void>((resolve) => waiters.set(uri, [...(waiters.get(uri) ?? []), resolve]));
    dirty.add(uri);
    if (!looping) void loop();
    return done;
  };
  const waitFor = (uri: string): Promise<void> =>
    dirty.has(uri) || running === uri ? new Promise<void>((resolve) => waiters.set(uri, [...(waiters.get(uri) ?? []), resolve])) : schedule(uri);

  /** Documents that read `path` (or list its directory): analysed again when it changes. */
  const dependents = (path: string, except?: string): string[] =>
    [...docs.entries()].filter(([u, d]) => u !== except && d.analysis && (d.analysis.reads.has(path) || d.analysis.reads.has(dirname(path)))).map(([u]) => u);

  const changed = (uri: string) => {
    const d = docs.get(uri);
    if (!d) return;
    void schedule(uri);
    for (const u of dependents(d.path, uri)) void schedule(u);
  };

  /** The analysis of the document's current version (waiting for one under way). */
  const current = async (uri: string): Promise<OpenDocument | undefined> => {
    const d = docs.get(uri);
    if (!d) return undefined;
    if (d.kind && d.analysedVersion !== d.doc.version) await waitFor(uri);
    return d;
  };

  const indexOf = (d: OpenDocument): TrustIndex => {
    if (d.index?.version !== d.doc.version) d.index = { version: d.doc.version, index: indexTrust(d.source) };
    return d.index.index;
  };

  const refresh = (d: OpenDocument) => {
    const text = d.doc.getText();
    d.source = new SourceFile(d.path, text);
    texts.set(d.path, text);
    d.kind = kindOf(d.path, d.doc.languageId, text);
  };

  // Formatting is `imagetrust fmt`, for .trust sources only. A client that registers capabilities dynamically is told
  // so (else an editor that sends us every JSON file would offer us as a JSON formatter too).
  let formatDynamically = false;
  connection.onInitialize(
    (params): InitializeResult => {
      formatDynamically = params.capabilities.textDocument?.formatting?.dynamicRegistration === true;
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: 2 },
          hoverProvider: true,
          completionProvider: { triggerCharacters: [" ", '"'] },
          definitionProvider: true,
          referencesProvider: true,
          documentSymbolProvider: true,
          documentFormattingProvider: !formatDynamically,
          codeActionProvider: { codeActionKinds: ["quickfix"] },
        },
        serverInfo: { name: "imagetrust", version: options.version },
      };
    },
  );
  connection.onInitialized(() => {
    if (!formatDynamically) return;
    const documentSelector = [{ language: "trust" }, { pattern: "**/*.trust" }];
    void connection.sendRequest("client/registerCapability", { registrations: [{ id: "imagetrust-fmt", method: "textDocument/formatting", registerOptions: { documentSelector } }] });
  });

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    const doc = TextDocument.create(t.uri, t.languageId, t.version, t.text);
    const path = uriToPath(t.uri);
    const d: OpenDocument = { doc, path, source: new SourceFile(path, t.text) };
    docs.set(t.uri, d);
    refresh(d);
    changed(t.uri);
  });

  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    const d = docs.get(t.uri);
    if (!d) return;
    d.doc = TextDocument.update(d.doc, contentChanges, t.version);
    refresh(d);
    changed(t.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    const d = docs.get(t.uri);
    if (!d) return;
    docs.delete(t.uri);
    texts.delete(d.path);
    void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
    // What read the buffer now reads the file on disk.
    for (const u of dependents(d.path)) void schedule(u);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const again = new Set<string>();
    for (const c of changes) for (const u of dependents(uriToPath(c.uri))) again.add(u);
    for (const u of again) void schedule(u);
  });

  connection.onHover(async ({ textDocument, position }) => {
    const d = await current(textDocument.uri);
    if (!d) return null;
    const offset = offsetAt(d.source, position);
    const input = { source: d.source, analysis: d.analysis, host: options.host };
    if (d.kind === "trust") return trustHover({ ...input, index: indexOf(d) }, offset) ?? null;
    if (d.kind === "policy-json") return policyJsonHover(input, offset) ?? null;
    if (d.kind === "registries-d-file") return plainHover(d.source, offset) ?? registriesDHover(d.source, offset) ?? null;
    return plainHover(d.source, offset) ?? null;
  });

  connection.onCompletion(({ textDocument, position }) => {
    const d = docs.get(textDocument.uri);
    if (!d) return [];
    const offset = offsetAt(d.source, position);
    if (d.kind === "trust") return trustCompletion(d.source, offset, indexOf(d));
    if (d.kind === "policy-json") return policyJsonCompletion(d.source, offset);
    if (d.kind === "registries-d-file") return registriesDCompletion(d.source, offset);
    return [];
  });

  connection.onDefinition(({ textDocument, position }) => {
    const d = docs.get(textDocument.uri);
    if (!d || d.kind !== "trust") return null;
    const index = indexOf(d);
    const hit = nameAt(index, offsetAt(d.source, position));
    const decl = hit && declarationOf(index, hit.name);
    return decl ? { uri: textDocument.uri, range: spanRange(d.source, decl.span) } : null;
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const d = docs.get(textDocument.uri);
    if (!d || d.kind !== "trust") return [];
    const index = indexOf(d);
    const hit = nameAt(index, offsetAt(d.source, position));
    if (!hit) return [];
    const spans = [...(context.includeDeclaration ? index.declarations.filter((x) => x.name === hit.name) : []), ...index.references.filter((r) => r.name === hit.name)];
    return spans.sort((a, b) => a.span.start - b.span.start).map((x): Location => ({ uri: textDocument.uri, range: spanRange(d.source, x.span) }));
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const d = docs.get(textDocument.uri);
    if (!d || !d.kind) return [];
    if (d.kind === "trust") return documentOutline(d.kind, d.source, indexOf(d), undefined);
    const c = await current(textDocument.uri);
    return documentOutline(d.kind, d.source, undefined, c?.analysis);
  });

  connection.onDocumentFormatting(({ textDocument }): LspTextEdit[] | null => {
    const d = docs.get(textDocument.uri);
    if (!d || d.kind !== "trust") return null;
    const r = formatTrustSource(d.source);
    // Like `imagetrust fmt`: a source with syntax errors is left alone.
    if (r.text === undefined || r.text === d.source.text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: positionAt(d.source, d.source.text.length) }, newText: r.text }];
  });

  connection.onCodeAction(async ({ textDocument, range }) => {
    const d = await current(textDocument.uri);
    if (!d?.analysis) return [];
    return codeActions(d.analysis, d.source, range);
  });

  connection.listen();
}

export { pathToUri, uriToPath };
