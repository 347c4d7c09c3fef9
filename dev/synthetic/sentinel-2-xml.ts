// Real-shaped Sentinel-2 metadata documents (PSD 14.x layout) for synthetic products.
import type { S2Names } from "./sentinel-2-names.ts";

const latLon = (ring: [number, number][]) => ring.map(([lon, lat]) => `${lat} ${lon}`).join(" ");

export function productMtd(n: S2Names, imageFiles: string[]): string {
  const l2a = n.level === "L2A";
  const root = l2a ? "Level-2A_User_Product" : "Level-1C_User_Product";
  const offsets =
    n.baseline >= "04.00"
      ? `<${l2a ? "BOA_ADD_OFFSET_VALUES_LIST" : "Radiometric_Offset_List"}>${Array.from(
          { length: 13 },
          (_, i) =>
            `<${l2a ? "BOA_ADD_OFFSET" : "RADIO_ADD_OFFSET"} band_id="${i}">-1000</${l2a ? "BOA_ADD_OFFSET" : "RADIO_ADD_OFFSET"}>`,
        ).join("")}</${l2a ? "BOA_ADD_OFFSET_VALUES_LIST" : "Radiometric_Offset_List"}>`
      : "";
  const qi = l2a
    ? `<Image_Content_QI><NODATA_PIXEL_PERCENTAGE>0.0</NODATA_PIXEL_PERCENTAGE><SNOW_ICE_PERCENTAGE>${n.snow}</SNOW_ICE_PERCENTAGE><VEGETATION_PERCENTAGE>40.0</VEGETATION_PERCENTAGE><WATER_PERCENTAGE>5.0</WATER_PERCENTAGE></Image_Content_QI>`
    : "";
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:${root} xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-${l2a ? "2A" : "1C"}.xsd">
  <n1:General_Info>
    <Product_Info>
      <PRODUCT_START_TIME>${n.startIso}</PRODUCT_START_TIME>
      <PRODUCT_STOP_TIME>${n.startIso}</PRODUCT_STOP_TIME>
      <PRODUCT_URI>${n.name}.SAFE</PRODUCT_URI>
      <PROCESSING_LEVEL>Level-${l2a ? "2A" : "1C"}</PROCESSING_LEVEL>
      <PRODUCT_TYPE>S2MSI${l2a ? "2A" : "1C"}</PRODUCT_TYPE>
      <PROCESSING_BASELINE>${n.baseline}</PROCESSING_BASELINE>
      <GENERATION_TIME>${n.generationIso}</GENERATION_TIME>
      <Datatake datatakeIdentifier="${n.datatakeId}">
        <SPACECRAFT_NAME>Sentinel-${n.platform.slice(1)}</SPACECRAFT_NAME>
        <DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
        <DATATAKE_SENSING_START>${n.startIso}</DATATAKE_SENSING_START>
        <SENSING_ORBIT_NUMBER>${n.relativeOrbit}</SENSING_ORBIT_NUMBER>
        <SENSING_ORBIT_DIRECTION>${n.orbitDirection.toUpperCase()}</SENSING_ORBIT_DIRECTION>
      </Datatake>
      <Product_Organisation><Granule_List>
        <Granule datastripIdentifier="${n.datastripId}" granuleIdentifier="${n.tileId}" imageFormat="JPEG2000">
${imageFiles.map((f) => `          <IMAGE_FILE>${f}</IMAGE_FILE>`).join("\n")}
        </Granule>
      </Granule_List></Product_Organisation>
    </Product_Info>
    <Product_Image_Characteristics>
      <QUANTIFICATION_VALUES_LIST><BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE></QUANTIFICATION_VALUES_LIST>
      ${offsets}
      <Reflectance_Conversion><U>0.9833</U></Reflectance_Conversion>
    </Product_Image_Characteristics>
  </n1:General_Info>
  <n1:Geometric_Info>
    <Product_Footprint><Product_Footprint><Global_Footprint>
      <EXT_POS_LIST>${latLon([...n.footprint, n.footprint[0]!])}</EXT_POS_LIST>
    </Global_Footprint></Product_Footprint></Product_Footprint>
  </n1:Geometric_Info>
  <n1:Quality_Indicators_Info>
    <Cloud_Coverage_Assessment>${n.cloudCover}</Cloud_Coverage_Assessment>
    <Technical_Quality_Assessment><DEGRADED_MSI_DATA_PERCENTAGE>0.0</DEGRADED_MSI_DATA_PERCENTAGE></Technical_Quality_Assessment>
    ${qi}
  </n1:Quality_Indicators_Info>
</n1:${root}>
`;
}

export function tileMtd(n: S2Names): string {
  const grid = (res: number) => {
    const size = 109800 / res;
    return `<Size resolution="${res}"><NROWS>${size}</NROWS><NCOLS>${size}</NCOLS></Size>`;
  };
  const pos = (res: number) =>
    `<Geoposition resolution="${res}"><ULX>${n.ulx}</ULX><ULY>${n.uly}</ULY><XDIM>${res}</XDIM><YDIM>-${res}</YDIM></Geoposition>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-${n.level === "L2A" ? "2A" : "1C"}_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-1C_Tile_Metadata.xsd">
  <n1:General_Info>
    <TILE_ID metadataLevel="Brief">${n.tileId}</TILE_ID>
    <DATASTRIP_ID metadataLevel="Standard">${n.datastripId}</DATASTRIP_ID>
    <SENSING_TIME metadataLevel="Standard">${n.startIso}</SENSING_TIME>
  </n1:General_Info>
  <n1:Geometric_Info>
    <Tile_Geocoding metadataLevel="Brief">
      <HORIZONTAL_CS_NAME>WGS84 / UTM zone ${n.zone}</HORIZONTAL_CS_NAME>
      <HORIZONTAL_CS_CODE>EPSG:${n.epsg}</HORIZONTAL_CS_CODE>
      ${grid(10)}${grid(20)}${grid(60)}${pos(10)}${pos(20)}${pos(60)}
    </Tile_Geocoding>
    <Tile_Angles>
      <Mean_Sun_Angle><ZENITH_ANGLE unit="deg">40.0</ZENITH_ANGLE><AZIMUTH_ANGLE unit="deg">150.0</AZIMUTH_ANGLE></Mean_Sun_Angle>
      <Mean_Viewing_Incidence_Angle_List>
        <Mean_Viewing_Incidence_Angle bandId="0"><ZENITH_ANGLE unit="deg">5.0</ZENITH_ANGLE><AZIMUTH_ANGLE unit="deg">100.0</AZIMUTH_ANGLE></Mean_Viewing_Incidence_Angle>
      </Mean_Viewing_Incidence_Angle_List>
    </Tile_Angles>
  </n1:Geometric_Info>
  <n1:Quality_Indicators_Info metadataLevel="Standard">
    <Image_Content_QI><CLOUDY_PIXEL_PERCENTAGE>${n.cloudCover}</CLOUDY_PIXEL_PERCENTAGE></Image_Content_QI>
  </n1:Quality_Indicators_Info>
</n1:Level-${n.level === "L2A" ? "2A" : "1C"}_Tile_ID>
`;
}

/** A file the manifest lists, with the size and MD5 that real manifests carry for every data object. */
export interface ManifestFile {
  path: string;
  size: number;
  md5: string;
}

export function safeManifest(n: S2Names, files: ManifestFile[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xfdu:XFDU xmlns:xfdu="urn:ccsds:schema:xfdu:1" xmlns:safe="http://www.esa.int/safe/sentinel/1.1" xmlns:gml="http://www.opengis.net/gml" version="esa/safe/sentinel/1.1/sentinel-2/msi/archive_l${n.level === "L2A" ? "2a" : "1c"}_user_product">
  <metadataSection>
    <metadataObject ID="acquisitionPeriod"><metadataWrap><xmlData><safe:acquisitionPeriod><safe:startTime>${n.startIso}</safe:startTime></safe:acquisitionPeriod></xmlData></metadataWrap></metadataObject>
    <metadataObject ID="measurementOrbitReference"><metadataWrap><xmlData><safe:orbitReference>
      <safe:orbitNumber groundTrackDirection="${n.orbitDirection}" type="start">${String(n.absoluteOrbit).padStart(6, "0")}</safe:orbitNumber>
      <safe:relativeOrbitNumber type="start">${String(n.relativeOrbit).padStart(3, "0")}</safe:relativeOrbitNumber>
    </safe:orbitReference></xmlData></metadataWrap></metadataObject>
    <metadataObject ID="platform"><metadataWrap><xmlData><safe:platform>
      <safe:familyName>SENTINEL</safe:familyName><safe:number>${n.platform.slice(1)}</safe:number>
      <safe:instrument><safe:familyName abbreviation="MSI">Multi-Spectral Instrument</safe:familyName></safe:instrument>
    </safe:platform></xmlData></metadataWrap></metadataObject>
    <metadataObject ID="measurementFrameSet"><metadataWrap><xmlData><safe:frameSet><safe:footPrint>
      <gml:coordinates>${latLon([...n.footprint, n.footprint[0]!])}</gml:coordinates>
    </safe:footPrint></safe:frameSet></xmlData></metadataWrap></metadataObject>
  </metadataSection>
  <dataObjectSection>
${files.map((f, i) => `    <dataObject ID="obj${i}"><byteStream mimeType="application/octet-stream" size="${f.size}"><fileLocation href="./${f.path}" locatorType="URL"/><checksum checksumName="MD5">${f.md5}</checksum></byteStream></dataObject>`).join("\n")}
  </dataObjectSection>
</xfdu:XFDU>
`;
}
