// The SAFE manifest (Sentinel-1/2 `manifest.safe`, Sentinel-3 `xfdumanifest.xml`): acquisition period,
// platform, orbit, footprint and the list of files the product holds.

import { ProductError } from "../../errors.ts";
import { latLonPairs } from "../../geo/footprint.ts";
import { attrOf, findAll, findFirst, findText, parseXml, textOf, toNumber, type XmlNode } from "../xml.ts";

export interface SafeManifest {
  doc: XmlNode;
  startTime?: string | undefined;
  stopTime?: string | undefined;
  familyName?: string | undefined;
  /** Satellite letter/number as written, e.g. "A", "2A". */
  number?: string | undefined;
  instrument?: string | undefined;
  absoluteOrbit?: number | undefined;
  relativeOrbit?: number | undefined;
  orbitDirection?: string | undefined;
  /** [lon, lat] ring from gml:coordinates or gml:posList. */
  footprint?: [number, number][] | undefined;
  /** Paths of data objects (fileLocation href), relative to the product root. */
  files: string[];
}

export function parseSafeManifest(bytes: Uint8Array, document: string): SafeManifest {
  const doc = parseXml(bytes, document);
  if (!findFirst(doc, "XFDU")) throw new ProductError(`${document} is not a SAFE manifest (no XFDU root)`);
  const orbit =
    findAll(doc, "orbitNumber").find((o) => attrOf(o, "type") !== "stop") ?? findFirst(doc, "orbitNumber");
  const relative =
    findAll(doc, "relativeOrbitNumber").find((o) => attrOf(o, "type") !== "stop") ??
    findFirst(doc, "relativeOrbitNumber");
  const coords = findText(doc, "coordinates") ?? findText(doc, "posList");
  const platform = findFirst(doc, "platform");
  const direction = attrOf(orbit, "groundTrackDirection") ?? findText(doc, "pass");
  return {
    doc,
    startTime: findText(doc, "startTime"),
    stopTime: findText(doc, "stopTime"),
    familyName: findText(platform, "familyName"),
    number: findText(platform, "number"),
    instrument: attrOf(findFirst(findFirst(platform, "instrument"), "familyName"), "abbreviation"),
    absoluteOrbit: toNumber(textOf(orbit)),
    relativeOrbit: toNumber(textOf(relative)),
    orbitDirection: direction?.toLowerCase(),
    footprint: coords ? latLonPairs(coords) : undefined,
    files: findAll(doc, "fileLocation")
      .map((f) => attrOf(f, "href"))
      .filter((h): h is string => !!h),
  };
}
