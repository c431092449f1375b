// After `cargo leptos build --release --frontend-only --project portal|console`: copies
// each section's JS and wasm beside the default bundle in target/site/pkg and lists them
// in target/site/pkg/bundles.txt, which the server reads at start-up (server/src/bundles.rs).
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const pkg = join(root, "target/site/pkg");
const lines = [];
for (const section of ["portal", "console"]) {
  const dir = join(root, `target/site-${section}/pkg`);
  const files = readdirSync(dir);
  const pick = (ext) => {
    const found = files.filter((f) => new RegExp(`^dunwell\\.[A-Za-z0-9_-]+\\.${ext}$`).test(f));
    if (found.length !== 1) {
      throw new Error(`${dir}: expected one dunwell.<hash>.${ext}, found ${found.length}`);
    }
    // The hash is of the content, so a section's file never collides with another's.
    const name = found[0].replace(/^dunwell\./, `dunwell-${section}.`);
    copyFileSync(join(dir, found[0]), join(pkg, name));
    return name;
  };
  lines.push(`${section} ${pick("js")} ${pick("wasm")}`);
}
writeFileSync(join(pkg, "bundles.txt"), lines.join("\n") + "\n");
console.log(lines.join("\n"));
