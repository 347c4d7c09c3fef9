// Where an import may read: objects under the prefixes operators are given (HEXARCHIVE_IMPORT_SOURCES),
// never any other object the function could reach. The jobs function's IAM grant names the same prefixes.
import { randomBytes } from "node:crypto";
import { BadRequestError, NotFoundError } from "../errors.ts";

export interface ImportSource {
  bucket: string;
  /** Keys must start with it; ends with `/` (or is empty: the whole bucket). */
  prefix: string;
}

/** `bucket/prefix/` entries, comma-separated (the setting's form). */
export function parseImportSources(text: string | undefined): ImportSource[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const at = s.indexOf("/");
      const bucket = at < 0 ? s : s.slice(0, at);
      const prefix = at < 0 ? "" : s.slice(at + 1);
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
        throw new Error(`import source '${s}': '${bucket}' is not a bucket name`);
      if (prefix !== "" && !prefix.endsWith("/"))
        throw new Error(`import source '${s}': the prefix must end with '/'`);
      return { bucket, prefix };
    });
}

/** The object an import body names (`key`, and `bucket` unless the first source's), confined to a source. */
export function confineImport(
  sources: ImportSource[],
  body: Record<string, unknown>,
): { bucket: string; key: string } {
  const named = sources.map((s) => `s3://${s.bucket}/${s.prefix}`).join(", ") || "none";
  const key = body["key"];
  const bucket = body["bucket"] ?? sources[0]?.bucket;
  if (typeof key !== "string" || key === "" || key.length > 1024)
    throw new BadRequestError(`key: expected the S3 key of an NDJSON object under ${named}`);
  if (typeof bucket !== "string")
    throw new BadRequestError(`bucket: expected a bucket name (allowed: ${named})`);
  // S3 keys are not paths, but a `..` segment or a leading `/` never names what an operator meant.
  if (key.startsWith("/") || key.split("/").some((s) => s === "." || s === ".."))
    throw new BadRequestError(`key: '${key}' has a '.', '..' or empty leading segment`);
  if (!sources.some((s) => s.bucket === bucket && key.startsWith(s.prefix)))
    throw new BadRequestError(
      `s3://${bucket}/${key} is not under an import source of this deployment (${named})`,
    );
  return { bucket, key };
}

/**
 * Where an operator's upload of an import file goes: a fresh key under the first import source, in a
 * folder named after the operator, so one upload never overwrites another's file.
 */
export function importUploadKey(
  sources: ImportSource[],
  user: string,
  now: Date,
): ImportSource & { key: string } {
  const source = sources[0];
  if (!source) throw new NotFoundError("this deployment takes no imports (no import source is configured)");
  const folder =
    user
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^\.+/, "_")
      .slice(0, 64) || "_";
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const key = `${source.prefix}${folder}/${stamp}-${randomBytes(6).toString("hex")}.ndjson`;
  return { ...source, key };
}
