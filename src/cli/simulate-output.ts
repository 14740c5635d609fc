/**
 * `imagetrust simulate` output, written as the results come: `--format jsonl` (one compact object a line),
 * `--format json` (one array, opened at the first result and closed after the last), and text (explanations, or a
 * table whose column widths are taken from the first {@link TABLE_BATCH} rows). Nothing holds more than a bounded
 * number of results, so memory does not grow with the number of references.
 *
 * Records are lean by default: the fields the JSON contract names (README, `simulate --help`); the lookup trail and
 * the normalized names (`trail`, `imageName`, `dockerReference`) only with `--explain`, or any top-level selection
 * with `--fields`.
 */
import type { SimulationWithEvidence } from "../simulate/evidence-source.js";
import type { SimulationResult } from "../simulate/types.js";
import type { DecisionRecord } from "../simulate/simulate-run.js";
import {
  renderSimulationExplanation,
  renderSimulationTableLine,
  SIMULATION_TABLE_HEADER,
  simulationSummary,
  simulationTableRow,
  simulationTableWidths,
  type RenderTextOptions,
} from "../simulate/render-text.js";
import { renderEvidenceText } from "../simulate/render-evidence.js";
import { TextDecoder } from "node:util";
import type { TextSink } from "./io.js";
import { type ByteSink, maxUtf8, putBytes, putString, utf8 } from "../simulate/record-bytes.js";

export { EXPLAIN_ONLY_FIELDS, RECORD_FIELDS } from "../simulate/record-fields.js";
import { EXPLAIN_ONLY_FIELDS } from "../simulate/record-fields.js";

/** Which fields a record has: the lean default, everything (`--explain`), or a `--fields` selection. */
export type RecordSelection = { kind: "lean" } | { kind: "full" } | { kind: "fields"; fields: ReadonlySet<string> };

/** A result as written: a new object with the selected fields, in record order (candidates projected alike). */
export function projectRecord(r: SimulationResult | DecisionRecord, selection: RecordSelection): Record<string, unknown> {
  if (selection.kind === "full") return r as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const src = r as unknown as Record<string, unknown>;
  for (const k in src) {
    if (selection.kind === "lean" ? EXPLAIN_ONLY_FIELDS.has(k) : !selection.fields.has(k)) continue;
    const v = src[k];
    // Short-name candidates are results too: lean by default.
    out[k] = k === "candidates" && selection.kind === "lean" && Array.isArray(v) ? v.map((c: SimulationResult) => projectRecord(c, selection)) : v;
  }
  return out;
}

/** The output buffer's size, and how full it is when a flush is due (a record or two below the size). */
const OUTPUT_BYTES = 1 << 17;
const FLUSH_AT = OUTPUT_BYTES - (1 << 13);

/**
 * Output to a sink in large writes of UTF-8 bytes, gathered in one reusable buffer: text is encoded into it, and the
 * bulk records are written into it directly (record-bytes.ts {@link ByteSink}). When a stream's write() says its
 * buffer is full, the next flush waits for "drain", so a slow reader (a pipe to `head`, a terminal) holds the run back
 * instead of memory growing. A sink without `writeBytes` gets the text of what is held.
 */
