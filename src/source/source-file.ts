/** A file's text with a line index, so byte offsets can be turned into line/column positions. */

/** A half-open range [start, end) of UTF-16 offsets into one file's text. */
export interface Span {
  /** The file the span belongs to (as the user named it, or a synthetic name such as "<stdin>"). */
  file: string;
  start: number;
  end: number;
}

/** A 1-based line and column (columns count UTF-16 code units, as editors do). */
export interface Position {
  line: number;
  column: number;
}

/** A source text plus the offsets at which each line starts. */
export class SourceFile {
  readonly path: string;
  readonly text: string;
  private lineStarts: number[] | undefined;

  constructor(path: string, text: string) {
    this.path = path;
    this.text = text;
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (t.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** The 1-based line/column of an offset (clamped to the text). */
  position(offset: number): Position {
    const starts = this.starts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  }

  /** The offset of a 1-based line/column. */
  offset(pos: Position): number {
    const starts = this.starts();
    const line = Math.max(1, Math.min(pos.line, starts.length));
    return Math.min(starts[line - 1] + pos.column - 1, this.text.length);
  }

  /** The text of one 1-based line without its line terminator. */
  lineText(line: number): string {
    const starts = this.starts();
    if (line < 1 || line > starts.length) return "";
    const start = starts[line - 1];
    let end = line < starts.length ? starts[line] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  /** How many lines the text has. */
  get lineCount(): number {
    return this.starts().length;
  }

  /** A span in this file. */
  span(start: number, end: number): Span {
    return { file: this.path, start, end };
  }
}
