/**
 * `imagetrust fmt`: the canonical layout of a .trust file, computed from its CST with every comment kept.
 * One statement per line (blank lines between statements kept, at most one), blocks indented by two
 * spaces with one entry per line and the first column aligned, fulcio/pki clauses on continuation lines,
 * single spaces elsewhere, trailing comments two spaces after the code. Strings and names are kept exactly
 * as written. Formatting is idempotent; a file with syntax errors is not formatted.
 */
import type { CstNode, IToken } from "chevrotain";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { parseTrust } from "../syntax/parse.js";

/** Widest first column that is still aligned; longer scope strings stand alone. */
const ALIGN_LIMIT = 48;

interface Layout {
  /** Start a new line before this token, at this indentation depth. */
  breakDepth?: number;
  /** Pad the current line to this many columns (after indentation) before this token. */
  alignTo?: number;
  /** No space before this token (the `}` of an empty block). */
  tight?: boolean;
}

function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).tokenType !== undefined;
}

function realToken(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

function children(n: CstNode): Array<CstNode | IToken> {
  const all: Array<CstNode | IToken> = [];
  for (const arr of Object.values(n.children)) if (arr) all.push(...arr);
  const off = (x: CstNode | IToken) => (isToken(x) ? x.startOffset : (x.location?.startOffset ?? Infinity));
  return all.sort((a, b) => off(a) - off(b));
}

function firstToken(n: CstNode | IToken): IToken | undefined {
  if (isToken(n)) return realToken(n) ? n : undefined;
  for (const c of children(n)) {
    const t = firstToken(c);
    if (t) return t;
  }
  return undefined;
}

function tokensOf(n: CstNode | IToken, out: IToken[] = []): IToken[] {
  if (isToken(n)) {
    if (realToken(n)) out.push(n);
  } else for (const c of children(n)) tokensOf(c, out);
  return out;
}

/** Decide line breaks, indentation and alignment for every token of the CST. */
function plan(cst: CstNode): Map<IToken, Layout> {
  const layout = new Map<IToken, Layout>();
  const set = (t: IToken | undefined, l: Layout) => {
    if (t) layout.set(t, { ...layout.get(t), ...l });
  };

  const block = (node: CstNode, entryRule: string, depth: number) => {
    const entries = (node.children[entryRule] ?? []).filter((x): x is CstNode => !isToken(x));
    const lcurly = (node.children.LCurly ?? []).find(isToken);
    const rcurly = (node.children.RCurly ?? []).find(isToken);
    if (entries.length === 0) {
      if (rcurly && lcurly && realToken(rcurly) && realToken(lcurly)) set(rcurly, { tight: true });
      return;
    }
    const heads = entries.map((e) => firstToken(e));
    const width = Math.max(...heads.map((h) => (h && h.image.length <= ALIGN_LIMIT ? h.image.length : 0)));
    for (const e of entries) {
      const toks = tokensOf(e);
      set(toks[0], { breakDepth: depth + 1 });
      if (toks[0] && toks[0].image.length <= ALIGN_LIMIT && toks[1] && toks[1].tokenType.name !== "LCurly") set(toks[1], { alignTo: width + 2 });
      walk(e, depth + 1);
    }
    set(rcurly, { breakDepth: depth });
  };

  const walk = (node: CstNode, depth: number) => {
    switch (node.name) {
      case "file": {
        const statements = (node.children.statement ?? []).filter((x): x is CstNode => !isToken(x));
        for (const st of statements) {
          set(firstToken(st), { breakDepth: 0 });
          walk(st, 0);
        }
        alignDeclarations(statements);
        return;
      }
      case "transportBlock":
        block(node, "scopeEntry", depth);
        return;
      case "signaturesBlock":
        block(node, "storageEntry", depth);
        return;
      case "profileBlock": {
        // A profile's statements, one per line and indented, laid out as at top level.
        const statements = (node.children.statement ?? []).filter((x): x is CstNode => !isToken(x));
        for (const st of statements) {
          set(firstToken(st), { breakDepth: depth + 1 });
          walk(st, depth + 1);
        }
        const lcurly = (node.children.LCurly ?? []).find(isToken);
        const rcurly = (node.children.RCurly ?? []).find(isToken);
        if (statements.length === 0 && lcurly && rcurly && realToken(lcurly) && realToken(rcurly)) set(rcurly, { tight: true });
        else set(rcurly, { breakDepth: depth });
        return;
      }
      case "scopeEntry":
        if (node.children.LCurly) block(node, "scopeEntry", depth);
        for (const c of children(node)) if (!isToken(c) && c.name !== "scopeEntry") walk(c, depth);
        return;
      case "expectDecl": {
        // `expect allow` and `expect deny ` line up their references.
        const str = (node.children.StringLiteral ?? []).find(isToken);
        set(str, { alignTo: "expect allow".length + 1 });
        return;
      }
      case "fulcioKey":
      case "pkiKey":
        for (const c of children(node)) {
          if (isToken(c)) continue;
          set(firstToken(c), { breakDepth: depth + 1 });
        }
        return;
      default:
        for (const c of children(node)) if (!isToken(c)) walk(c, depth);
    }
  };
  // Runs of adjacent key / identity / level declarations line up what follows their names.
  const alignDeclarations = (statements: CstNode[]) => {
    let run: IToken[][] = [];
    let kind = "";
    let lastLine = -10;
    const close = () => {
      if (run.length > 1) {
        const width = Math.max(...run.map((t) => t[0].image.length + 1 + t[1].image.length));
        if (width <= ALIGN_LIMIT) for (const t of run) set(t[2], { alignTo: width + 1 });
      }
      run = [];
    };
    for (const st of statements) {
      const decl = children(st).find((c): c is CstNode => !isToken(c));
      const toks = decl ? tokensOf(decl) : [];
      const k = decl?.name ?? "";
      const startLine = toks[0]?.startLine ?? 0;
      const adjacent = startLine - lastLine <= 1;
      lastLine = toks[toks.length - 1]?.endLine ?? startLine;
      if (!["keyDecl", "levelDecl", "identityDecl"].includes(k) || toks.length < 3) {
        close();
        kind = "";
        continue;
      }
      if (k !== kind || !adjacent) close();
      kind = k;
      run.push(toks);
    }
    close();
  };
  walk(cst, 0);
  return layout;
}

/** Format a .trust file: the canonical text, or diagnostics (and no text) when it does not parse. */
export function formatTrustSource(source: SourceFile): { text?: string; diagnostics: Diagnostic[] } {
  const parsed = parseTrust(source);
  if (!parsed.cst || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const layout = plan(parsed.cst);
  const items = [...parsed.tokens.map((t) => ({ t, comment: false })), ...parsed.comments.map((t) => ({ t, comment: true }))].sort(
    (a, b) => a.t.startOffset - b.t.startOffset,
  );

  const lines: string[] = [];
  let line = "";
  let depth = 0; // indentation of the current statement / entry
  let lineIndent = 0;
  let prevEndLine = 0; // source line where the previous item ended
  let forceBreak = false;
  const lineOf = (offset: number) => source.position(offset).line;
  const flush = () => {
    if (line !== "" || lines.length) lines.push(line.trimEnd());
    line = "";
  };
  const startLine = (d: number, itemLine: number) => {
    if (line !== "") flush();
    if (lines.length && itemLine - prevEndLine >= 2 && lines[lines.length - 1] !== "" && !lines[lines.length - 1].endsWith("{")) lines.push("");
    lineIndent = d;
    line = "  ".repeat(d);
  };

  for (const { t, comment } of items) {
    const startL = lineOf(t.startOffset);
    if (comment) {
      const text = t.image.trimEnd();
      if (line.trim() !== "" && startL === prevEndLine) {
        line += "  " + text; // a trailing comment
        forceBreak = true;
      } else {
        // An own-line comment takes the indentation of what follows it; work that out from the next token.
        const next = items.find((x) => !x.comment && x.t.startOffset > t.startOffset);
        const l = next ? layout.get(next.t) : undefined;
        // A comment just before a closing brace belongs to the block's contents.
        const closing = next?.t.tokenType.name === "RCurly" && l?.breakDepth !== undefined;
        startLine(closing ? l!.breakDepth! + 1 : (l?.breakDepth ?? (next ? depth + 1 : 0)), startL);
        line += text;
        flush();
        forceBreak = true;
      }
      prevEndLine = lineOf(t.endOffset!);
      continue;
    }
    const l = layout.get(t) ?? {};
    if (l.breakDepth !== undefined) {
      depth = l.breakDepth;
      startLine(depth, startL);
      forceBreak = false;
    } else if (forceBreak || line === "") {
      startLine(depth + 1, startL);
      forceBreak = false;
    } else if (l.alignTo !== undefined && line.length - 2 * lineIndent < l.alignTo) {
      line = line.padEnd(2 * lineIndent + l.alignTo);
    } else if (!l.tight) {
      line += " ";
    }
    line += t.image;
    prevEndLine = lineOf(t.endOffset!);
  }
  flush();
  while (lines.length && lines[0] === "") lines.shift();
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return { text: lines.length ? lines.join("\n") + "\n" : "", diagnostics: parsed.diagnostics };
}
