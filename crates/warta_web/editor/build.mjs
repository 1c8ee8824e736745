// Builds the editor into ../static/editor.js and ../static/editor.css (committed, so
// that building Warta needs no Node). `node build.mjs --check` builds in memory and
// fails if the committed files differ: CI runs it after `npm ci`.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static");
const check = process.argv.includes("--check");

const common = {
  bundle: true,
  minify: true,
  legalComments: "eof",
  write: false,
  logLevel: "warning",
  charset: "utf8",
};
const results = await Promise.all([
  build({ ...common, entryPoints: [join(here, "src", "main.js")], format: "iife", target: ["es2020"], outfile: join(out, "editor.js") }),
  build({ ...common, entryPoints: [join(here, "src", "editor.css")], outfile: join(out, "editor.css") }),
]);
const banner = "/* Built from crates/warta_web/editor (npm ci && npm run build). Do not edit. */\n";
let differ = [];
for (const r of results) {
  for (const f of r.outputFiles) {
    const text = banner + f.text;
    if (check) {
      let have = "";
      try {
        have = readFileSync(f.path, "utf8");
      } catch (e) {
        have = "";
      }
      if (have !== text) differ.push(f.path);
    } else {
      writeFileSync(f.path, text);
      console.log(`${f.path}: ${text.length} bytes`);
    }
  }
}
if (differ.length) {
  console.error("The built editor differs from the committed files:\n  " + differ.join("\n  ") + "\nRun `npm ci && npm run build` in crates/warta_web/editor and commit the result.");
  process.exit(1);
}
if (check) console.log("editor: the committed build matches its sources");