export class BufferedOutput implements ByteSink {
  buf: Buffer;
  pos = 0;
  private blocked: Promise<void> | undefined;
  private readonly flushAt: number;
  private decoder: TextDecoder | undefined;
  constructor(
    private readonly sink: TextSink,
    private readonly size = OUTPUT_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(size);
    this.flushAt = size === OUTPUT_BYTES ? FLUSH_AT : size >> 1;
  }
  /** Whether a flush is due. */
  get due(): boolean {
    return this.pos >= this.flushAt;
  }
  /** Queue text; true when a flush is due. */
  write(s: string): boolean {
    const max = maxUtf8(s);
    if (max > this.size) {
      // Longer than the buffer: written as it is, after what is held.
      this.writeOut();
      this.sinkWrite(s);
      return false;
    }
    if (max === 0) return this.pos >= this.flushAt;
    if (this.buf.length - this.pos < max) this.writeOut();
    this.pos += this.buf.write(s, this.pos);
    return this.pos >= this.flushAt;
  }
  /**
   * `s.slice(from, to)` at `pos` (room made): a short piece by a loop (a native call costs more than its characters),
   * a long one by Node's encoder.
   */
  putText(s: string, from: number, to: number): void {
    if (to - from < NATIVE_FROM) this.pos = putString(this.buf, this.pos, s, from, to);
    else this.pos += (this.buf as NodeBuffer).utf8Write(from === 0 && to === s.length ? s : s.slice(from, to), this.pos);
  }
  /** Queue bytes; true when a flush is due. */
  put(bytes: Uint8Array): boolean {
    this.reserve(bytes.length);
    this.pos = putBytes(this.buf, this.pos, bytes);
    return this.pos >= this.flushAt;
  }
  /** Room for `n` bytes: what is held is written out when they do not fit; a larger buffer for a record that big. */
  reserve(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.writeOut();
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(n);
  }
  /** Write what is queued (after the sink drained, if it asked for that). */
  async flush(): Promise<void> {
    if (this.blocked) await this.blocked;
    this.blocked = undefined;
    this.writeOut();
  }
  private writeOut(): void {
    if (this.pos === 0) return;
    const held = this.buf.subarray(0, this.pos);
    this.pos = 0;
    // A record bigger than the buffer made it grow: back to the usual size once written.
    if (this.buf.length > this.size) this.buf = Buffer.allocUnsafe(this.size);
    const sink = this.sink;
    const more = sink.writeBytes !== undefined ? sink.writeBytes(held) : sink.write((this.decoder ??= new TextDecoder()).decode(held));
    this.wait(more);
  }
  private sinkWrite(s: string): void {
    this.wait(this.sink.write(s));
  }
  private wait(more: unknown): void {
    if (more === false && this.sink.once && this.blocked === undefined) {
      const sink = this.sink;
      this.blocked = new Promise((resolve) => sink.once!("drain", () => resolve()));
    }
  }
}

/** Node's Buffer encoder without `write`'s argument handling (the same bytes as `buf.write(s, offset)`). */
type NodeBuffer = Buffer & { utf8Write(s: string, offset: number): number };
/** Pieces at least this long are encoded by Node (measured: below it a loop is cheaper than the call). */
const NATIVE_FROM = 16;

/** A record prepared to be written as bytes (fast-record.ts `prepare` / `writePrepared`). */
export interface PreparedRecord {
  writePrepared(sink: ByteSink): void;
}

const NEWLINE = utf8("\n");
const ARRAY_OPEN = utf8("[\n");
const ARRAY_NEXT = utf8(",\n");

/** A writer of results in one format. */
export interface ResultWriter<R = SimulationWithEvidence | DecisionRecord> {
  /** Queue one result's output (a decision record only with a `--fields` selection of its fields); true when a flush is due. */
  add(r: R): boolean;
  /** Queue a record already written as compact JSON (fast-record.ts); only on writers of compact JSON. */
  addJson?(json: string): boolean;
  /** Queue a record written as compact JSON bytes straight into the output; only on writers of compact JSON. */
  addPrepared?(record: PreparedRecord): boolean;
  /** Queue what closes the output (after the last result). */
  end(): void;
}

/** `--format jsonl`: one compact object a line. Equal results (the run's cache) are serialized once. */
export function jsonlWriter(out: BufferedOutput, selection: RecordSelection): ResultWriter {
  const seen = new WeakMap<object, string>();
  return {
    add(r) {
      let line = seen.get(r);
      if (line === undefined) {
        line = JSON.stringify(projectRecord(r, selection)) + "\n";
        seen.set(r, line);
      }
      return out.write(line);
    },
    addJson(json) {
      out.write(json);
      return out.put(NEWLINE);
    },
    addPrepared(record) {
      record.writePrepared(out);
      return out.put(NEWLINE);
    },
    end() {},
  };
}

/**
 * `--format json`: one array, written as it grows. Pretty (as JSON.stringify(results, null, 2) prints it, byte
 * for byte) on a terminal, else one compact record a line between `[` and `]`.
 */
