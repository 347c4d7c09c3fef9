// Small real preview pictures for synthetic products, so that samples show an image: a PNG drawn per
// product (Sentinel-1 quick-look.png) and one fixed JPEG 2000 file (Sentinel-2 _PVI.jp2, which needs an
// encoder we do not ship: the bytes below were made once with GDAL's JP2OpenJPEG driver from a smooth
// 343×343 RGB gradient, the size and layout of a real PVI).
import pngjs from "pngjs";
import { crc32 } from "../../shared/zip/crc32.ts";

/** A 343×343 8-bit RGB JP2 (boxes jP, ftyp, jp2h, jp2c; 6 resolution levels). */
export const SENTINEL2_PVI_JP2: Uint8Array = Buffer.from(
  "AAAADGpQICANCocKAAAAFGZ0eXBqcDIgAAAAAGpwMiAAAAAtanAyaAAAABZpaGRyAAABVwAAAVcAAwcHAAAAAAAPY29scgEAAAAA" +
    "ABAAAAbmanAyY/9P/1EALwACAAABVwAAAVcAAAAAAAAAAAAAAVcAAAFXAAAAAAAAAAAAAwcBAQcBAQcBAf9SABIBAAABAQUEBAAA" +
    "lJWWl5iZ/1wAI0J3IHbwdvB2wG8AbwBu4GdQZ1BnaFAFUAVQR1fTV9NXYv9kACUAAUNyZWF0ZWQgYnkgT3BlbkpQRUcgdmVyc2lv" +
    "biAyLjUuMP+QAAoAAAAABkkAAf+Tw/iqABPSGtWVxLnwU/HlJ7NF8DkixcMV67drYt3ou2BOCsAJxvKMyA02YdwN7tlehmD6CUrO" +
    "VRkGHDkM7p6pJ/1StIyBhpbNqamOazRXHxy041PG5xe4vyDfRWRDWQu+5zCgex6/B0WeGX8nCXC/L4Uc4jCUDO4WTFn75nIv5kgT" +
    "HRBpgcIuul5PSs+pbLGcAQEWRVCAqaRzVWYSBTuhtxjwqUe2/OxQ3+6T98P4qgARHfmCcuk1DarQmdaRlplgpogJjDd7mreLSkMT" +
    "cj3ochT/QmUYWu2oq1RDaETgBuzrA0XmOuWYnIGAspwPmHMFx2ow7AL0zR4T+U1d4MOY7v3tksg93sXGBQMPN0rW/jOXn8ezZ0e4" +
    "o0t7C12hMKvO4u8b9yWWeAPkvc7oz2Ez8IUgf+6nEyDaYHpLIR2/ihjlNUIcykU5iuXZ7wjf6Smg9sbOvvXr/3/D+KqABkGUkKg1" +
    "Av9pL4x9PV/X0OakzeWsI8Xq8EDUJ1bs5bJ86FaQCsVdW0D9+c702tS2LJpRo/1hG9Om+csNwTvo1nj/Vr54hIZR3Q8TgMVd2e8Y" +
    "v3eoQsdRn2qLrJFSZE+u3i5tJJpMWMZcLNEOMg0YmKmdgWggmuadWjW9O8ImCgtClpKDnh+5E7kP0LLBRcfWt36aa57REQXn9FGQ" +
    "WuJHhG/leHI3uN9pYTLAH0uoD70qAHzkgEYDcC1NqP7Pz54G6DN/oRd7GPZCT1SCnPpqsGhPCC/YmDlAmU+VWZ/byRFyuZlEqMHk" +
    "OEq57EmHIh/CUF4tNb7pWjnXikoyYrvS8Oi2K/KA2g5JYRs6d3RyQrjW+xW+eYyjS/C+GffSZBibqnhUSLbscd1ICGeoL2Hen/wS" +
    "+WCiQywRI8VguOoOtRSC5+OzINNbrdQXP8A+0xgPvPoAPkFgxZFMDasq2d15bgyPaeeSdhORxBQn6UCCOcByMOrFzPxLYXam8Cfo" +
    "WK3qf387QcKnf8Hyl2fdw8OJpjKIhmDcreUHsCzUOGGZB1hxE0m4lkTWBYWUVclqdgQJeYGFT3fvqMoBu2kHXc8C7Bv0IwLMxYzz" +
    "fDUtO1MpMX/APtN4D70KAD5BwMQmL14uREgMj2sMcGe9utyHaS85sr3PNiIjZUoCvHbdjqlZ35/aCLA4RjjvEjWvmJHJHv0ZKO+I" +
    "IRMGxPwNN4+9Kpe8/th0YI1ZOYsRWjnwPSMHe2I+nV3xl3WkFjNdLUWkGWOepN2uOTgsT9Uef4lfR2PTWwxH0tvFh5NX2hC5krkY" +
    "rq3dF8AHw0EAfOsgAKx7qWPz/kJU2LfysiR505IaFLR4zMcLU8G5kKNygrS1k9yNP4RkR5woYmKc6txRVyKBRxZi6FIV1IHFqp4Q" +
    "F6wLhk34Cc+rzVF4vWrrAVwiRb0hboSj1OxSwA+QrAHzmoACIOXKlFUdcUyIbXYcXASeJM00a/3Sx96kgCFg+KZUMs08JtfwR+/T" +
    "+MflQXkua5frbrbAD5DcAPkTwAEQxkDyZfWSvbGSI0boVJnUrXehMxRIe7QYA75fyBIP5ek9C1qAs9abFgMVedo40bO5/hgsujzr" +
    "ir2C/LhAlpy8X4Z/brbAD4aWAPkWQAKgzJx8Xm9c9aybpOm0nKNkID41n8e1Bd+rWjEGfaudoeBfD1LVv/jgRFD6Ysa39fYFXTYC" +
    "190SG+MMW/goo6UEsqGKp+bUUkF2leDec+WYT9wvkQUyp44Cf1vAD4a2APkSwAJAluuBxrKZMWqWr+HQFHGwxc0+zn92QKBi6TRU" +
    "/IWynTMDMkkEPnlRNtBg2eY/+MCouWV7GQhyZBWstYhJUxk5c1Tpo6JgueYkv+2D4wfJz/w/6pEVO1bAHyJIA+Q+7BWJ2bTThtKl" +
    "GxNZdCRxIyvIPK6Lk0QLykhVH1X0BXKqtvC88EfAte9Vd42cVpwVAgDOt9qPfY2rbmVV+GvAzGpUB+AGTIxYApXp3hjy+/9/gMna" +
    "m+ZP9jpdRDv5e/Pc5ePOydEnsBYtv8ne6R600+AGPVsmAKV6L4cA8xMlfxc4zHyngGoiqX/HlnPP8bgNUO/5eJemasmI7NukZN/Q" +
    "BSvSKAKPxdEAX4wE2eWYkw2vvphcP+huf+jL8zTLhWGLxDws5r+AgID/2Q==",
  "base64",
);

