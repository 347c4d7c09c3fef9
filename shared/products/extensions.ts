// STAC extension schema URIs, in one place so that moving to a newer version is a one-line change.
export const EXT = {
  eo: "https://stac-extensions.github.io/eo/v2.0.0/schema.json",
  sat: "https://stac-extensions.github.io/sat/v1.1.0/schema.json",
  // v1.2.0, not v2.0.0: it has proj:code and still allows proj:epsg, which GDAL before 3.10 and older
  // odc-stac read; v2.0.0 refuses proj:epsg.
  proj: "https://stac-extensions.github.io/projection/v1.2.0/schema.json",
  grid: "https://stac-extensions.github.io/grid/v1.1.0/schema.json",
  mgrs: "https://stac-extensions.github.io/mgrs/v1.0.0/schema.json",
  view: "https://stac-extensions.github.io/view/v1.0.0/schema.json",
  sar: "https://stac-extensions.github.io/sar/v1.2.0/schema.json",
  product: "https://stac-extensions.github.io/product/v0.1.0/schema.json",
  processing: "https://stac-extensions.github.io/processing/v1.2.0/schema.json",
  file: "https://stac-extensions.github.io/file/v2.1.0/schema.json",
  raster: "https://stac-extensions.github.io/raster/v2.0.0/schema.json",
  s2: "https://stac-extensions.github.io/sentinel-2/v1.0.0/schema.json",
  landsat: "https://stac-extensions.github.io/landsat/v2.0.0/schema.json",
  datacube: "https://stac-extensions.github.io/datacube/v2.2.0/schema.json",
} as const;
