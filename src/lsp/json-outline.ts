/**
 * A forgiving JSON reader for editor features on a policy.json being typed: it never fails, keeps every member it
 * can see with its offsets, and stops an object or array where its text ends. The strict, Go-exact loader
 * (src/load/) judges the file; this only answers "where is the cursor" for hovers, completion and the outline.
 */

/** A JSON value with its offsets. */
export type JsonNode =
  | { type: "object"; start: number; end: number; members: JsonMember[] }
  | { type: "array"; start: number; end: number; items: JsonNode[] }
  | { type: "string"; start: number; end: number; value: string }
  | { type: "other"; start: number; end: number; text: string };

/** One `"key": value` of an object (value absent while being typed). */
export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value?: JsonNode;
}

interface Token {
  kind: "{" | "}" | "[" | "]" | ":" | "," | "string" | "other";
  start: number;
  end: number;
  text: string;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if ("{}[]:,".includes(c)) {
      out.push({ kind: c as Token["kind"], start: i, end: i + 1, text: c });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      const end = Math.min(text[j] === '"' ? j + 1 : j, text.length);
      out.push({ kind: "string", start: i, end, text: text.slice(i, end) });
      i = end;
      continue;
    }
    let j = i;
    while (j < text.length && !" \t\n\r{}[]:,\"".includes(text[j])) j++;
    out.push({ kind: "other", start: i, end: j, text: text.slice(i, j) });
    i = j;
  }
  return out;
}

function unquote(raw: string): string {
  const body = raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

/** Read `text` as JSON as far as it goes. */
export function readJsonOutline(text: string): JsonNode | undefined {
  const tokens = tokenize(text);
  let p = 0;
  const value = (): JsonNode | undefined => {
    const t = tokens[p];
    if (!t) return undefined;
    if (t.kind === "{") {
      p++;
      const node: JsonNode = { type: "object", start: t.start, end: text.length, members: [] };
      while (p < tokens.length) {
        const k = tokens[p];
        if (k.kind === "}") {
          node.end = k.end;
          p++;
          break;
        }
        if (k.kind === "]") break; // an unclosed object inside an array
        if (k.kind === ",") {
          p++;
          continue;
        }
        if (k.kind !== "string") {
          p++;
          continue;
        }
        p++;
        const m: JsonMember = { key: unquote(k.text), keyStart: k.start, keyEnd: k.end };
        node.members.push(m);
        if (tokens[p]?.kind === ":") {
          p++;
          const next = tokens[p];
          if (next && next.kind !== "}" && next.kind !== ",") m.value = value();
        }
      }
      return node;
    }
    if (t.kind === "[") {
      p++;
      const node: JsonNode = { type: "array", start: t.start, end: text.length, items: [] };
      while (p < tokens.length) {
        const k = tokens[p];
        if (k.kind === "]") {
          node.end = k.end;
          p++;
          break;
        }
        if (k.kind === "}") break;
        if (k.kind === "," || k.kind === ":") {
          p++;
          continue;
        }
        const v = value();
        if (v) node.items.push(v);
      }
      return node;
    }
    p++;
    if (t.kind === "string") return { type: "string", start: t.start, end: t.end, value: unquote(t.text) };
    return { type: "other", start: t.start, end: t.end, text: t.text };
  };
  return value();
}

/** A step of the way from the root to a node: a member key or an array index. */
export type JsonPathStep = string | number;

/** Where an offset is in a JSON outline. */
export interface JsonLocation {
  /** The path of the innermost object or array around the offset. */
  path: JsonPathStep[];
  /** That object or array. */
  container?: JsonNode;
  /** The member whose key is under the offset, if any. */
  key?: JsonMember;
  /** The member whose value is under the offset (string or other literal), if any. */
  inValue?: JsonMember;
}

const within = (start: number, end: number, o: number) => start <= o && o <= end;

/** Locate `offset` in `root`. */
export function locate(root: JsonNode | undefined, offset: number): JsonLocation {
  const path: JsonPathStep[] = [];
  let container: JsonNode | undefined;
  let node = root;
  while (node && (node.type === "object" || node.type === "array") && within(node.start + 1, node.end - (node.end > node.start + 1 ? 1 : 0), offset)) {
    container = node;
    if (node.type === "object") {
      const hit = node.members.find((m) => within(m.keyStart, m.keyEnd, offset) && offset > m.keyStart);
      if (hit) return { path, container, key: hit };
      const inValue = node.members.find((m) => m.value && within(m.value.start, m.value.end, offset) && offset > m.value.start);
      if (!inValue) return { path, container };
      if (inValue.value!.type !== "object" && inValue.value!.type !== "array") return { path, container, inValue: inValue };
      path.push(inValue.key);
      node = inValue.value;
    } else {
      const i = node.items.findIndex((v) => within(v.start, v.end, offset) && offset > v.start);
      if (i < 0) return { path, container };
      const v = node.items[i];
      if (v.type !== "object" && v.type !== "array") return { path, container };
      path.push(i);
      node = v;
    }
  }
  return { path, container };
}

/** The string value of member `key` of an object node. */
export function memberString(node: JsonNode | undefined, key: string): string | undefined {
  if (node?.type !== "object") return undefined;
  const v = node.members.find((m) => m.key === key)?.value;
  return v?.type === "string" ? v.value : undefined;
}
