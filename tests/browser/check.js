'use strict';
// Browser check (issue 6): cleans every corpus input under each preset and each
// policy file in policies/ with borax, loads the outputs into headless Chromium
// in two contexts, and checks what the browser built. Run through ./run, which
// installs what this needs.
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { chromium } = require('playwright-core');
const { collectInputs, xssInputs, tomlInputs, extraInputs } = require('./lib/inputs');
const { clean, printPolicy } = require('./lib/cleaner');
const { fillInnerHtml, walkCases } = require('./lib/walk');
const { compare } = require('./lib/serial');

const ROOT = path.resolve(__dirname, '..', '..');
const PRESETS = ['comments', 'basic', 'relaxed', 'text'];
// Policy files checked besides the presets (riskier settings: foreign content,
// id/name/data-*/comments, escapeDisallowed): every tests/browser/policies/*.toml.
const POLICY_DIR = path.join(__dirname, 'policies');
const EXTRA_INPUTS = path.join(__dirname, 'extra-inputs.txt');
const FAILING = ['executed', 'disallowed', 'escaped', 'context_mismatch'];
const COUNTERS = ['cases', 'rejected', 'executed', 'disallowed', 'escaped', 'context_mismatch', 'differential'];
const CHROMIUM = '/usr/bin/chromium';

function usage() {
  return `usage: tests/browser/run [--strict] [--self-test] [--preset NAME]... [--policy FILE|NAME]... [--batch N] [--limit N]
  --strict      a parser differential fails the run too
  --self-test   clean nothing (BORAX_BROWSER_CLEANER=cat) on the XSS corpus and check
                that the traps, the policy walk and the escape check do fire
  --preset      check only this preset (repeatable)
  --policy      check only this policy file (repeatable); a bare NAME is tests/browser/policies/NAME.toml
                default (neither given): presets ${PRESETS.join(' ')} and every tests/browser/policies/*.toml
  --batch N     cases per page (default 300)
  --limit N     only the first N inputs (for a quick look); --skip N skips the first N
env: BORAX_CORPUS (default ../shared/corpus), BORAX_BROWSER_CLEANER (default target/release/borax; "cat" = identity),
     BORAX_BROWSER_OUT (default target/browser-check), BORAX_BROWSER_SETTLE_MS (default 300)`;
}

