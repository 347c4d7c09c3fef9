// Real-shaped Sentinel-1 SAFE documents (IPF 3.x layout): manifest.safe, product annotation, and the
// calibration/noise annotations the manifest lists.
import { escapeXml, microsTime, round } from "./common.ts";
import type { S1Image, S1Names } from "./sentinel-1-names.ts";

export interface ManifestFile {
  path: string;
  id: string;
  repId: string;
  mimeType: string;
  size: number;
  md5?: string | undefined;
}

const NS =
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:gml="http://www.opengis.net/gml" xmlns:xfdu="urn:ccsds:schema:xfdu:1" xmlns:safe="http://www.esa.int/safe/sentinel-1.0" xmlns:s1="http://www.esa.int/safe/sentinel-1.0/sentinel-1" xmlns:s1sar="http://www.esa.int/safe/sentinel-1.0/sentinel-1/sar" xmlns:s1sarl1="http://www.esa.int/safe/sentinel-1.0/sentinel-1/sar/level-1"';

const wrap = (id: string, text: string, body: string) =>
  `    <metadataObject ID="${id}" classification="DESCRIPTION" category="DMD">
      <metadataWrap mimeType="text/xml" vocabularyName="SAFE" textInfo="${text}">
        <xmlData>
${body}
        </xmlData>
      </metadataWrap>
    </metadataObject>`;

export function s1Manifest(n: S1Names, files: ManifestFile[]): string {
  const kind = n.productType === "GRD" ? "grd" : "slc";
  const pols = n.polarisations.length > 1 ? "dp" : "sp";
  const corners = n.footprint.map(([lon, lat]) => `${round(lat)},${round(lon)}`).join(" ");
  return `<?xml version="1.0" encoding="UTF-8"?>
<xfdu:XFDU ${NS} version="esa/safe/sentinel-1.0/sentinel-1/sar/level-1/${kind}/standard/${n.mode.toLowerCase()}${pols}">
  <informationPackageMap>
    <xfdu:contentUnit unitType="SAFE Archive Information Package" textInfo="Sentinel-1 ${n.mode} Level-1 ${n.productType} Product" dmdID="acquisitionPeriod platform generalProductInformation measurementOrbitReference measurementFrameSet" pdiID="processing">
${files.map((f) => `      <xfdu:contentUnit unitType="${f.repId.includes("Measurement") ? "Measurement Data Unit" : "Metadata Unit"}" repID="${f.repId}"><dataObjectPointer dataObjectID="${f.id}"/></xfdu:contentUnit>`).join("\n")}
    </xfdu:contentUnit>
  </informationPackageMap>
  <metadataSection>
    <metadataObject ID="processing" classification="PROVENANCE" category="PDI">
      <metadataWrap mimeType="text/xml" vocabularyName="SAFE" textInfo="Processing">
        <xmlData>
          <safe:processing name="${n.productType === "GRD" ? "GRD Post Processing" : "SLC Processing"}" start="${microsTime(new Date(n.stop.getTime() + 3_600_000))}" stop="${microsTime(new Date(n.stop.getTime() + 4_200_000))}">
            <safe:facility country="Germany" name="Copernicus S1 Core Ground Segment - DPA" organisation="ESA" site="DLR-Oberpfaffenhofen">
              <safe:software name="Sentinel-1 IPF" version="003.71"/>
            </safe:facility>
          </safe:processing>
        </xmlData>
      </metadataWrap>
    </metadataObject>
${wrap(
  "platform",
  "Platform Description",
  `          <safe:platform>
            <safe:nssdcIdentifier>2014-016${n.platform.slice(3)}</safe:nssdcIdentifier>
            <safe:familyName>SENTINEL-1</safe:familyName>
            <safe:number>${n.platform.slice(2)}</safe:number>
            <safe:instrument>
              <safe:familyName abbreviation="SAR">Synthetic Aperture Radar</safe:familyName>
              <safe:extension>
                <s1sarl1:instrumentMode>
                  <s1sarl1:mode>${n.mode}</s1sarl1:mode>
${n.swaths.map((s) => `                  <s1sarl1:swath>${s}</s1sarl1:swath>`).join("\n")}
                </s1sarl1:instrumentMode>
              </safe:extension>
            </safe:instrument>
          </safe:platform>`,
)}
${wrap(
  "measurementOrbitReference",
  "Orbit Reference",
  `          <safe:orbitReference>
            <safe:orbitNumber type="start">${n.absoluteOrbit}</safe:orbitNumber>
            <safe:orbitNumber type="stop">${n.absoluteOrbit}</safe:orbitNumber>
            <safe:relativeOrbitNumber type="start">${n.relativeOrbit}</safe:relativeOrbitNumber>
            <safe:relativeOrbitNumber type="stop">${n.relativeOrbit}</safe:relativeOrbitNumber>
            <safe:cycleNumber>${Math.floor((n.absoluteOrbit - 73) / 175) + 1}</safe:cycleNumber>
            <safe:phaseIdentifier>1</safe:phaseIdentifier>
            <safe:extension>
              <s1:orbitProperties>
                <s1:pass>${n.pass}</s1:pass>
                <s1:ascendingNodeTime>${microsTime(n.anxTime)}</s1:ascendingNodeTime>
              </s1:orbitProperties>
            </safe:extension>
          </safe:orbitReference>`,
)}
${wrap(
  "generalProductInformation",
  "General Product Information",
  `          <s1sarl1:standAloneProductInformation>
            <s1sarl1:instrumentConfigurationID>7</s1sarl1:instrumentConfigurationID>
            <s1sarl1:missionDataTakeID>${n.datatakeId}</s1sarl1:missionDataTakeID>
${n.polarisations.map((p) => `            <s1sarl1:transmitterReceiverPolarisation>${p}</s1sarl1:transmitterReceiverPolarisation>`).join("\n")}
            <s1sarl1:productClass>S</s1sarl1:productClass>
            <s1sarl1:productClassDescription>SAR Standard L1 Product</s1sarl1:productClassDescription>
            <s1sarl1:productComposition>Slice</s1sarl1:productComposition>
            <s1sarl1:productType>${n.productType}</s1sarl1:productType>
            <s1sarl1:productTimelinessCategory>${n.timeliness}</s1sarl1:productTimelinessCategory>
            <s1sarl1:sliceProductFlag>true</s1sarl1:sliceProductFlag>
            <s1sarl1:segmentStartTime>${microsTime(new Date(n.start.getTime() - (n.sliceNumber - 1) * 25_000))}</s1sarl1:segmentStartTime>
            <s1sarl1:sliceNumber>${n.sliceNumber}</s1sarl1:sliceNumber>
            <s1sarl1:totalSlices>${n.totalSlices}</s1sarl1:totalSlices>
          </s1sarl1:standAloneProductInformation>`,
)}
${wrap(
  "acquisitionPeriod",
  "Acquisition Period",
  `          <safe:acquisitionPeriod>
            <safe:startTime>${microsTime(n.start)}</safe:startTime>
            <safe:stopTime>${microsTime(n.stop)}</safe:stopTime>
          </safe:acquisitionPeriod>`,
)}
${wrap(
  "measurementFrameSet",
  "Frame Set",
  `          <safe:frameSet>
            <safe:frame>
              <safe:footPrint srsName="http://www.opengis.net/gml/srs/epsg.xml#4326">
                <gml:coordinates>${corners}</gml:coordinates>
              </safe:footPrint>
            </safe:frame>
          </safe:frameSet>`,
)}
  </metadataSection>
  <dataObjectSection>
${files
  .map(
    (f) => `    <dataObject ID="${f.id}" repID="${f.repId}">
      <byteStream mimeType="${f.mimeType}" size="${f.size}">
        <fileLocation locatorType="URL" href="./${escapeXml(f.path)}"/>${f.md5 ? `\n        <checksum checksumName="MD5">${f.md5}</checksum>` : ""}
      </byteStream>
    </dataObject>`,
  )
  .join("\n")}
  </dataObjectSection>
</xfdu:XFDU>
`;
}

