// The synthetic Landsat scene repacked the way real tars can come: band sizes all different (compressed
// COGs), an ANG file of its real size (~117 KB) and the ANG/MTL files between the bands, not first.
import { planLandsatScene } from "../../dev/synthetic/landsat.ts";
import { planTar, readTarRange, type TarInput } from "../../dev/synthetic/tar-plan.ts";
import { listTar } from "../../shared/zip/tar-reader.ts";

const ANG_BYTES = 117_396;

export async function planUnequalLandsat(targetSize = 1e9, prefix = "bench/") {
  const scene = planLandsatScene({ prefix, targetSize });
  const entries = await listTar({ size: scene.size, read: async (s, e) => scene.read(s, e) });
  const meta: TarInput[] = entries
    .filter((e) => !/\.(TIF|jpeg)$/.test(e.name))
    .map((e) => {
      const data = scene.read(e.dataOffset, e.dataOffset + e.size);
      if (!e.name.endsWith("_ANG.txt")) return { name: e.name, data };
      const padded = new Uint8Array(ANG_BYTES).fill(0x20);
      padded.set(data);
      return { name: e.name, data: padded };
    });
  const rest: TarInput[] = entries
    .filter((e) => /\.(TIF|jpeg)$/.test(e.name))
    .map((e, i) => ({ name: e.name, zeros: Math.round(e.size * (0.55 + ((i * 0.618) % 1) * 0.9)) }));
  const half = Math.floor(rest.length / 2);
  const plan = planTar([...rest.slice(0, half), ...meta, ...rest.slice(half)]);
  return {
    key: scene.key,
    size: plan.size,
    members: entries.length,
    read: (start: number, end: number) => readTarRange(plan, start, end),
  };
}
