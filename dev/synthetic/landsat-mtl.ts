// A Landsat Collection 2 Level-2 MTL as one ordered model, written in its three forms (txt/ODL, xml, json),
// which carry the same content as USGS delivers them.
import { escapeXml } from "./common.ts";

/** [key, value, quoted in ODL] */
export type MtlField = [string, string, boolean];
export type MtlGroup = [string, MtlField[]];

export function mtlText(groups: MtlGroup[]): string {
  const lines = ["GROUP = LANDSAT_METADATA_FILE"];
  for (const [name, fields] of groups) {
    lines.push(`  GROUP = ${name}`);
    for (const [k, v, q] of fields) lines.push(`    ${k} = ${q ? `"${v}"` : v}`);
    lines.push(`  END_GROUP = ${name}`);
  }
  lines.push("END_GROUP = LANDSAT_METADATA_FILE", "END", "");
  return lines.join("\n");
}

export function mtlXml(groups: MtlGroup[]): string {
  const body = groups
    .map(
      ([name, fields]) =>
        `  <${name}>\n${fields.map(([k, v]) => `    <${k}>${escapeXml(v)}</${k}>`).join("\n")}\n  </${name}>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<LANDSAT_METADATA_FILE>\n${body}\n</LANDSAT_METADATA_FILE>\n`;
}

/** USGS writes every JSON value as a string. */
export function mtlJson(groups: MtlGroup[]): string {
  const doc = {
    LANDSAT_METADATA_FILE: Object.fromEntries(
      groups.map(([g, f]) => [g, Object.fromEntries(f.map(([k, v]) => [k, v]))]),
    ),
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}
