/**
 * YAML scalars as the two upstream decoders resolve them: ghodss/yaml over yaml.v2 (YAML 1.1: yes/no/on/off are
 * booleans; numbers given for a string field are re-formatted as Go formats them) for containers/image up to 5.24,
 * yaml.v3 (YAML 1.2 core, scalars taken literally into strings) for 5.25 and newer.
 */
import { Scalar } from "yaml";
import { hasFeature, type Version } from "../../ir/versions.js";

/** Which decoder a target uses: "v2" = ghodss/yaml over yaml.v2, "v3" = yaml.v3. */
export type Decoder = "v2" | "v3";

/** The decoder of a target version (undefined = the newest). */
export function decoderFor(target: Version | undefined): Decoder {
  return hasFeature(target, "yamlV3RegistriesD") ? "v3" : "v2";
}

/** A plain scalar's type as the decoder resolves it. */
export type Resolved =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string };

const V2_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const V2_FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const V3_TRUE = new Set(["true", "True", "TRUE"]);
const V3_FALSE = new Set(["false", "False", "FALSE"]);
/** YAML 1.1 words yaml.v3 still accepts when decoding into a typed bool (quoted or not). */
export const V3_COMPAT_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
export const V3_COMPAT_FALSE = new Set(["n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const INT_RE = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const HEX_RE = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** The text of a scalar as written (plain scalars: their source), and whether it is plain (unquoted). */
export function scalarText(node: Scalar): { text: string; plain: boolean } {
  const plain = node.type === Scalar.PLAIN || node.type === undefined;
  const src = (node as Scalar & { source?: string }).source;
  if (plain && typeof src === "string") return { text: src, plain };
  const v = node.value;
  return { text: v === null || v === undefined ? "" : String(v), plain };
}

/** What a scalar is to the decoder: null, bool, int, float or string (quoted and `!!str` scalars are strings). */
export function resolveScalar(node: Scalar, decoder: Decoder): Resolved {
  const { text, plain } = scalarText(node);
  if (node.tag === "tag:yaml.org,2002:str" || !plain) return { kind: "string", value: text };
  if (NULL_WORDS.has(text)) return { kind: "null" };
  if (decoder === "v2") {
    if (V2_TRUE.has(text)) return { kind: "bool", value: true };
    if (V2_FALSE.has(text)) return { kind: "bool", value: false };
  } else {
    if (V3_TRUE.has(text)) return { kind: "bool", value: true };
    if (V3_FALSE.has(text)) return { kind: "bool", value: false };
  }
  const t = text.replace(/_/g, "");
  if (INT_RE.test(text)) return { kind: "int", value: Number(t) };
  if (HEX_RE.test(text)) return { kind: "int", value: (t.startsWith("-") ? -1 : 1) * parseInt(t.replace(/^[-+]?0x/, ""), 16) };
  if (FLOAT_RE.test(text)) return { kind: "float", value: Number(t) };
  return { kind: "string", value: text };
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32), as ghodss/yaml formats a float given for a string field. */
export function goFormatFloat32(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  const x = Math.fround(f);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  let digits = "";
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = x.toExponential(p - 1);
    if (Math.fround(Number(s)) === x) {
      const [mant, e] = s.split("e");
      digits = mant.replace("-", "").replace(".", "");
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, "") || "0";
  const sign = x < 0 ? "-" : "";
  // Go's shortest %g switches to %e when exp < -4 || exp >= 6 (eprec is 6 for shortest formatting).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    const es = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${es}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
