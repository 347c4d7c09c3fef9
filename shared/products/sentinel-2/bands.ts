// MSI bands: common names, wavelengths (µm) and native resolution (m).

export interface MsiBand {
  id: string;
  commonName?: string;
  center?: number;
  fwhm?: number;
  resolution: number;
  title: string;
}

export const MSI_BANDS: MsiBand[] = [
  { id: "B01", commonName: "coastal", center: 0.443, fwhm: 0.027, resolution: 60, title: "Coastal aerosol" },
  { id: "B02", commonName: "blue", center: 0.49, fwhm: 0.098, resolution: 10, title: "Blue" },
  { id: "B03", commonName: "green", center: 0.56, fwhm: 0.045, resolution: 10, title: "Green" },
  { id: "B04", commonName: "red", center: 0.665, fwhm: 0.038, resolution: 10, title: "Red" },
  { id: "B05", commonName: "rededge", center: 0.704, fwhm: 0.019, resolution: 20, title: "Red edge 1" },
  { id: "B06", commonName: "rededge", center: 0.74, fwhm: 0.018, resolution: 20, title: "Red edge 2" },
  { id: "B07", commonName: "rededge", center: 0.783, fwhm: 0.028, resolution: 20, title: "Red edge 3" },
  { id: "B08", commonName: "nir", center: 0.842, fwhm: 0.145, resolution: 10, title: "NIR 1" },
  { id: "B8A", commonName: "nir08", center: 0.865, fwhm: 0.033, resolution: 20, title: "NIR 2" },
  { id: "B09", commonName: "nir09", center: 0.945, fwhm: 0.026, resolution: 60, title: "Water vapour" },
  { id: "B10", commonName: "cirrus", center: 1.3735, fwhm: 0.075, resolution: 60, title: "SWIR cirrus" },
  { id: "B11", commonName: "swir16", center: 1.61, fwhm: 0.143, resolution: 20, title: "SWIR 1.6 µm" },
  { id: "B12", commonName: "swir22", center: 2.19, fwhm: 0.242, resolution: 20, title: "SWIR 2.2 µm" },
];

/** Products of L2A that are not reflectance bands; resolution = the finest one shipped. */
export const L2A_LAYERS: Record<string, { title: string; roles: string[]; resolution: number }> = {
  TCI: { title: "True colour image", roles: ["visual"], resolution: 10 },
  AOT: { title: "Aerosol optical thickness", roles: ["data"], resolution: 10 },
  WVP: { title: "Water vapour", roles: ["data"], resolution: 10 },
  SCL: { title: "Scene classification", roles: ["data"], resolution: 20 },
};

export function bandById(id: string): MsiBand | undefined {
  return MSI_BANDS.find((b) => b.id === id);
}
