// Deletion causes: the normalised vocabulary (shared/storage/changes.ts) read from an operator's
// word or from an upstream's free text (CDSE's `DeletionCause`), whose wording is kept beside it.
import { BadRequestError } from "../errors.ts";
import { DELETION_CAUSES, type DeletionCause } from "../storage/changes.ts";

export const isDeletionCause = (s: string): s is DeletionCause =>
  (DELETION_CAUSES as readonly string[]).includes(s);

/** A cause named by its vocabulary word; a 400 naming the parameter and the words otherwise. */
export function requireCause(name: string, value: unknown): DeletionCause {
  if (typeof value === "string" && isDeletionCause(value)) return value;
  throw new BadRequestError(
    `'${name}' must be one of ${DELETION_CAUSES.join(", ")}, got ${value === undefined ? "nothing" : `'${String(value).slice(0, 80)}'`}`,
  );
}

/** Upstream wordings, tried in order on the lower-cased text (first match wins). */
const WORDINGS: [RegExp, DeletionCause][] = [
  [/obsolete|old format|format/, "obsolete-format"],
  [/corrupt|damaged|broken|checksum/, "corrupted"],
  [/duplicat/, "duplicate"],
  [/supersed|replaced|reprocess|new(er)? version|new baseline/, "superseded"],
  [/evict|retention|rolling/, "automatic-eviction"],
  [/invalid|wrong|erroneous|incorrect|bad /, "invalid"],
  [/withdraw|recall|embargo|revoked|removed by/, "withdrawn"],
];

/** The vocabulary word for an upstream's free text; "other" when none fits (the text travels with it). */
export function causeOfText(text: string | undefined): DeletionCause {
  const t = (text ?? "").trim().toLowerCase();
  if (t === "") return "other";
  const kebab = t.replace(/[\s_]+/g, "-");
  if (isDeletionCause(kebab)) return kebab;
  return WORDINGS.find(([re]) => re.test(t))?.[1] ?? "other";
}
