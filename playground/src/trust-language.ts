/** Highlighting for .trust in CodeMirror: comments, strings, and the keywords of the real lexer (keywords.ts). */
import { StreamLanguage } from "@codemirror/language";
import { TRUST_KEYWORDS } from "./keywords.js";

const keywords = new Set(TRUST_KEYWORDS);

/** The .trust language for CodeMirror (a stream tokenizer; the diagnostics come from the real parser). */
export const trustLanguage = StreamLanguage.define<null>({
  name: "trust",
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match(/#.*/)) return "comment";
    if (stream.match(/"(?:[^"\\\n]|\\.)*"?/)) return "string";
    if (stream.match(/[A-Za-z_][A-Za-z0-9_-]*/)) return keywords.has(stream.current()) ? "keyword" : "variableName";
    if (stream.match(/[{}]/)) return "brace";
    if (stream.match(/=/)) return "operator";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});
