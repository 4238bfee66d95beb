'use strict';
// Browser check (issue 6): cleans every corpus input under each preset and each
// policy file in policies/ with borax, loads the outputs into headless Chromium
// in two contexts, and checks what the browser built; then the fuzz mode
// (lib/fuzz.js) does the same with generated inputs. Run through ./run, which
// installs what this needs.
const fs = require('fs');
const path = require('path');
const { collectInputs, xssInputs, tomlInputs, extraInputs } = require('./lib/inputs');
const { clean, printPolicy } = require('./lib/cleaner');
const { normalisePolicy } = require('./lib/walk');
const { compare } = require('./lib/serial');
const { startBrowser } = require('./lib/browser');
const { runFuzz, runRegressions } = require('./lib/fuzz');

const ROOT = path.resolve(__dirname, '..', '..');
const PRESETS = ['comments', 'basic', 'relaxed', 'text', 'ammonia']; // borax --list-presets
// Policy files checked besides the presets (riskier settings: foreign content,
// id/name/data-*/comments, escapeDisallowed): every tests/browser/policies/*.toml.
const POLICY_DIR = path.join(__dirname, 'policies');
const EXTRA_INPUTS = path.join(__dirname, 'extra-inputs.txt');
const FAILING = ['executed', 'disallowed', 'escaped', 'context_mismatch'];
const COUNTERS = ['cases', 'rejected', 'executed', 'disallowed', 'escaped', 'context_mismatch', 'differential'];
// Fuzz cases run by default (seeded, see --fuzz) after the corpus.
const DEFAULT_FUZZ_CASES = 10000;
const DEFAULT_FUZZ_SEED = '1';
const FUZZ_TARGETS = ['permissive', 'random', 'relaxed', 'foreign'];
// Minimised fuzz failures, replayed by the default run (and --regressions).
const FUZZ_REGRESSIONS = path.join(__dirname, 'fuzz-regressions.toml');

function usage() {
  return `usage: tests/browser/run [--strict] [--self-test] [--preset NAME]... [--policy FILE|NAME]... [--batch N] [--limit N]
  --strict      a parser differential fails the run too
  --self-test   clean nothing (BORAX_BROWSER_CLEANER=cat) on the XSS corpus and check
                that the traps, the policy walk and the escape check do fire
                (with --fuzz N: on N generated cases per fuzz target, minimiser off)
  --preset      check only this preset (repeatable)
  --policy      check only this policy file (repeatable); a bare NAME is tests/browser/policies/NAME.toml
                default (neither given): presets ${PRESETS.join(' ')} and every tests/browser/policies/*.toml
  --batch N     cases per page (default 300; fuzz mode 1000)
  --limit N     only the first N inputs (for a quick look); --skip N skips the first N
fuzz mode (README "Fuzz mode"); without any of these, the default run (no --preset/--policy/--self-test)
runs ${DEFAULT_FUZZ_CASES} fuzz cases of seed ${DEFAULT_FUZZ_SEED} after the corpus (BORAX_FUZZ_CASES, BORAX_FUZZ_SEED; 0 cases: none)
  --fuzz N      only fuzz: N generated cases under each fuzz target (no corpus)
  --seed S      the fuzz seed, any string (default: ${DEFAULT_FUZZ_SEED} in the default run, a random one with --fuzz;
                "random": one from the clock, printed)
  --case K      only fuzz case K of the seed (repeatable, or K1,K2,...): reproduces a finding
  --first K     number of the first case (default 0)
  --target T    fuzz only under T: ${FUZZ_TARGETS.join(', ')}, preset:NAME or a policy file (repeatable)
  --input HTML  check this input (repeatable) under the fuzz targets instead of generated cases
  --minimise N  minimise the first case of at most N failure classes (default 12; 0: none)
  --minimise-seconds S   time limit per minimised case (default 60)
  --minimise-total-seconds S   for all of them (default 300)
  --no-fuzz     the corpus only
  --regressions only replay tests/browser/fuzz-regressions.toml (minimised fuzz failures; part of the default run)
env: BORAX_CORPUS (default ../shared/corpus), BORAX_BROWSER_CLEANER (default target/release/borax; "cat" = identity),
     BORAX_BROWSER_OUT (default target/browser-check), BORAX_BROWSER_SETTLE_MS (default 300)`;
}

