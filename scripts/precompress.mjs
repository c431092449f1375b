// Writes .br (quality 11) and .gz (level 9) beside every file of the site's pkg/ folder,
// so the server sends precompressed wasm/JS/CSS instead of compressing on each request.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "target/site/pkg";
for (const name of readdirSync(dir)) {
  if (/\.(br|gz)$/.test(name)) continue;
  const path = join(dir, name);
  if (!statSync(path).isFile()) continue;
  const data = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }));
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
}
