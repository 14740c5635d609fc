/**
 * A small LSP client for the tests (and bench/lsp.mjs's twin): spawns the real executable (`imagetrust lsp`, the
 * bin that package.json names) and speaks JSON-RPC with Content-Length framing over its stdin/stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, "../..");

/** The executable package.json's "bin" names (wherever the build puts it). */
export function binPath(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.imagetrust;
  return path.join(REPO, bin);
}

/** A file URI for a path. */
export const uri = (p: string) => pathToFileURL(p).href;

interface Message {
  jsonrpc: "2.0";
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A running server and the messages it sent. */
export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Notifications received, in order. */
  readonly notifications: Message[] = [];
  /** Requests the server sent, in order. */
  readonly serverRequests: Message[] = [];
  private readonly listeners: Array<() => void> = [];
  stderr = "";

  constructor(args: string[] = ["lsp", "--stdio"], options: { cwd?: string; env?: Record<string, string> } = {}) {
    this.child = spawn(process.execPath, [binPath(), ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, stdio: "pipe" });
    this.child.stdout.on("data", (d: Buffer) => this.receive(d));
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from the server: ${header}`);
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const msg = JSON.parse(body) as Message;
      if (msg.id !== undefined && msg.method === undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
        else p?.resolve(msg.result);
      } else if (msg.id !== undefined && msg.method !== undefined) {
        // A request from the server (e.g. client/registerCapability): recorded, answered with null.
        this.serverRequests.push(msg);
        this.send({ jsonrpc: "2.0", id: msg.id, result: null });
        for (const l of [...this.listeners]) l();
      } else {
        this.notifications.push(msg);
        for (const l of [...this.listeners]) l();
      }
    }
  }

  private send(msg: Message): void {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Send a request and wait for its result. */
  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  /** Send a notification. */
  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** The first notification (received from `since` on) that satisfies `match`. */
  waitFor<T = unknown>(method: string, match: (params: T) => boolean = () => true, timeoutMs = 20_000, since = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = this.notifications.slice(since).find((n) => n.method === method && match(n.params as T));
        if (!hit) return false;
        this.listeners.splice(this.listeners.indexOf(check), 1);
        clearTimeout(timer);
        resolve(hit.params as T);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(check), 1);
        reject(new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  /** initialize + initialized. */
  async initialize(rootPath = REPO, textDocument: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } }> {
    const r = await this.request<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>("initialize", {
      processId: process.pid,
      rootUri: uri(rootPath),
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, ...textDocument } },
    });
    this.notify("initialized", {});
    return r;
  }

  /** Open a document. */
  open(file: string, text: string, languageId = "trust", version = 1): void {
    this.notify("textDocument/didOpen", { textDocument: { uri: uri(file), languageId, version, text } });
  }

  /** Replace a document's whole text. */
  change(file: string, text: string, version: number): void {
    this.notify("textDocument/didChange", { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
  }

  /** The diagnostics published for `file` at `version` (or any version). */
  diagnostics(file: string, version?: number, since = 0): Promise<PublishedDiagnostics> {
    return this.waitFor<PublishedDiagnostics>("textDocument/publishDiagnostics", (p) => p.uri === uri(file) && (version === undefined || p.version === version), 20_000, since);
  }

  /** shutdown + exit, then wait for the process to end. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.on("exit", (code) => resolve(code)));
    await this.request("shutdown", null);
    this.notify("exit", null);
    return exited;
  }
}

/** One LSP diagnostic as published. */
export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  codeDescription?: { href: string };
  source: string;
  message: string;
  relatedInformation?: Array<{ location: { uri: string; range: LspDiagnostic["range"] }; message: string }>;
}

/** A publishDiagnostics notification. */
export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}
