/**
 * `show --format svg`: the policy picture drawn by our own small renderer, so the output is deterministic text
 * (golden files, reviewable diffs) and needs no browser: a legend, then per transport an indented tree of boxes,
 * each coloured by what its scope demands. Text widths are estimated for a monospace font (0.6 em per character),
 * which every SVG viewer has.
 */
import type { Policy } from "../ir/types.js";
import { CATEGORY_COLOURS, policyPicture, type PictureNode } from "./picture.js";

const FONT_SIZE = 12;
const CHAR_WIDTH = FONT_SIZE * 0.6;
const ROW = 44;
const BOX_HEIGHT = 36;
const INDENT = 28;
const MARGIN = 16;

/** XML text escaping. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function boxWidth(n: PictureNode): number {
  return Math.ceil(Math.max(n.label.length, n.detail.length) * CHAR_WIDTH) + 16;
}

/** The SVG document of the picture of `policy`. */
export function renderTrustSvg(policy: Policy): string {
  const body: string[] = [];
  let y = MARGIN;
  let width = 0;
  // Legend.
  let lx = MARGIN;
  for (const [cat, c] of Object.entries(CATEGORY_COLOURS)) {
    body.push(`  <rect x="${lx}" y="${y}" width="14" height="14" rx="3" fill="${c.fill}" stroke="${c.stroke}"/>`);
    body.push(`  <text x="${lx + 20}" y="${y + 11}">${cat}</text>`);
    lx += 20 + Math.ceil(cat.length * CHAR_WIDTH) + 24;
  }
  width = Math.max(width, lx);
  y += 30;
  for (const g of policyPicture(policy)) {
    if (g.transport !== "") {
      body.push(`  <text x="${MARGIN}" y="${y + 14}" font-weight="bold">${esc(g.transport)}</text>`);
      y += 24;
      if (g.nodes.length === 0) {
        body.push(`  <text x="${MARGIN + INDENT}" y="${y + 12}" fill="#555">(no scopes)</text>`);
        y += 24;
      }
    }
    const top = new Map<number, number>();
    g.nodes.forEach((n, i) => {
      const x = MARGIN + (g.transport === "" ? 0 : INDENT) + n.depth * INDENT;
      const w = boxWidth(n);
      const c = CATEGORY_COLOURS[n.category];
      top.set(i, y);
      if (n.parent >= 0) {
        // An elbow from the parent's left edge down to this box.
        const px = x - INDENT + 10;
        const py = (top.get(n.parent) ?? y) + BOX_HEIGHT;
        body.push(`  <path d="M${px} ${py} V${y + BOX_HEIGHT / 2} H${x}" fill="none" stroke="#888"/>`);
      }
      body.push(`  <g class="${n.category}">`);
      body.push(`    <rect x="${x}" y="${y}" width="${w}" height="${BOX_HEIGHT}" rx="4" fill="${c.fill}" stroke="${c.stroke}"/>`);
      body.push(`    <text x="${x + 8}" y="${y + 15}">${esc(n.label)}</text>`);
      body.push(`    <text x="${x + 8}" y="${y + 30}" fill="#333">${esc(n.detail)}</text>`);
      body.push(`  </g>`);
      width = Math.max(width, x + w);
      y += ROW;
    });
    y += 8;
  }
  const w = width + MARGIN;
  const h = y + MARGIN - 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${FONT_SIZE}">\n` +
    `  <rect width="100%" height="100%" fill="#fff"/>\n` +
    body.join("\n") +
    `\n</svg>\n`
  );
}
