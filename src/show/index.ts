/** `imagetrust show`: the trust of a policy at a glance (table, JSON, mermaid, SVG). */
export { categoryOf, describeTrust, identityText, type DescribeTrustOptions, type ShowKey, type ShowRow, type ShowStore, type TrustCategory, type TrustDescription } from "./describe.js";
export { CATEGORY_COLOURS, policyPicture, type PictureGroup, type PictureNode } from "./picture.js";
export { renderTrustMermaid } from "./render-mermaid.js";
export { renderTrustSvg } from "./render-svg.js";
export { SHOW_COLUMNS, renderTrustJson, renderTrustTable } from "./render-text.js";
export { openPgpKeyFacts, pemKeyId, type OpenPgpKeyFacts } from "./key-facts.js";
