// Real-shaped Sentinel-3 xfdumanifest.xml (SAFE 1.1 for Sentinel-3): acquisition period, platform,
// orbit, frame set (gml:posList, lat lon), product information, classification summary, data objects.
import { escapeXml, latLonList, microsTime } from "./common.ts";
import type { S3Names } from "./sentinel-3-names.ts";

export interface S3DataObject {
  path: string;
  size: number;
  md5?: string | undefined;
}

const INSTRUMENT: Record<
  S3Names["family"],
  { ns: string; uri: string; abbreviation: string; title: string }
> = {
  OL: { ns: "olci", uri: "olci", abbreviation: "OLCI", title: "Ocean Land Colour Instrument" },
  SL: {
    ns: "slstr",
    uri: "slstr",
    abbreviation: "SLSTR",
    title: "Sea and Land Surface Temperature Radiometer",
  },
  SR: { ns: "sral", uri: "sral", abbreviation: "SRAL", title: "Sar Radar ALtimeter" },
  SY: { ns: "syn", uri: "synergy", abbreviation: "SYNERGY", title: "Synergy" },
};

const obj = (id: string, text: string, body: string) =>
  `    <metadataObject ID="${id}" classification="DESCRIPTION" category="DMD">
      <metadataWrap mimeType="text/xml" vocabularyName="Sentinel-SAFE" textInfo="${text}">
        <xmlData>
${body}
        </xmlData>
      </metadataWrap>
    </metadataObject>`;

const dataId = (path: string) =>
  `${path.replace(/\.nc$/, "").replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}Data`;

