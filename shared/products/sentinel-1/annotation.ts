// Sentinel-1 product annotation (annotation/s1?-<swath>-<type>-<pol>-….xml): raster shape and spacing.
import { findFirst, findText, parseXml, toNumber } from "../xml.ts";

export interface S1Annotation {
  samples?: number | undefined;
  lines?: number | undefined;
  rangePixelSpacing?: number | undefined;
  azimuthPixelSpacing?: number | undefined;
}

export function parseAnnotation(bytes: Uint8Array, document: string): S1Annotation {
  const doc = parseXml(bytes, document);
  const info = findFirst(doc, "imageInformation");
  return {
    samples: toNumber(findText(info, "numberOfSamples")),
    lines: toNumber(findText(info, "numberOfLines")),
    rangePixelSpacing: toNumber(findText(info, "rangePixelSpacing")),
    azimuthPixelSpacing: toNumber(findText(info, "azimuthPixelSpacing")),
  };
}
