/**
 * The shape of one diagnostic code's catalogue entry (hadolint / Regal: a code is its documentation's address).
 * Band files hold the entries keyed by code; `index.ts` joins them.
 */
import type { Severity } from "../diagnostic.js";

/** The severity a code is emitted at, or "varies" when the emitting code picks one per finding. */
export type CatalogueSeverity = Severity | "varies";

/** One code's page, without the code itself (the band object's key is the code). */
export interface CatalogueBody {
  /** Default severity (or "varies"). */
  severity: CatalogueSeverity;
  /** One line. */
  title: string;
  /** What it means. */
  what: string;
  /** Why containers/image (or the target) behaves so. */
  why: string;
  /** What to do. */
  todo: string;
  /** The containers/image function(s) the behaviour follows, when one applies. */
  upstream?: string;
}

/** A catalogue entry with its code. */
export interface CatalogueEntry extends CatalogueBody {
  code: string;
  /** The lint rule's name, for IT4xxx codes. */
  rule?: string;
}

/** A page in positional form, to keep the band tables short. */
export function page(severity: CatalogueSeverity, title: string, what: string, why: string, todo: string, upstream?: string): CatalogueBody {
  return upstream === undefined ? { severity, title, what, why, todo } : { severity, title, what, why, todo, upstream };
}