/**
 * A radar-like RGB quicklook (VV, VH and their difference as channels over smooth swells) whose pattern
 * follows from `seed`, so that products differ. PNG, as Sentinel-1's preview/quick-look.png; smaller
 * than a real one (about 1000 px) to keep generation cheap.
 */
export function syntheticQuicklookPng(seed: string, width = 320, height = 200): Uint8Array {
  const s = crc32(new TextEncoder().encode(seed)) >>> 0;
  const fx = 15 + (s % 20);
  const fy = 10 + ((s >>> 8) % 15);
  const phase = ((s >>> 16) % 628) / 100;
  const cols = Array.from({ length: width }, (_, x) => Math.sin(x / fx + phase));
  const rows = Array.from({ length: height }, (_, y) => Math.cos(y / fy));
  const diagonals = Array.from({ length: width + height }, (_, d) => 0.5 * Math.sin(d / (fx + fy)));
  const png = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const land = cols[x]! + rows[y]! + diagonals[x + y]!;
      const vv = 90 + 45 * land;
      const vh = 50 + 30 * land;
      const i = (y * width + x) * 4;
      png.data[i] = clamp(vv);
      png.data[i + 1] = clamp(vh);
      png.data[i + 2] = clamp(vv - vh + 40);
      png.data[i + 3] = 255;
    }
  }
  return pngjs.PNG.sync.write(png, { colorType: 2 });
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
