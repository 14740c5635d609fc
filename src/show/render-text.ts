/**
 * `show` as a table (the columns of `podman image trust show`: TRANSPORT, NAME, TYPE, ID, STORE — podman
 * cmd/podman/images/trust_show.go — plus LEVEL, KEYS and IDENTITY) and as JSON for scripts.
 */
import type { ShowKey, ShowRow, TrustDescription } from "./describe.js";

const KIND_PREFIX: Record<ShowKey["kind"], string> = { gpg: "", sigstore: "", fulcio: "fulcio CA ", pki: "PKI roots ", rekor: "rekor " };

function keyText(k: ShowKey): string {
  return KIND_PREFIX[k.kind] + (k.path ?? `(${k.inline ?? "inline"})`);
}

function idText(k: ShowKey): string {
  const parts = [...k.fingerprints, ...k.identities];
  if (k.problem) parts.push(`(${k.problem})`);
  return parts.length > 0 ? parts.join(" ") : "-";
}

function storeText(r: ShowRow): string {
  if (!r.store) return "-";
  const read = r.store.lookaside === "" ? "(built-in)" : r.store.lookaside;
  return r.store.useSigstoreAttachments ? `${read} + sigstore attachments` : read;
}

/** The cells of one row, in column order. */
function cells(r: ShowRow): string[] {
  return [
    r.transport,
    r.name,
    r.type,
    r.level ?? (r.approval !== undefined ? "(approval)" : "-"),
    r.keys.length > 0 ? r.keys.map(keyText).join(", ") : "-",
    r.keys.length > 0 ? r.keys.map(idText).join("; ") : "-",
    r.identity ?? "-",
    storeText(r),
  ];
}

/** The column headers. */
export const SHOW_COLUMNS = ["TRANSPORT", "NAME", "TYPE", "LEVEL", "KEYS", "ID", "IDENTITY", "STORE"] as const;

/** The table, columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function renderTrustTable(d: TrustDescription): string {
  const rows = [SHOW_COLUMNS.slice(), ...d.rows.map(cells)];
  const widths = SHOW_COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

/** The description as JSON (two-space indent, newline at the end): `{"rows": [...]}`, fields as in ShowRow. */
export function renderTrustJson(d: TrustDescription): string {
  return JSON.stringify({ rows: d.rows }, null, 2) + "\n";
}
