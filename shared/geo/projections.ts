// Map coordinates back to longitude/latitude on WGS 84, for the two grids Landsat is delivered on:
// UTM (north zones, negative northings south of the equator) and polar stereographic (EPSG:3031/3413).
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const DEG = 180 / Math.PI;

/** Transverse Mercator inverse by Krüger's series to n³ (sub-millimetre within a zone). */
export function utmToLonLat(zone: number, x: number, y: number): [number, number] {
  const k0 = 0.9996;
  const n = F / (2 - F);
  const a = (A / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
  const beta = [
    n / 2 - (2 * n ** 2) / 3 + (37 * n ** 3) / 96,
    n ** 2 / 48 + n ** 3 / 15,
    (17 * n ** 3) / 480,
  ];
  const delta = [
    2 * n - (2 * n ** 2) / 3 - 2 * n ** 3,
    (7 * n ** 2) / 3 - (8 * n ** 3) / 5,
    (56 * n ** 3) / 15,
  ];
  const xi = y / (k0 * a);
  const eta = (x - 500000) / (k0 * a);
  let xi1 = xi;
  let eta1 = eta;
  beta.forEach((b, i) => {
    const j = 2 * (i + 1);
    xi1 -= b * Math.sin(j * xi) * Math.cosh(j * eta);
    eta1 -= b * Math.cos(j * xi) * Math.sinh(j * eta);
  });
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  for (const [i, d] of delta.entries()) phi += d * Math.sin(2 * (i + 1) * chi);
  const lon0 = zone * 6 - 183;
  return [lon0 + Math.atan2(Math.sinh(eta1), Math.cos(xi1)) * DEG, phi * DEG];
}

/**
 * Polar stereographic inverse (Snyder 1987, eqs. 21-33..21-40) with latitude of true scale `trueScaleLat`
 * (negative: south pole) and central meridian `lon0`, no false easting/northing.
 */
export function polarStereographicToLonLat(
  x: number,
  y: number,
  trueScaleLat: number,
  lon0 = 0,
): [number, number] {
  const south = trueScaleLat < 0;
  // The south polar case is the north one with x, y, longitudes and latitudes negated.
  const [px, py] = south ? [-x, -y] : [x, y];
  const phic = Math.abs(trueScaleLat) / DEG;
  const sc = Math.sin(phic);
  const tc = Math.tan(Math.PI / 4 - phic / 2) / ((1 - E * sc) / (1 + E * sc)) ** (E / 2);
  const mc = Math.cos(phic) / Math.sqrt(1 - E2 * sc * sc);
  const rho = Math.hypot(px, py);
  const t = (rho * tc) / (A * mc);
  const chi = Math.PI / 2 - 2 * Math.atan(t);
  const phi =
    chi +
    (E2 / 2 + (5 * E2 ** 2) / 24 + E2 ** 3 / 12 + (13 * E2 ** 4) / 360) * Math.sin(2 * chi) +
    ((7 * E2 ** 2) / 48 + (29 * E2 ** 3) / 240 + (811 * E2 ** 4) / 11520) * Math.sin(4 * chi) +
    ((7 * E2 ** 3) / 120 + (81 * E2 ** 4) / 1120) * Math.sin(6 * chi) +
    ((4279 * E2 ** 4) / 161280) * Math.sin(8 * chi);
  const l0 = (south ? -lon0 : lon0) / DEG;
  const lam = l0 + Math.atan2(px, -py);
  const lon = (south ? -lam : lam) * DEG;
  return [((((lon + 180) % 360) + 360) % 360) - 180, (south ? -phi : phi) * DEG];
}