function header(n: S1Names, img: S1Image): string {
  return `  <adsHeader>
    <missionId>${n.platform}</missionId>
    <productType>${n.productType}</productType>
    <polarisation>${img.pol}</polarisation>
    <mode>${n.mode}</mode>
    <swath>${img.swath.toUpperCase()}</swath>
    <startTime>${microsTime(n.start)}</startTime>
    <stopTime>${microsTime(n.stop)}</stopTime>
    <absoluteOrbitNumber>${n.absoluteOrbit}</absoluteOrbitNumber>
    <missionDataTakeId>${n.datatakeId}</missionDataTakeId>
    <imageNumber>${String(img.index).padStart(3, "0")}</imageNumber>
  </adsHeader>`;
}

/** The product annotation: header, image information and a 10 × 21 geolocation grid. */
export function s1Annotation(n: S1Names, img: S1Image): string {
  const grd = n.productType === "GRD";
  const seconds = (n.stop.getTime() - n.start.getTime()) / 1000;
  const points: string[] = [];
  for (let r = 0; r < 10; r++) {
    for (let c = 0; c < 21; c++) {
      const [lon, lat] = bilinear(n.footprint, r / 9, c / 20);
      const line = Math.round((r / 9) * (n.lines - 1));
      const pixel = Math.round((c / 20) * (n.samples - 1));
      points.push(`      <geolocationGridPoint>
        <azimuthTime>${microsTime(new Date(n.start.getTime() + (r / 9) * seconds * 1000))}</azimuthTime>
        <slantRangeTime>${(5.3e-3 + (c / 20) * 7e-4).toExponential(15)}</slantRangeTime>
        <line>${line}</line>
        <pixel>${pixel}</pixel>
        <latitude>${lat.toExponential(15)}</latitude>
        <longitude>${lon.toExponential(15)}</longitude>
        <height>${(250 + 10 * r).toExponential(15)}</height>
        <incidenceAngle>${(30.5 + (c / 20) * 15).toExponential(15)}</incidenceAngle>
        <elevationAngle>${(27.2 + (c / 20) * 13).toExponential(15)}</elevationAngle>
      </geolocationGridPoint>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<product>
${header(n, img)}
  <generalAnnotation>
    <productInformation>
      <pass>${n.pass.charAt(0)}${n.pass.slice(1).toLowerCase()}</pass>
      <timelinessCategory>${n.timeliness}</timelinessCategory>
      <platformHeading>${n.pass === "ASCENDING" ? "-1.6e+01" : "-1.64e+02"}</platformHeading>
      <projection>${grd ? "Ground Range" : "Slant Range"}</projection>
      <rangeSamplingRate>6.434523812571428e+07</rangeSamplingRate>
      <radarFrequency>5.405000454334350e+09</radarFrequency>
      <azimuthSteeringRate>1.590368784000000e+00</azimuthSteeringRate>
    </productInformation>
  </generalAnnotation>
  <imageAnnotation>
    <imageInformation>
      <productFirstLineUtcTime>${microsTime(n.start)}</productFirstLineUtcTime>
      <productLastLineUtcTime>${microsTime(n.stop)}</productLastLineUtcTime>
      <ascendingNodeTime>${microsTime(n.anxTime)}</ascendingNodeTime>
      <anchorTime>${microsTime(n.start)}</anchorTime>
      <productComposition>Slice</productComposition>
      <sliceNumber>${n.sliceNumber}</sliceNumber>
      <slantRangeTime>5.340000000000000e-03</slantRangeTime>
      <pixelValue>${grd ? "Detected" : "Complex"}</pixelValue>
      <outputPixels>${grd ? "16 bit Unsigned Integer" : "16 bit Signed Integer"}</outputPixels>
      <rangePixelSpacing>${n.rangeSpacing.toExponential(15)}</rangePixelSpacing>
      <azimuthPixelSpacing>${n.azimuthSpacing.toExponential(15)}</azimuthPixelSpacing>
      <azimuthTimeInterval>${(seconds / n.lines).toExponential(15)}</azimuthTimeInterval>
      <azimuthFrequency>4.86e+02</azimuthFrequency>
      <numberOfSamples>${n.samples}</numberOfSamples>
      <numberOfLines>${n.lines}</numberOfLines>
      <zeroDopMinusAcqTime>-1.5e+00</zeroDopMinusAcqTime>
      <incidenceAngleMidSwath>3.87e+01</incidenceAngleMidSwath>
    </imageInformation>
  </imageAnnotation>
  <geolocationGrid>
    <geolocationGridPointList count="${points.length}">
${points.join("\n")}
    </geolocationGridPointList>
  </geolocationGrid>
</product>
`;
}

/** Calibration or noise annotation: header plus one vector, enough to be a valid document. */
export function s1Auxiliary(kind: "calibration" | "noise" | "rfi", n: S1Names, img: S1Image): string {
  const root = kind === "calibration" ? "calibration" : kind === "noise" ? "noise" : "rfi";
  const pixels = Array.from({ length: 21 }, (_, i) => Math.round((i / 20) * (n.samples - 1))).join(" ");
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root}>
${header(n, img)}
  <${kind}VectorList count="1">
    <${kind}Vector>
      <azimuthTime>${microsTime(n.start)}</azimuthTime>
      <line>0</line>
      <pixel count="21">${pixels}</pixel>
    </${kind}Vector>
  </${kind}VectorList>
</${root}>
`;
}

/** Point (u along track, v across track) inside the four corners; longitudes unwrapped across ±180. */
function bilinear(ring: [number, number][], u: number, v: number): [number, number] {
  const base = ring[0]![0];
  const c = ring.map(([lon, lat]) => [lon + Math.round((base - lon) / 360) * 360, lat] as const);
  const [a, b, d, e] = [c[0]!, c[1]!, c[2]!, c[3]!];
  const top = [a[0] + (b[0] - a[0]) * v, a[1] + (b[1] - a[1]) * v];
  const bottom = [e[0] + (d[0] - e[0]) * v, e[1] + (d[1] - e[1]) * v];
  let lon = top[0]! + (bottom[0]! - top[0]!) * u;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return [lon, top[1]! + (bottom[1]! - top[1]!) * u];
}
