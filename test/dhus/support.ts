// Synthetic Sentinel-2 products as real SAFE archives carry them: the generator's manifest lists the
// files but not their sizes and MD5s, which sentinelsat's node download reads (and asserts on).
import { createHash } from "node:crypto";
import {
  type GenerateOptions,
  generateSentinel2Product,
} from "../../shared/products/synthetic/sentinel-2.ts";
import { bytesReader, openZip, planZip, readZipMember, type ZipInput } from "../../shared/zip/index.ts";
import { planToBytes } from "../../shared/zip/zip-output.ts";

export interface TestProduct {
  key: string;
  name: string;
  bytes: Uint8Array;
}

export async function sentinel2WithChecksums(opts: GenerateOptions): Promise<TestProduct> {
  const p = generateSentinel2Product(opts);
  const zip = await openZip(bytesReader(p.bytes));
  const files = new Map<string, Uint8Array>();
  for (const e of zip.entries) if (!e.isDirectory) files.set(e.name, await readZipMember(zip, e));
  const root = `${p.name}.SAFE/`;
  const manifestName = `${root}manifest.safe`;
  const manifest = new TextDecoder().decode(files.get(manifestName)!);
  const completed = manifest.replace(
    /<byteStream mimeType="([^"]+)"><fileLocation href="\.\/([^"]+)" locatorType="URL"\/><\/byteStream>/g,
    (whole, mime: string, href: string) => {
      const data = files.get(root + href);
      if (!data) return whole;
      const md5 = createHash("md5").update(data).digest("hex");
      return `<byteStream mimeType="${mime}" size="${data.length}"><fileLocation href="./${href}" locatorType="URL"/><checksum checksumName="MD5">${md5}</checksum></byteStream>`;
    },
  );
  const inputs: ZipInput[] = [...files].map(([name, data]) => ({
    name,
    data: name === manifestName ? completed : data,
  }));
  return { key: p.key, name: p.name, bytes: planToBytes(planZip(inputs)) };
}