function parseArgs(argv) {
  const o = { strict: false, selfTest: false, presets: [], policies: [], batch: 300, limit: 0,
    fuzz: null, seed: null, cases: null, first: 0, fuzzTargets: null, minimise: 12, minimiseSeconds: 60, minimiseTotalSeconds: 300, noFuzz: false };
  const num = (a, v) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) { console.error(`browser-check: ${a} needs a number, not ${v}`); process.exit(2); } return n; };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') o.strict = true;
    else if (a === '--self-test') o.selfTest = true;
    else if (a === '--preset') o.presets.push(argv[++i]);
    else if (a === '--policy') o.policies.push(argv[++i]);
    else if (a === '--batch') { o.batch = Number(argv[++i]); o.batchGiven = true; }
    else if (a === '--limit') o.limit = Number(argv[++i]);
    else if (a === '--skip') o.skip = Number(argv[++i]);
    else if (a === '--fuzz') o.fuzz = num(a, argv[++i]);
    else if (a === '--seed') { o.seed = argv[++i]; if (!o.seed) { console.error('browser-check: --seed needs a value'); process.exit(2); } }
    else if (a === '--case') o.cases = [...(o.cases || []), ...String(argv[++i]).split(',').map((x) => num(a, x))];
    else if (a === '--first') o.first = num(a, argv[++i]);
    else if (a === '--target') {
      let t = argv[++i];
      if (!FUZZ_TARGETS.includes(t) && !/^preset:/.test(t)) {
        if (!fs.existsSync(t)) { console.error(`browser-check: fuzz target ${t} is neither ${FUZZ_TARGETS.join(', ')}, preset:NAME nor a policy file`); process.exit(2); }
        t = path.resolve(t);
      }
      o.fuzzTargets = [...(o.fuzzTargets || []), t];
    }
    else if (a === '--input') o.inputs = [...(o.inputs || []), argv[++i]];
    else if (a === '--minimise' || a === '--minimize') o.minimise = num(a, argv[++i]);
    else if (a === '--minimise-seconds' || a === '--minimize-seconds') o.minimiseSeconds = num(a, argv[++i]);
    else if (a === '--minimise-total-seconds' || a === '--minimize-total-seconds') o.minimiseTotalSeconds = num(a, argv[++i]);
    else if (a === '--no-fuzz') o.noFuzz = true;
    else if (a === '--regressions') o.regressionsOnly = true;
    else if (a === '-h' || a === '--help') { console.log(usage()); process.exit(0); }
    else { console.error(`browser-check: unknown argument ${a}\n${usage()}`); process.exit(2); }
  }
  for (const p of o.presets) if (!PRESETS.includes(p)) { console.error(`browser-check: unknown preset ${p}`); process.exit(2); }
  const files = o.policies.map((p) => (/[/\\.]/.test(p) ? path.resolve(p) : path.join(POLICY_DIR, `${p}.toml`)));
  for (const f of files) if (!fs.existsSync(f)) { console.error(`browser-check: no policy file ${f}`); process.exit(2); }
  // Fuzz only (--fuzz, --case, --seed without corpus selections), corpus then fuzz
  // (the default run), or the corpus only (--preset/--policy/--self-test/--no-fuzz).
  if (o.regressionsOnly) {
    if (o.fuzz !== null || o.cases !== null || o.inputs || o.presets.length || files.length || o.selfTest) { console.error('browser-check: --regressions runs tests/browser/fuzz-regressions.toml alone'); process.exit(2); }
    Object.assign(o, { targets: [], fuzzOnly: true, fuzzCount: 0, regressions: true });
    return o;
  }
  o.fuzzOnly = o.fuzz !== null || o.cases !== null || !!o.inputs;
  if (o.inputs && (o.fuzz !== null || o.cases !== null)) { console.error('browser-check: --input replaces the generated cases: leave out --fuzz and --case'); process.exit(2); }
  const corpusSelected = o.presets.length > 0 || files.length > 0 || (o.selfTest && o.fuzz === null);
  if (o.fuzzOnly && corpusSelected) { console.error('browser-check: --fuzz/--case run the fuzzer alone: leave out --preset, --policy and --self-test (use --target)'); process.exit(2); }
  if (o.fuzzOnly) {
    o.fuzzCount = o.inputs ? o.inputs.length : o.cases ? o.cases.length : o.fuzz;
    if (o.seed === null) o.seed = o.cases ? DEFAULT_FUZZ_SEED : String(Date.now() % 1000000007);
  } else if (!corpusSelected && !o.noFuzz && !o.fuzzTargets) {
    o.fuzzCount = Number(process.env.BORAX_FUZZ_CASES === undefined ? DEFAULT_FUZZ_CASES : process.env.BORAX_FUZZ_CASES);
    o.regressions = true;
    if (o.seed === null) o.seed = process.env.BORAX_FUZZ_SEED || DEFAULT_FUZZ_SEED;
  } else {
    o.fuzzCount = 0;
  }
  if (o.seed === 'random') o.seed = String(Date.now() % 1000000007);
  if (o.fuzzTargets && !o.fuzzOnly) { console.error('browser-check: --target selects fuzz targets: give --fuzz N or --case K'); process.exit(2); }
  if (o.fuzzOnly) { o.targets = []; return o; }
  if (o.presets.length === 0 && files.length === 0) {
    if (o.selfTest) o.presets = ['comments'];
    else {
      o.presets = PRESETS.slice();
      if (fs.existsSync(POLICY_DIR)) {
        for (const f of fs.readdirSync(POLICY_DIR).filter((x) => x.endsWith('.toml')).sort()) files.push(path.join(POLICY_DIR, f));
      }
    }
  }
  // What each summary line checks: preset=NAME or policy=NAME (file's base name).
  o.targets = [
    ...o.presets.map((p) => ({ kind: 'preset', name: p, label: `preset=${p}`, args: ['--preset', p] })),
    ...files.map((f) => ({ kind: 'policy', name: path.basename(f).replace(/\.(toml|json)$/, ''), file: f, label: `policy=${path.basename(f).replace(/\.(toml|json)$/, '')}`, args: ['--policy', f] })),
  ];
  if (!(o.batch >= 1)) o.batch = 300;
  return o;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const corpus = path.resolve(process.env.BORAX_CORPUS || path.join(ROOT, '..', 'shared', 'corpus'));
  const cleaner = opts.selfTest ? 'cat' : (process.env.BORAX_BROWSER_CLEANER || path.join(ROOT, 'target', 'release', 'borax'));
  const outDir = path.resolve(process.env.BORAX_BROWSER_OUT || path.join(ROOT, 'target', 'browser-check'));
  const settleMs = Number(process.env.BORAX_BROWSER_SETTLE_MS || 300);
  fs.mkdirSync(outDir, { recursive: true });
  const findingsFile = path.join(outDir, 'findings.jsonl');
  // (the fuzz mode alone leaves the corpus files of the last run as they are)
  const none = { write() {}, end() {} };
  const findingsOut = opts.targets.length ? fs.createWriteStream(findingsFile) : none;
  // outputs whose browser serialisation differs from them only in escaping
  const serialOut = opts.targets.length ? fs.createWriteStream(path.join(outDir, 'serialisation-only.jsonl')) : none;
  const started = Date.now();

  if (opts.fuzzCount > 0 && cleaner === 'cat' && !opts.selfTest) throw new Error('the fuzz mode needs borax as the cleaner (BORAX_BROWSER_CLEANER=cat only with --self-test)');
  let inputs = opts.fuzzOnly ? [] : opts.selfTest
    ? [...xssInputs(corpus), ...tomlInputs(path.join(ROOT, 'tests', 'data')), ...extraInputs(EXTRA_INPUTS)]
    : collectInputs(corpus, path.join(ROOT, 'tests', 'data'), EXTRA_INPUTS);
  if (opts.selfTest) for (const c of inputs) c.input = c.input.toWellFormed();
  if (opts.skip > 0) inputs = inputs.slice(opts.skip);
  if (opts.limit > 0) inputs = inputs.slice(0, opts.limit);
  if (opts.targets.length) console.error(`browser-check: ${inputs.length} inputs from ${corpus}; cleaner ${cleaner}; ${opts.targets.map((t) => t.label).join(' ')}`);

  const browser = await startBrowser({ settleMs });
  const checkBatch = browser.checkBatch;

  const totals = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
  const summaries = [];
  let failed = false;
  const shown = {};
  for (const target of opts.targets) {
    const t0 = Date.now();
    // `preset` names the target in records and messages: the preset's name, or
    // policy=NAME for a policy file.
    const preset = target.kind === 'preset' ? target.name : target.label;
    // policy
    // The self-test "cleans" with cat, but the allow-list still comes from
    // the release binary.
    const policyBin = cleaner === 'cat' ? path.join(ROOT, 'target', 'release', 'borax') : cleaner;
    let raw = await printPolicy(policyBin, target);
    let policySource = 'print-policy';
    if (!raw) { policySource = 'unknown'; }
    const policy = normalisePolicy(raw || { elements: [], urlSchemes: [] });
    // clean
    const cleaned = await clean(cleaner, target, inputs.map((c) => c.input));
    const counters = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
    counters.cases = inputs.length;
    const byOutput = new Map(); // output -> case indices
    cleaned.results.forEach((r, i) => {
      if (r.rejected) { counters.rejected++; return; }
      const list = byOutput.get(r.output);
      if (list) list.push(i); else byOutput.set(r.output, [i]);
    });
    const outputs = Array.from(byOutput.keys());
    const budget = { left: 400 };
    const kinds = { executed: new Set(), disallowed: new Set(), escaped: new Set(), context_mismatch: new Set(), differential: new Set() };
    let serialOnly = 0;
    for (let s = 0; s < outputs.length; s += opts.batch) {
      const batch = outputs.slice(s, s + opts.batch);
      const results = await checkBatch(batch, policy, budget);
      results.forEach((r, k) => {
        const out = batch[k];
        const found = {};
        if (r.executed.length) found.executed = r.executed.map((e) => `${e.kind} ${e.detail} [${e.case || '?'}${e.top === false ? ', subframe' : ''}]`);
        if (r.disallowed.length) found.disallowed = r.disallowed.map((d) => `(${d.ctx}) ${d.what}`);
        if (r.escaped.length) found.escaped = r.escaped;
        if (r.a !== null && r.b !== null && r.a !== r.b) found.context_mismatch = [`page source gives ${JSON.stringify(r.a).slice(0, 300)}, innerHTML gives ${JSON.stringify(r.b).slice(0, 300)}`];
        if (r.a !== null) {
          const d = compare(r.a, out);
          if (d) found.differential = [d];
          else if (r.a !== out) {
            serialOnly++;
            serialOut.write(JSON.stringify({ [target.kind]: target.name, output: out, browser_a: r.a, source: inputs[byOutput.get(out)[0]].source }) + '\n');
          }
        }
        const cases = byOutput.get(out);
        for (const kind of Object.keys(found)) {
          for (const ci of cases) kinds[kind].add(ci);
          const rec = {
            [target.kind]: target.name, ...(target.file ? { policy_file: path.relative(ROOT, target.file) } : {}), kind, findings: found[kind], output: out, browser_a: r.a, browser_b: r.b,
            cases: cases.map((ci) => ({ source: inputs[ci].source, input: inputs[ci].input })),
          };
          findingsOut.write(JSON.stringify(rec) + '\n');
          const key = `${preset}/${kind}`;
          shown[key] = (shown[key] || 0) + 1;
          if (shown[key] <= 3 && !opts.selfTest) {
            console.error(`--- ${preset} ${kind}: ${cases.length} case(s), first ${inputs[cases[0]].source}\n  input:  ${JSON.stringify(inputs[cases[0]].input).slice(0, 300)}\n  output: ${JSON.stringify(out).slice(0, 300)}\n  ${found[kind].slice(0, 5).join('\n  ').slice(0, 1200)}`);
          }
        }
      });
    }
    for (const k of Object.keys(kinds)) counters[k] = kinds[k].size;
    // For a policy file the source of the allow-list is policy_source= (policy= names the file).
    const line = `browser-check ${target.label} ${COUNTERS.map((c) => `${c}=${counters[c]}`).join(' ')}`
      + ` ${target.kind === 'preset' ? 'policy' : 'policy_source'}=${policySource} cleaner=${cleaned.mode} unique_outputs=${outputs.length} serialisation_only_diffs=${serialOnly} seconds=${((Date.now() - t0) / 1000).toFixed(1)}`;
    summaries.push(line);
    console.log(line);
    for (const c of COUNTERS) totals[c] += counters[c];
    if (policySource === 'unknown') {
      console.error(`browser-check: FAIL: no policy known for ${target.label} (borax --print-policy json failed): its allow-list went unchecked`);
      failed = true;
    }
    if (counters.cases > 0 && counters.rejected === counters.cases) {
      console.error(`browser-check: FAIL: borax rejected every input under ${target.label}: nothing was checked`);
      failed = true;
    }
    if (FAILING.some((c) => counters[c] > 0) || (opts.strict && counters.differential > 0)) failed = true;
    if (opts.selfTest) {
      const missing = ['executed', 'disallowed', 'escaped'].filter((c) => counters[c] === 0 && !(preset === 'text' && c === 'disallowed' && false));
      if (missing.length) { console.error(`browser-check: SELF-TEST FAIL: preset ${preset}: raw payloads gave no ${missing.join(', ')} finding`); }
      summaries.selfTestFail = summaries.selfTestFail || missing.length > 0;
    }
  }
  findingsOut.end();
  serialOut.end();
  if (opts.targets.length) {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`browser-check total ${COUNTERS.map((c) => `${c}=${totals[c]}`).join(' ')} seconds=${secs}`);
    fs.writeFileSync(path.join(outDir, 'summary.txt'), summaries.join('\n') + `\nbrowser-check total ${COUNTERS.map((c) => `${c}=${totals[c]}`).join(' ')} seconds=${secs}\n`);
    console.error(`browser-check: details of every finding in ${findingsFile}`);
  }
  const corpusFailed = failed;
  if (opts.regressions && fs.existsSync(FUZZ_REGRESSIONS)) {
    const rg = await runRegressions({ bin: cleaner, browser, batch: 1000, outDir }, FUZZ_REGRESSIONS, { strict: opts.strict }, (m) => console.error(m));
    if (rg.failed) {
      failed = true;
      console.error(`browser-check: FAIL: ${path.relative(ROOT, FUZZ_REGRESSIONS)}: ${rg.counters.failing} case(s) fail`);
    }
  }
  if (opts.fuzzCount > 0) {
    const fz = await runFuzz({ bin: cleaner, policyBin: cleaner === 'cat' ? path.join(ROOT, 'target', 'release', 'borax') : cleaner, browser, batch: opts.batchGiven ? opts.batch : 1000, outDir, policyDir: POLICY_DIR }, {
      seed: opts.seed, count: opts.fuzzCount, first: opts.first, cases: opts.cases, strict: opts.strict,
      quiet: opts.selfTest, minimise: opts.selfTest ? 0 : opts.minimise, minimiseSeconds: opts.minimiseSeconds, minimiseTotalSeconds: opts.minimiseTotalSeconds, targets: opts.fuzzTargets, inputs: opts.inputs,
    }, (m) => console.error(m));
    if (opts.selfTest) {
      // `cat` cleans nothing: the raw generated inputs must trip the detectors.
      const missing = ['executed', 'disallowed', 'escaped', 'context_mismatch', 'differential'].filter((c) => !(fz.totals[c] > 0));
      if (missing.length) console.error(`browser-check: SELF-TEST FAIL: fuzz: raw generated inputs gave no ${missing.join(', ')} finding`);
      summaries.selfTestFail = summaries.selfTestFail || missing.length > 0;
    } else if (fz.failed) {
      failed = true;
      console.error(`browser-check: FAIL: fuzz seed ${opts.seed} (counters crashed, not_idempotent, executed, disallowed, escaped, context_mismatch${opts.strict ? ', differential' : ''} must be 0)`);
    }
  }
  await browser.close();
  if (opts.selfTest) {
    if (summaries.selfTestFail) process.exit(1);
    console.log(`browser-check self-test: OK: the traps, the policy walk and the escape check fire on raw ${opts.fuzzCount > 0 ? 'generated inputs' : 'payloads'}`);
    process.exit(0);
  }
  if (failed) {
    if (corpusFailed) console.error(`browser-check: FAIL: corpus (counters ${FAILING.join(', ')}${opts.strict ? ', differential' : ''} must be 0)`);
    process.exit(1);
  }
  console.error('browser-check: OK');
}

main().catch((e) => {
  console.error(`browser-check: FAIL: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