export function jsonArrayWriter(out: BufferedOutput, selection: RecordSelection, pretty: boolean): ResultWriter {
  const seen = new WeakMap<object, string>();
  let n = 0;
  return {
    add(r) {
      let text = seen.get(r);
      if (text === undefined) {
        const rec = projectRecord(r, selection);
        // JSON strings hold no raw newline, so indenting every line is indenting the nested document.
        text = pretty ? "  " + JSON.stringify(rec, null, 2).replace(/\n/g, "\n  ") : JSON.stringify(rec);
        seen.set(r, text);
      }
      out.write(n++ === 0 ? "[\n" : ",\n");
      return out.write(text);
    },
    // The compact array only: a pretty one indents every record.
    ...(pretty
      ? {}
      : {
          addJson(json: string) {
            out.put(n++ === 0 ? ARRAY_OPEN : ARRAY_NEXT);
            return out.write(json);
          },
          addPrepared(record: PreparedRecord) {
            out.put(n++ === 0 ? ARRAY_OPEN : ARRAY_NEXT);
            record.writePrepared(out);
            return out.due;
          },
        }),
    end() {
      if (n > 0) out.write("\n]\n");
    },
  };
}

/** Rows held before a streamed table fixes its column widths (the whole table when it is shorter). */
export const TABLE_BATCH = 10_000;
/** Warnings and evidence listed after a table, at most (a stream's later ones are counted, not held). */
export const TABLE_TRAILER_LIMIT = 1_000;

/**
 * Text: one reference (or `--explain`) is explained in full; several make a table. A table of at most
 * {@link TABLE_BATCH} references is exactly the whole-run table (renderSimulationTable); a longer one keeps the
 * widths of its first batch. Warnings and signature evidence follow the table, the first
 * {@link TABLE_TRAILER_LIMIT} of each.
 */
export function textWriter(out: BufferedOutput, style: NonNullable<RenderTextOptions["style"]>, explain: boolean): ResultWriter<SimulationWithEvidence> {
  let first: SimulationWithEvidence | undefined;
  let n = 0;
  let allowed = 0;
  let batch: string[][] | undefined = [];
  let batchVerdicts: boolean[] = [];
  let widths: number[] | undefined;
  const warnings: string[] = [];
  const evidence: string[] = [];
  let droppedWarnings = 0;
  let droppedEvidence = 0;
  const explanation = (r: SimulationWithEvidence) => renderSimulationExplanation(r, { style }) + renderEvidenceText(r.signatures, "  ");
  const line = (cells: readonly string[], ok: boolean) => renderSimulationTableLine(cells, widths!, ok ? style.allow : style.deny) + "\n";
  const startTable = () => {
    widths = simulationTableWidths(batch!);
    out.write((style.bold ?? ((s: string) => s))(renderSimulationTableLine(SIMULATION_TABLE_HEADER, widths)) + "\n");
    for (let i = 0; i < batch!.length; i++) out.write(line(batch![i], batchVerdicts[i]));
    batch = undefined;
    batchVerdicts = [];
  };
  return {
    add(r) {
      n++;
      if (r.verdict === "allow") allowed++;
      if (explain) return out.write((n > 1 ? "\n" : "") + explanation(r));
      if (n === 1) first = r;
      else first = undefined;
      for (const w of r.warnings) {
        if (warnings.length < TABLE_TRAILER_LIMIT) warnings.push(`warning: ${r.ref}: ${w}`);
        else droppedWarnings++;
      }
      if (r.signatures) {
        if (evidence.length < TABLE_TRAILER_LIMIT) evidence.push(`${r.ref}:\n${renderEvidenceText(r.signatures, "  ")}`);
        else droppedEvidence++;
      }
      const row = simulationTableRow(r);
      if (batch === undefined) return out.write(line(row, r.verdict === "allow"));
      batch.push(row);
      batchVerdicts.push(r.verdict === "allow");
      if (batch.length > TABLE_BATCH) startTable();
      return false;
    },
    end() {
      if (explain || n === 0) return;
      if (n === 1 && first) {
        out.write(explanation(first));
        return;
      }
      if (batch !== undefined) startTable();
      const tail = ["", simulationSummary(allowed, n - allowed), ...warnings];
      if (droppedWarnings > 0) tail.push(`(${droppedWarnings} more warnings not shown: --format jsonl lists every reference's warnings)`);
      out.write(tail.join("\n") + "\n");
      for (const e of evidence) out.write(e);
      if (droppedEvidence > 0) out.write(`(the signature evidence of ${droppedEvidence} more references is not shown: --format jsonl has it)\n`);
    },
  };
}