export function s3Manifest(n: S3Names, objects: S3DataObject[]): string {
  const ins = INSTRUMENT[n.family];
  const track = `groundTrackDirection="${n.orbitDirection}"`;
  const z = (d: Date) => microsTime(d, "Z");
  const cover =
    n.cloudCover === undefined
      ? ""
      : `            <${ins.ns}:classificationSummary>
              <sentinel3:salineWaterPixels percentage="${(100 - (n.landCover ?? 0)).toFixed(6)}"/>
              <sentinel3:coastalPixels percentage="0.412000"/>
              <sentinel3:freshInlandWaterPixels percentage="0.318000"/>
              <sentinel3:tidalRegionPixels percentage="0.027000"/>
              <sentinel3:landPixels percentage="${(n.landCover ?? 0).toFixed(6)}"/>
              <sentinel3:cloudyPixels percentage="${n.cloudCover.toFixed(6)}"/>
            </${ins.ns}:classificationSummary>
`;
  const productInfo =
    n.family === "SR"
      ? `            <sral:ellipsoidSemiMajorAxis>6378137.000000</sral:ellipsoidSemiMajorAxis>
            <sral:sarModePercentage>100</sral:sarModePercentage>
            <sral:landPercentage>8</sral:landPercentage>
            <sral:openOceanPercentage>92</sral:openOceanPercentage>
`
      : `${cover}            <${ins.ns}:imageSize>
              <sentinel3:rows>${n.family === "OL" && n.productType.includes("ERR") ? 15_000 : 4_091}</sentinel3:rows>
              <sentinel3:columns>${n.productType.includes("ERR") ? 1_217 : 4_865}</sentinel3:columns>
            </${ins.ns}:imageSize>
`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<xfdu:XFDU xmlns:xfdu="urn:ccsds:schema:xfdu:1" xmlns:sentinel-safe="http://www.esa.int/safe/sentinel/1.1" xmlns:gml="http://www.opengis.net/gml" xmlns:sentinel3="http://www.esa.int/safe/sentinel/sentinel-3/1.0" xmlns:${ins.ns}="http://www.esa.int/safe/sentinel/sentinel-3/${ins.uri}/1.0" version="esa/safe/sentinel/sentinel-3/${ins.uri}/level-${n.level}/1.0">
  <informationPackageMap>
    <xfdu:contentUnit ID="packageUnit" unitType="Information Package" textInfo="SENTINEL-3 ${ins.abbreviation} Level ${n.level} Product" dmdID="acquisitionPeriod platform measurementOrbitReference measurementQualityInformation processing measurementFrameSet generalProductInformation ${ins.ns}ProductInformation" pdiID="processing">
${objects.map((o) => `      <xfdu:contentUnit ID="${dataId(o.path).replace(/Data$/, "Unit")}" unitType="Measurement Data Unit"><dataObjectPointer dataObjectID="${dataId(o.path)}"/></xfdu:contentUnit>`).join("\n")}
    </xfdu:contentUnit>
  </informationPackageMap>
  <metadataSection>
${obj(
  "acquisitionPeriod",
  "Acquisition Period",
  `          <sentinel-safe:acquisitionPeriod>
            <sentinel-safe:startTime>${z(n.start)}</sentinel-safe:startTime>
            <sentinel-safe:stopTime>${z(n.stop)}</sentinel-safe:stopTime>
          </sentinel-safe:acquisitionPeriod>`,
)}
${obj(
  "platform",
  "Platform Description",
  `          <sentinel-safe:platform>
            <sentinel-safe:nssdcIdentifier>${n.platform === "S3A" ? "2016-011A" : "2018-039A"}</sentinel-safe:nssdcIdentifier>
            <sentinel-safe:familyName>Sentinel-3</sentinel-safe:familyName>
            <sentinel-safe:number>${n.platform.slice(2)}</sentinel-safe:number>
            <sentinel-safe:instrument>
              <sentinel-safe:familyName abbreviation="${ins.abbreviation}">${ins.title}</sentinel-safe:familyName>
            </sentinel-safe:instrument>
          </sentinel-safe:platform>`,
)}
${obj(
  "measurementOrbitReference",
  "Orbit Reference",
  `          <sentinel-safe:orbitReference>
            <sentinel-safe:orbitNumber type="start" ${track}>${n.absoluteOrbit}</sentinel-safe:orbitNumber>
            <sentinel-safe:relativeOrbitNumber type="start" ${track}>${n.relativeOrbit}</sentinel-safe:relativeOrbitNumber>
            <sentinel-safe:passNumber type="start" ${track}>${2 * n.absoluteOrbit}</sentinel-safe:passNumber>
            <sentinel-safe:relativePassNumber type="start" ${track}>${2 * n.relativeOrbit}</sentinel-safe:relativePassNumber>
            <sentinel-safe:cycleNumber>${n.cycle}</sentinel-safe:cycleNumber>
            <sentinel-safe:phaseIdentifier>1</sentinel-safe:phaseIdentifier>
          </sentinel-safe:orbitReference>`,
)}
${obj(
  "measurementQualityInformation",
  "Quality Information",
  `          <sentinel-safe:qualityInformation>
            <sentinel-safe:extension>
              <sentinel3:productQuality><sentinel3:onlineQualityCheck>PASSED</sentinel3:onlineQualityCheck></sentinel3:productQuality>
            </sentinel-safe:extension>
          </sentinel-safe:qualityInformation>`,
)}
    <metadataObject ID="processing" classification="PROVENANCE" category="PDI">
      <metadataWrap mimeType="text/xml" vocabularyName="Sentinel-SAFE" textInfo="Processing">
        <xmlData>
          <sentinel-safe:processing name="DataProcessing" outputLevel="${n.level}" start="${microsTime(n.creation)}" stop="${microsTime(n.creation)}">
            <sentinel-safe:facility name="Processing and Archiving Centre [${n.centre}]" organisation="European Space Agency" site="Cloud Service Provider" country="EU">
              <sentinel-safe:software name="PUG" version="03.50"/>
            </sentinel-safe:facility>
          </sentinel-safe:processing>
        </xmlData>
      </metadataWrap>
    </metadataObject>
${obj(
  "measurementFrameSet",
  "Frame Set",
  `          <sentinel-safe:frameSet>
            <sentinel-safe:footPrint srsName="http://www.opengis.net/def/crs/EPSG/0/4326">
              <gml:posList>${latLonList(n.footprint, true)}</gml:posList>
            </sentinel-safe:footPrint>
          </sentinel-safe:frameSet>`,
)}
${obj(
  "generalProductInformation",
  "General Product Information",
  `          <sentinel3:generalProductInformation>
            <sentinel3:productName>${n.name}.SEN3</sentinel3:productName>
            <sentinel3:productType>${n.productType}</sentinel3:productType>
            <sentinel3:timeliness>${n.timeliness}</sentinel3:timeliness>
            <sentinel3:baselineCollection>${n.baseline}</sentinel3:baselineCollection>
            <sentinel3:creationTime>${n.creation.toISOString().replace(/[-:]/g, "").slice(0, 15)}</sentinel3:creationTime>
            <sentinel3:productSize>${objects.reduce((s, o) => s + o.size, 0)}</sentinel3:productSize>
            <sentinel3:dispositionMode>Operational</sentinel3:dispositionMode>
          </sentinel3:generalProductInformation>`,
)}
${obj(
  `${ins.ns}ProductInformation`,
  `${ins.abbreviation} Product Information`,
  `          <${ins.ns}:${ins.ns}ProductInformation>
${productInfo}          </${ins.ns}:${ins.ns}ProductInformation>`,
)}
  </metadataSection>
  <dataObjectSection>
${objects
  .map(
    (o) => `    <dataObject ID="${dataId(o.path)}">
      <byteStream mimeType="application/x-netcdf" size="${o.size}">
        <fileLocation locatorType="URL" href="./${escapeXml(o.path)}"/>${o.md5 ? `\n        <checksum checksumName="MD5">${o.md5}</checksum>` : ""}
      </byteStream>
    </dataObject>`,
  )
  .join("\n")}
  </dataObjectSection>
</xfdu:XFDU>
`;
}
