// Sentinel-2 product metadata: MTD_MSIL1C.xml / MTD_MSIL2A.xml (and the older S2A_OPER_MTD_SAFL*.xml).

import { ProductError } from "../../errors.ts";
import { latLonPairs } from "../../geo/footprint.ts";
import { attrOf, findAll, findFirst, findText, parseXml, requireText, textOf, toNumber } from "../xml.ts";

export interface S2ProductMetadata {
  productUri?: string | undefined;
  productType: string;
  baseline: string;
  startTime: string;
  generationTime?: string | undefined;
  spacecraft: string;
  datatakeId?: string | undefined;
  datatakeType?: string | undefined;
  relativeOrbit?: number | undefined;
  orbitDirection?: string | undefined;
  /** [lon, lat] ring. */
  footprint: [number, number][];
  cloudCover?: number | undefined;
  imageFiles: string[];
  reflectanceConversion?: number | undefined;
  quantification?: number | undefined;
  /** Additive offsets per band index (N0400 onwards), e.g. -1000. */
  offsets: Map<number, number>;
  /** L2A scene classification percentages, by tag name. */
  qualityPercentages: Record<string, number>;
  datastripId?: string | undefined;
  granuleId?: string | undefined;
  degradedPercentage?: number | undefined;
}

export function parseProductMetadata(bytes: Uint8Array, document: string): S2ProductMetadata {
  const doc = parseXml(bytes, document);
  const posList = requireText(doc, "EXT_POS_LIST", document);
  const footprint = latLonPairs(posList);
  if (footprint.length < 3 || footprint.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    throw new ProductError(`${document} has an invalid EXT_POS_LIST footprint`);
  }
  const datatake = findFirst(doc, "Datatake");
  const granule = findFirst(doc, "Granule") ?? findFirst(doc, "Granules");
  const offsets = new Map<number, number>();
  for (const o of [...findAll(doc, "BOA_ADD_OFFSET"), ...findAll(doc, "RADIO_ADD_OFFSET")]) {
    const band = toNumber(attrOf(o, "band_id"));
    const value = toNumber(textOf(o));
    if (band !== undefined && value !== undefined) offsets.set(band, value);
  }
  const qualityPercentages: Record<string, number> = {};
  const qi = findFirst(doc, "Image_Content_QI");
  if (qi && typeof qi === "object") {
    for (const [k, v] of Object.entries(qi)) {
      const n = toNumber(textOf(v));
      if (k.endsWith("_PERCENTAGE") && n !== undefined) qualityPercentages[k] = n;
    }
  }
  return {
    productUri: findText(doc, "PRODUCT_URI"),
    productType: requireText(doc, "PRODUCT_TYPE", document),
    baseline: requireText(doc, "PROCESSING_BASELINE", document),
    startTime: requireText(doc, "PRODUCT_START_TIME", document),
    generationTime: findText(doc, "GENERATION_TIME"),
    spacecraft: requireText(doc, "SPACECRAFT_NAME", document),
    datatakeId: attrOf(datatake, "datatakeIdentifier"),
    datatakeType: findText(doc, "DATATAKE_TYPE"),
    relativeOrbit: toNumber(findText(doc, "SENSING_ORBIT_NUMBER")),
    orbitDirection: findText(doc, "SENSING_ORBIT_DIRECTION")?.toLowerCase(),
    footprint,
    cloudCover: toNumber(findText(doc, "Cloud_Coverage_Assessment")),
    imageFiles: findAll(doc, "IMAGE_FILE")
      .map((n) => textOf(n) ?? "")
      .filter(Boolean),
    reflectanceConversion: toNumber(findText(findFirst(doc, "Reflectance_Conversion"), "U")),
    quantification: toNumber(
      findText(doc, "BOA_QUANTIFICATION_VALUE") ?? findText(doc, "QUANTIFICATION_VALUE"),
    ),
    offsets,
    qualityPercentages,
    datastripId: attrOf(granule, "datastripIdentifier"),
    granuleId: attrOf(granule, "granuleIdentifier"),
    degradedPercentage: toNumber(findText(doc, "DEGRADED_MSI_DATA_PERCENTAGE")),
  };
}