function parseArgs(argv) {
  const o = { strict: false, selfTest: false, presets: [], policies: [], batch: 300, limit: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') o.strict = true;
    else if (a === '--self-test') o.selfTest = true;
    else if (a === '--preset') o.presets.push(argv[++i]);
    else if (a === '--policy') o.policies.push(argv[++i]);
    else if (a === '--batch') o.batch = Number(argv[++i]);
    else if (a === '--limit') o.limit = Number(argv[++i]);
    else if (a === '--skip') o.skip = Number(argv[++i]);
    else if (a === '-h' || a === '--help') { console.log(usage()); process.exit(0); }
    else { console.error(`browser-check: unknown argument ${a}\n${usage()}`); process.exit(2); }
  }
  for (const p of o.presets) if (!PRESETS.includes(p)) { console.error(`browser-check: unknown preset ${p}`); process.exit(2); }
  const files = o.policies.map((p) => (/[/\\.]/.test(p) ? path.resolve(p) : path.join(POLICY_DIR, `${p}.toml`)));
  for (const f of files) if (!fs.existsSync(f)) { console.error(`browser-check: no policy file ${f}`); process.exit(2); }
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

// Policy JSON (print-policy shape) -> what the page walk needs.
function normalisePolicy(p) {
  const nsOf = (ns) => (ns === undefined || ns === null || ns === 'html' ? 'html' : ns === 'mathml' ? 'math' : ns);
  const elements = {};
  for (const e of p.elements || []) {
    if (typeof e === 'string') elements[`html:${e.toLowerCase()}`] = [];
    else elements[`${nsOf(e.namespace)}:${e.name.toLowerCase()}`] = (e.attributes || []).map((a) => a.toLowerCase());
  }
  let relativeUrls = p.relativeUrls === undefined ? 'deny' : p.relativeUrls;
  if (relativeUrls && typeof relativeUrls === 'object') relativeUrls = 'rewrite';
  return {
    elements,
    attributes: (p.attributes || []).map((a) => a.toLowerCase()),
    dataAttributes: !!p.dataAttributes,
    comments: !!p.comments,
    urlSchemes: (p.urlSchemes || []).map((s) => s.toLowerCase()),
    relativeUrls,
    linkRel: Array.isArray(p.linkRel) ? p.linkRel.length > 0 : !!p.linkRel,
    classes: Array.isArray(p.classes) ? p.classes : null,
    attributeValues: Array.isArray(p.attributeValues) ? p.attributeValues : [],
    // per element+attribute scheme lists replace urlSchemes for that attribute
    attributeUrlSchemes: (Array.isArray(p.attributeUrlSchemes) ? p.attributeUrlSchemes : []).map((r) => ({
      element: String(r.element || '*').toLowerCase(), attribute: String(r.attribute).toLowerCase(), schemes: (r.schemes || []).map((x) => x.toLowerCase()),
    })),
    idPrefix: typeof p.idPrefix === 'string' && p.idPrefix !== '' ? p.idPrefix : null,
  };
}

function escapeHtmlText(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pageHtml(outputs) {
  // No whitespace anywhere in <body>: any node between containers is an escape.
  return '<!DOCTYPE html><html><head><meta charset="utf-8"><title>borax browser check</title></head><body>'
    + outputs.map((o, i) => `<div class="c" id="a${i}">${o}</div>`).join('')
    + '</body></html>';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const corpus = path.resolve(process.env.BORAX_CORPUS || path.join(ROOT, '..', 'shared', 'corpus'));
  const cleaner = opts.selfTest ? 'cat' : (process.env.BORAX_BROWSER_CLEANER || path.join(ROOT, 'target', 'release', 'borax'));
  const outDir = path.resolve(process.env.BORAX_BROWSER_OUT || path.join(ROOT, 'target', 'browser-check'));
  const settleMs = Number(process.env.BORAX_BROWSER_SETTLE_MS || 300);
  fs.mkdirSync(outDir, { recursive: true });
  const findingsFile = path.join(outDir, 'findings.jsonl');
  const findingsOut = fs.createWriteStream(findingsFile);
  // outputs whose browser serialisation differs from them only in escaping
  const serialOut = fs.createWriteStream(path.join(outDir, 'serialisation-only.jsonl'));
  const started = Date.now();

  let inputs = opts.selfTest
    ? [...xssInputs(corpus), ...tomlInputs(path.join(ROOT, 'tests', 'data')), ...extraInputs(EXTRA_INPUTS)]
    : collectInputs(corpus, path.join(ROOT, 'tests', 'data'), EXTRA_INPUTS);
  if (opts.selfTest) for (const c of inputs) c.input = c.input.toWellFormed();
  if (opts.skip > 0) inputs = inputs.slice(opts.skip);
  if (opts.limit > 0) inputs = inputs.slice(0, opts.limit);
  console.error(`browser-check: ${inputs.length} inputs from ${corpus}; cleaner ${cleaner}; ${opts.targets.map((t) => t.label).join(' ')}`);

  // Loopback server: pages by path, everything else 404. The CSP is report-only:
  // it blocks nothing, it makes every content script visible as a violation event.
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const body = pages.get(req.url.split('?')[0]);
    if (body === undefined) { res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }); res.end(); return; }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy-report-only': "script-src 'none'",
    });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;

  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (tests/browser/run installs it)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'borax-browser-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // nothing leaves the machine: every host but the loopback server fails to resolve
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  let sink = null; // where trap reports go: the batch being checked
  // Records from a subframe (srcdoc, data:, javascript: documents) that could
  // not name their container are tied to it through the frame's element.
  const climb = (el) => {
    const G = (proto, name) => { const d = Object.getOwnPropertyDescriptor(proto, name); return (o) => d.get.call(o); };
    const parentNodeOf = G(Node.prototype, 'parentNode');
    const nodeTypeOf = G(Node.prototype, 'nodeType');
    const getAttr = Element.prototype.getAttribute;
    for (let n = el, k = 0; n && k < 100000; k++) {
      if (nodeTypeOf(n) === 1 && getAttr.call(n, 'class') === 'c' && /^[ab]\d+$/.test(getAttr.call(n, 'id') || '')) return getAttr.call(n, 'id');
      n = n instanceof ShadowRoot ? n.host : parentNodeOf(n);
    }
    return null;
  };
  const pending = [];
  await context.exposeBinding('__bxReport', (source, rec) => {
    const target = sink;
    if (!target) return;
    if (rec.case || !source.frame || source.frame === source.page.mainFrame()) { target.push(rec); return; }
    const p = (async () => {
      let f = source.frame;
      while (f.parentFrame() && f.parentFrame() !== source.page.mainFrame()) f = f.parentFrame();
      const h = await f.frameElement();
      rec.case = await h.evaluate(climb);
    })().catch(() => {}).then(() => target.push(rec));
    pending.push(p);
  });
  await context.addInitScript({ path: path.join(__dirname, 'lib', 'traps.browser.js') });
  let page = null;
  async function openPage() {
    if (page && !page.isClosed()) return;
    page = await context.newPage();
    page.on('dialog', (d) => { if (sink) sink.push({ kind: 'dialog', detail: `${d.type()}: ${d.message()}`, case: null }); d.dismiss().catch(() => {}); });
    page.on('popup', (p) => { if (sink) sink.push({ kind: 'popup', detail: p.url(), case: null }); p.close().catch(() => {}); });
    page.on('close', () => { if (sink) sink.push({ kind: 'page-closed', detail: 'the page was closed', case: null }); });
  }
  let pageNo = 0;

  // Loads one batch of outputs; returns per-output results (see walkCases) with
  // `executed` records, bisecting when a record cannot be tied to a container.
  async function checkBatch(outputs, policy, budget) {
    if (process.env.BORAX_BROWSER_DEBUG) console.error(`batch of ${outputs.length}, budget ${budget.left}`);
    const url = `${origin}/p${pageNo++}`;
    pages.set(new URL(url).pathname, pageHtml(outputs));
    const records = [];
    sink = records;
    let results = null;
    let failure = null;
    try {
      await openPage();
      await page.goto(url, { waitUntil: 'load', timeout: 30000 });
      await page.evaluate(fillInnerHtml, outputs);
      await page.waitForTimeout(settleMs);
      if (page.url() !== url) records.push({ kind: 'navigation', detail: page.url(), case: null });
      results = await page.evaluate(walkCases, { n: outputs.length, policy });
      await Promise.all(pending.splice(0));
    } catch (e) {
      failure = String(e.message || e).split('\n')[0];
      if (process.env.BORAX_BROWSER_DEBUG) console.error('failure', failure);
    }
    sink = null;
    pages.delete(new URL(url).pathname);
    if (!page.isClosed() && (page.url() !== url || failure)) {
      // leave whatever the content did behind
      await page.goto('about:blank').catch(() => {});
    }
    const unattributed = records.filter((r) => !r.case || !/^[ab]\d+$/.test(r.case) || Number(r.case.slice(1)) >= outputs.length);
    if ((unattributed.length > 0 || failure) && outputs.length > 1 && budget.left > 0) {
      budget.left--;
      const mid = Math.ceil(outputs.length / 2);
      return [...(await checkBatch(outputs.slice(0, mid), policy, budget)), ...(await checkBatch(outputs.slice(mid), policy, budget))];
    }
    if (!results) {
      results = outputs.map(() => ({ a: null, b: null, disallowed: [], escaped: [] }));
    }
    for (const r of results) r.executed = [];
    if (failure) {
      for (const r of results) r.executed.push({ kind: 'page-failure', detail: failure, case: null });
    }
    for (const rec of records) {
      const i = rec.case && /^[ab]\d+$/.test(rec.case) ? Number(rec.case.slice(1)) : -1;
      if (i >= 0 && i < results.length) results[i].executed.push(rec);
      else for (const r of results) r.executed.push({ ...rec, detail: `(somewhere in a batch of ${results.length}) ${rec.detail}` });
    }
    return results;
  }

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
  await context.close();
  server.close();
  findingsOut.end();
  serialOut.end();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`browser-check total ${COUNTERS.map((c) => `${c}=${totals[c]}`).join(' ')} seconds=${secs}`);
  fs.writeFileSync(path.join(outDir, 'summary.txt'), summaries.join('\n') + `\nbrowser-check total ${COUNTERS.map((c) => `${c}=${totals[c]}`).join(' ')} seconds=${secs}\n`);
  console.error(`browser-check: details of every finding in ${findingsFile}`);
  if (opts.selfTest) {
    if (summaries.selfTestFail) process.exit(1);
    console.log('browser-check self-test: OK: the traps, the policy walk and the escape check fire on raw payloads');
    process.exit(0);
  }
  if (failed) {
    console.error(`browser-check: FAIL (counters ${FAILING.join(', ')}${opts.strict ? ', differential' : ''} must be 0)`);
    process.exit(1);
  }
  console.error('browser-check: OK');
}

main().catch((e) => {
  console.error(`browser-check: FAIL: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
