'use strict';
// Fuzz mode of the browser check (issue 9): seeded grammar-generated tag soup
// (lib/grammar.js) cleaned by borax under a permissive policy (every element
// name borax accepts, lib/permissive.js), the relaxed preset and
// policies/foreign.toml; every output must be idempotent under borax, re-parse
// in Chromium to the same tree (both contexts), run nothing and hold only what
// the policy allows. Failures are grouped into classes, and the first of each
// class is minimised (input by delta debugging, then the permissive policy
// down to the elements and attributes the failure needs).
const fs = require('fs');
const path = require('path');
const { generate, Rng, hash32 } = require('./grammar');
const { SENSITIVE } = require('./names');
const { clean, printPolicy } = require('./cleaner');
const { normalisePolicy } = require('./walk');
const { compare, tokenize, sameDump } = require('./serial');
const { buildPermissive } = require('./permissive');

const COUNTERS = ['cases', 'rejected', 'crashed', 'not_idempotent', 'executed', 'disallowed', 'escaped', 'context_mismatch', 'differential'];
// Without --strict only these fail the run (as in the corpus check, plus
// crashes and non-idempotence, which need no browser to judge).
const FAILING = ['crashed', 'not_idempotent', 'executed', 'disallowed', 'escaped', 'context_mismatch'];
const CHUNK = 1000;

// ---------------------------------------------------------------- cleaning

// clean() that survives a crashing borax: the batch is halved until the
// input that crashes it is alone, and that input is marked { crashed }.
async function cleanRobust(bin, sel, inputs) {
  if (inputs.length === 0) return [];
  try {
    return (await clean(bin, sel, inputs)).results;
  } catch (e) {
    if (inputs.length === 1) return [{ crashed: true, error: String(e.message || e).slice(0, 500) }];
    const mid = Math.ceil(inputs.length / 2);
    return [...(await cleanRobust(bin, sel, inputs.slice(0, mid))), ...(await cleanRobust(bin, sel, inputs.slice(mid)))];
  }
}

// First differing token of two borax serialisations, or null.
function tokenDiff(x, y) {
  const a = tokenize(x, true);
  const b = tokenize(y, true);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const p = JSON.stringify(a[i]);
    const q = JSON.stringify(b[i]);
    if (p !== q) return `token ${i}: first ${p === undefined ? '(end)' : p.slice(0, 200)} vs again ${q === undefined ? '(end)' : q.slice(0, 200)}`;
  }
  return x === y ? null : 'same tokens, different bytes';
}

// ---------------------------------------------------------------- checking

// items: [{ sel, policy (normalised), input }] where sel = { key, label, args }.
// Returns per item { output, output2, rejected, crashed, error, found: { kind: [detail] }, a, b }.
// need: 'all' (every check), or the one kind looked for (the minimiser): the
// browser is skipped for not_idempotent/crashed, and the settle time is
// only waited for executed.
async function examine(env, items, need = 'all') {
  const { bin, browser } = env;
  const batch = env.batch || 1000;
  const res = items.map(() => ({ found: {} }));
  // 1. clean, per selection
  const bySel = new Map();
  items.forEach((it, i) => {
    if (!bySel.has(it.sel.key)) bySel.set(it.sel.key, []);
    bySel.get(it.sel.key).push(i);
  });
  for (const idx of bySel.values()) {
    const sel = items[idx[0]].sel;
    const first = await cleanRobust(bin, sel, idx.map((i) => items[i].input));
    const okIdx = [];
    first.forEach((r, k) => {
      const i = idx[k];
      if (r.crashed) { res[i].crashed = true; res[i].found.crashed = [r.error]; } else if (r.rejected) { res[i].rejected = true; res[i].error = r.error; } else { res[i].output = r.output; okIdx.push(i); }
    });
    // 2. idempotence: cleaning the output again gives the same bytes
    if (need === 'all' || need === 'not_idempotent' || need === 'crashed') {
      const second = await cleanRobust(bin, sel, okIdx.map((i) => res[i].output));
      second.forEach((r, k) => {
        const i = okIdx[k];
        if (r.crashed) { res[i].found.crashed = [`on its own output: ${r.error}`]; return; }
        res[i].output2 = r.rejected ? null : r.output;
        if (r.rejected) res[i].found.not_idempotent = [`the output is rejected when cleaned again: ${r.error}`];
        else if (r.output !== res[i].output) res[i].found.not_idempotent = [tokenDiff(res[i].output, r.output)];
      });
    }
  }
  if (need === 'not_idempotent' || need === 'crashed') return res;
  // 3. browser: unique (output, policy) pairs, in batches
  const unique = new Map();
  items.forEach((it, i) => {
    if (res[i].output === undefined) return;
    const k = `${it.sel.key}\u0000${res[i].output}`;
    if (!unique.has(k)) unique.set(k, { output: res[i].output, policy: it.policy, idx: [] });
    unique.get(k).idx.push(i);
  });
  const list = [...unique.values()];
  const budget = { left: 400 };
  const settle = need === 'all' || need === 'executed' ? undefined : 0;
  for (let s = 0; s < list.length; s += batch) {
    const part = list.slice(s, s + batch);
    const results = await browser.checkBatch(part.map((u) => u.output), part.map((u) => u.policy), budget, settle);
    results.forEach((r, k) => {
      const out = part[k].output;
      const found = {};
      if (r.executed.length) found.executed = r.executed.map((e) => `${e.kind} ${e.detail} [${e.case || '?'}${e.top === false ? ', subframe' : ''}]`);
      if (r.disallowed.length) found.disallowed = r.disallowed.map((d) => `(${d.ctx}) ${d.what}`);
      if (r.escaped.length) found.escaped = r.escaped;
      if (r.a !== null && r.b !== null && !sameDump(r.a, r.b)) found.context_mismatch = [`page source gives ${JSON.stringify(r.a).slice(0, 300)}, innerHTML gives ${JSON.stringify(r.b).slice(0, 300)}`];
      const da = r.a === null ? null : compare(r.a, out);
      const db = r.b === null ? null : compare(r.b, out);
      if (da || db) found.differential = [da ? `(a: page source) ${da}` : `(b: innerHTML) ${db}`];
      for (const i of part[k].idx) {
        Object.assign(res[i].found, found);
        res[i].a = r.a;
        res[i].b = r.b;
        res[i].serialisationOnly = !found.differential && r.a !== null && r.a !== out;
      }
    });
  }
  return res;
}

// ---------------------------------------------------------------- classes

// A short key for the kind of failure, with values and positions left out,
// so that one bug found many times counts once.
function signature(kind, details) {
  const d = String((details && details[0]) || '');
  const tok = (t) => {
    try {
      const v = JSON.parse(t);
      return v[0] === 'text' ? 'text' : v[0] === 'comment' ? 'comment' : `${v[0]}:${String(v[1]).toLowerCase()}`;
    } catch (e) { return t; }
  };
  if (kind === 'differential' || kind === 'not_idempotent') {
    const m = /^(\([ab][^)]*\) )?token \d+: (?:browser|first) (.*) vs (?:output|again) (.*)$/.exec(d);
    if (m) return `${kind} ${(m[1] || '').trim()} ${tok(m[2])} vs ${tok(m[3])}`.replace(/\s+/g, ' ');
    return `${kind} ${d.slice(0, 60)}`;
  }
  if (kind === 'executed') {
    const m = /^(\S+) (.*)$/.exec(d);
    if (!m) return `executed ${d.slice(0, 40)}`;
    if (m[1] === 'handler') return `executed handler ${(/^(on\w+ on <[^>]+>)/.exec(m[2]) || [0, ''])[1]}`;
    if (m[1].startsWith('csp:')) return `executed ${m[1]} ${(/ @(\S+)/.exec(m[2]) || [0, ''])[1]}`;
    return `executed ${m[1]}`;
  }
  if (kind === 'disallowed' || kind === 'escaped') {
    return `${kind} ${d.replace(/^\([ab]\) /, '').replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/<!--.*/, '<!--…').replace(/\d+/g, 'N').slice(0, 120)}`;
  }
  if (kind === 'crashed') return `crashed ${d.replace(/[0-9]+/g, 'N').slice(0, 80)}`;
  return kind;
}

// ---------------------------------------------------------------- minimising

// Units of an input for delta debugging: tags, comments and text runs;
// with `fine`, a start tag is cut into its name, each attribute and its end,
// and text and comment contents into characters.
function units(s, fine) {
  const out = [];
  const re = /<!--[\s\S]*?(?:-->|$)|<\/?[A-Za-z][^>]*>?|<[!?][^>]*>?|<|[^<]+/g;
  let m;
  while ((m = re.exec(s))) {
    const t = m[0];
    if (fine && /^<[A-Za-z]/.test(t)) {
      const parts = /^(<[^\s/>]+)([\s\S]*?)(\/?>?)$/.exec(t);
      const attrs = parts[2].match(/\s*[^\s=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?|\s+/g) || [];
      out.push(parts[1], ...attrs, parts[3]);
    } else if (fine && !t.startsWith('<') && t.length > 1) {
      out.push(...t);
    } else if (fine && t.startsWith('<!--')) {
      // a comment is only one where the parser says so (not inside raw text, ...)
      const close = /--!?>$/.exec(t);
      out.push('<!--', ...t.slice(4, close ? t.length - close[0].length : t.length), ...(close ? [close[0]] : []));
    } else out.push(t);
  }
  return out;
}

// Batched ddmin: every subset and complement of a round is tested at once
// (one borax run, one page). test(list of unit arrays) -> index of the first
// that still fails, or -1.
async function ddmin(list, test, deadline) {
  let n = 2;
  while (list.length >= 2 && Date.now() < deadline) {
    const size = Math.ceil(list.length / n);
    const chunks = [];
    for (let i = 0; i < list.length; i += size) chunks.push([list.slice(i, i + size), i]);
    const cands = chunks.map(([c]) => c);
    // (with two chunks the complements are the subsets)
    if (chunks.length > 2) for (const [c, i] of chunks) cands.push([...list.slice(0, i), ...list.slice(i + c.length)]);
    const hit = await test(cands);
    if (hit >= 0) {
      list = cands[hit];
      n = hit < chunks.length ? 2 : Math.max(n - 1, 2);
      continue;
    }
    if (n >= list.length) break;
    n = Math.min(list.length, n * 2);
  }
  // one more pass: drop single units one at a time (batched)
  for (let changed = true; changed && list.length > 1 && Date.now() < deadline;) {
    changed = false;
    const cands = list.map((_, i) => [...list.slice(0, i), ...list.slice(i + 1)]);
    const hit = await test(cands);
    if (hit >= 0) { list = cands[hit]; changed = true; }
  }
  return list;
}

// The input cut down while `kind` still fails under `variant`: ddmin over
// tags/comments/text runs, then over tag names/attributes/characters, then
// start tags removed together with their end tag, then (when short) ddmin
// over single characters.
async function minimiseInput(env, input, variant, kind, deadline) {
  const test = async (cands) => {
    const items = cands.map((c) => ({ sel: variant.sel, policy: variant.policy, input: c.join('') }));
    const r = await examine(env, items, kind);
    return r.findIndex((x) => !!x.found[kind]);
  };
  for (const fine of [false, true]) input = (await ddmin(units(input, fine), test, deadline)).join('');
  // element pairs: <name ...> with its </name>
  for (let changed = true; changed && Date.now() < deadline;) {
    changed = false;
    const us = units(input, false);
    const cands = [];
    us.forEach((u, i) => {
      const m = /^<([A-Za-z][^\s/>]*)/.exec(u);
      if (!m) return;
      const end = us.findIndex((v, k) => k > i && v.toLowerCase().startsWith(`</${m[1].toLowerCase()}`));
      if (end > i) cands.push(us.filter((_, k) => k !== i && k !== end));
    });
    if (cands.length) {
      const hit = await test(cands);
      if (hit >= 0) { input = cands[hit].join(''); changed = true; }
    }
  }
  if (input.length <= 600) input = (await ddmin([...input], test, deadline)).join('');
  return input;
}

// Minimises one failure: the input, then (for the permissive and random
// policies) the policy, then the input again under the smaller policy, while
// either shrinks. Returns { input, policy (text or null), output, output2, a, b, found }.
async function minimise(env, fail, seconds) {
  const deadline = Date.now() + seconds * 1000;
  const kind = fail.kind;
  let input = fail.input;
  let variant = fail.variant;
  let policyText = null;
  for (let round = 0; round < 4 && Date.now() < deadline; round++) {
    const before = input;
    input = await minimiseInput(env, input, variant, kind, deadline);
    if (!variant.spec) break;
    const min = await minimisePolicy(env, variant.spec, input, kind, deadline);
    if (!min) break;
    const samePolicy = min.text === policyText;
    policyText = min.text;
    const f = path.join(env.tmpDir, `min-${env.seq++}.toml`);
    fs.writeFileSync(f, min.text);
    const sel = { key: f, label: 'minimal policy', args: ['--policy', f] };
    variant = { sel, policy: normalisePolicy(await printPolicy(env.policyBin || env.bin, sel)), spec: min.spec };
    if (samePolicy && input === before) break;
  }
  const [r] = await examine(env, [{ sel: variant.sel, policy: variant.policy, input }], 'all');
  return { input, policy: policyText, output: r.output, output2: r.output2, a: r.a, b: r.b, found: r.found };
}

// A policy file from a spec { els: [{ns, name, attributes}], globals,
// comments, dataAttributes, relativeUrls }.
function renderSpec(s) {
  const lines = [];
  if (s.comments) lines.push('comments = true');
  if (s.dataAttributes) lines.push('dataAttributes = true');
  if (s.relativeUrls) lines.push(`relativeUrls = "${s.relativeUrls}"`);
  if (s.globals.length) lines.push(`attributes = [${s.globals.map((a) => JSON.stringify(a)).join(', ')}]`);
  const el = (c) => {
    const bare = c.ns === 'html' ? !['svg', 'math'].includes(c.name.toLowerCase()) : (c.ns === 'svg' && c.name === 'svg') || (c.ns === 'math' && c.name === 'math');
    if (bare && c.attributes.length === 0) return JSON.stringify(c.name);
    return `{ name = ${JSON.stringify(c.name)}${bare ? '' : `, namespace = "${c.ns}"`}${c.attributes.length ? `, attributes = [${c.attributes.map((a) => JSON.stringify(a)).join(', ')}]` : ''} }`;
  };
  if (s.maxDepth) lines.push(`maxDepth = ${s.maxDepth}`);
  if (s.escapeDisallowed) lines.push('escapeDisallowed = true');
  const names = (list) => [...new Set(list.map((c) => (c.ns === 'html' ? c.name : `${c.ns}:${c.name}`)))].map((n) => JSON.stringify(n)).join(', ');
  if (s.remove && s.remove.length) lines.push(`removeElements = [${names(s.remove)}]`);
  if (s.unwrap && s.unwrap.length) lines.push(`replaceWithChildrenElements = [${names(s.unwrap)}]`);
  lines.push(`elements = [${s.els.map(el).join(', ')}]`);
  return lines.join('\n') + '\n';
}

// The permissive policy cut down to what the failure needs: first the
// elements whose names appear in the input (in every namespace), then
// ddmin over elements, then over attributes, then the flags.
async function minimisePolicy(env, full, input, kind, deadline) {
  const all = full.els;
  const names = new Set((input.match(/<\/?([A-Za-z][^\s/>]*)/g) || []).map((t) => t.replace(/^<\/?/, '').toLowerCase()));
  const els = all.filter((c) => names.has(c.name.toLowerCase()));
  let spec = { ...full, els };
  const render = renderSpec;

  const test = async (specs) => {
    const items = [];
    const okSpec = [];
    for (const s of specs) {
      const f = path.join(env.tmpDir, `min-${env.seq++}.toml`);
      fs.writeFileSync(f, render(s));
      const sel = { key: f, label: 'candidate policy', args: ['--policy', f] };
      let raw = null;
      try { raw = await printPolicy(env.policyBin || env.bin, sel); } catch (e) { raw = null; }
      if (!raw) { okSpec.push(false); continue; }
      okSpec.push(items.length);
      items.push({ sel, policy: normalisePolicy(raw), input });
    }
    const r = items.length ? await examine(env, items, kind) : [];
    return okSpec.map((k) => k !== false && !!r[k].found[kind]);
  };
  if (!(await test([spec]))[0]) {
    spec = { ...full };
    if (!(await test([spec]))[0]) return null; // needs something else: keep the full policy
  }
  // elements
  const keepEls = await ddmin(spec.els, async (cands) => (await test(cands.map((c) => ({ ...spec, els: c })))).indexOf(true), deadline);
  spec = { ...spec, els: keepEls };
  if (spec.els.length === 1 && !(await test([{ ...spec }]))[0]) return null;
  // attributes: (element index, attribute) pairs and globals
  const pairs = [];
  spec.els.forEach((c, i) => c.attributes.forEach((a) => pairs.push([i, a])));
  spec.globals.forEach((a) => pairs.push([-1, a]));
  const withPairs = (ps) => ({
    ...spec,
    els: spec.els.map((c, i) => ({ ...c, attributes: ps.filter(([j]) => j === i).map(([, a]) => a) })),
    globals: ps.filter(([j]) => j === -1).map(([, a]) => a),
  });
  const none = withPairs([]);
  if ((await test([none]))[0]) spec = none;
  else if (pairs.length > 1) spec = withPairs(await ddmin(pairs, async (cands) => (await test(cands.map(withPairs))).indexOf(true), deadline));
  // flags
  for (const [k, off] of [['comments', false], ['dataAttributes', false], ['relativeUrls', null], ['maxDepth', undefined],
    ['escapeDisallowed', false], ['remove', undefined], ['unwrap', undefined]]) {
    if (spec[k] === undefined || spec[k] === off) continue;
    const s = { ...spec, [k]: off };
    if ((await test([s]))[0]) spec = s;
  }
  return { text: render(spec), spec };
}

// ---------------------------------------------------------------- the run

// Random policies: case K of seed S is cleaned under random policy number
// hash(S, floor(K / 50)) % RANDOM_POLICIES of that seed (runs of 50 cases
// share one, so a batch needs few borax processes), each a random part of
// the permissive one, so that different elements end up dropped or
// unwrapped between the ones kept (the bugs live there).
const RANDOM_POLICIES = 1024;
const RANDOM_RUN = 50;
function randomSpec(seed, n, perm) {
  const rng = new Rng(`${seed}/policy`, n);
  const hot = (c) => SENSITIVE[c.name] || SENSITIVE[c.name.toLowerCase()];
  const pHot = 0.3 + rng.next() * 0.6;
  const pCold = rng.next() * 0.5;
  const pAttr = rng.next();
  const els = perm.list
    .filter((c) => rng.chance(hot(c) ? pHot : pCold))
    .map((c) => ({ ...c, attributes: c.attributes.filter(() => rng.chance(pAttr)) }));
  const spec = {
    els, globals: perm.globals.filter(() => rng.chance(pAttr)), comments: rng.chance(0.5), dataAttributes: rng.chance(0.3),
    relativeUrls: rng.pick(['pass', null]),
  };
  // Knobs that change what happens to what is not kept: a small maxDepth
  // unwraps deep elements, escapeDisallowed writes them as text,
  // removeElements drops them with their content, replaceWithChildrenElements
  // unwraps elements borax would drop (raw text, template, select, ...).
  if (rng.chance(0.2)) spec.maxDepth = 1 + rng.int(8);
  if (rng.chance(0.12)) spec.escapeDisallowed = true;
  const kept = new Set(els.map((c) => `${c.ns}:${c.name.toLowerCase()}`));
  const notKept = perm.list.filter((c) => !kept.has(`${c.ns}:${c.name.toLowerCase()}`));
  if (rng.chance(0.25) && notKept.length) {
    const hotNotKept = notKept.filter(hot);
    spec.remove = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(hotNotKept.length && rng.chance(0.8) ? hotNotKept : notKept))
      .map(({ ns, name }) => ({ ns, name }));
  }
  if (rng.chance(0.3)) {
    spec.unwrap = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(perm.dropped))
      .filter((d) => d && /^(html|svg|math):/.test(d.key))
      .map((d) => ({ ns: d.key.split(':')[0], name: d.key.slice(d.key.indexOf(':') + 1) }));
  }
  return spec;
}
const policyNoOf = (seed, k) => hash32(`${seed}/${Math.floor(k / RANDOM_RUN)}/policy`) % RANDOM_POLICIES;

// Targets: the permissive policy (generated), random parts of it, the
// relaxed preset, foreign.toml; `extra`: more, each preset:NAME or a policy
// file's path. A target has variants (one but for `random`) and
// variantOf(case) -> { sel, policy, spec? } (spec: an element list the
// minimiser can cut down).
async function fuzzTargets(env, seed, extra = []) {
  const { tmpDir, policyDir } = env;
  // The self-test cleans with `cat`; policies still come from borax.
  const bin = env.policyBin || env.bin;
  const perm = await buildPermissive(bin, path.join(tmpDir, 'permissive.toml'));
  const permSpec = { els: perm.list, globals: perm.globals, comments: true, dataAttributes: true, relativeUrls: 'pass' };
  const load = async (sel, spec) => {
    const raw = await printPolicy(bin, sel);
    if (!raw) throw new Error(`no policy for ${sel.label} (borax --print-policy json failed)`);
    return { sel, policy: normalisePolicy(raw), spec };
  };
  const one = async (name, label, args, key, spec) => {
    const v = await load({ key, label, args }, spec);
    return { name, label, random: false, variantOf: async () => v };
  };
  const targets = [await one('permissive', 'policy=permissive', ['--policy', perm.file], perm.file, permSpec)];
  const variants = new Map(); // made when first needed
  const variantOf = async (k) => {
    const n = policyNoOf(seed, k);
    if (!variants.has(n)) {
      const f = path.join(tmpDir, `random-${n}.toml`);
      let spec = randomSpec(seed, n, perm);
      fs.writeFileSync(f, renderSpec(spec));
      const sel = { key: f, label: `policy=random-${n}`, args: ['--policy', f] };
      let v;
      try {
        v = await load(sel, spec);
      } catch (e) {
        // a knob borax refuses (a name it will not unwrap, ...): without the lists
        spec = { ...spec, remove: undefined, unwrap: undefined };
        fs.writeFileSync(f, renderSpec(spec));
        v = await load(sel, spec);
      }
      variants.set(n, v);
    }
    return variants.get(n);
  };
  targets.push({ name: 'random', label: 'policy=random', random: true, variantOf });
  targets.push(await one('relaxed', 'preset=relaxed', ['--preset', 'relaxed'], 'preset:relaxed'));
  const foreign = path.join(policyDir, 'foreign.toml');
  targets.push(await one('foreign', 'policy=foreign', ['--policy', foreign], foreign));
  for (const t of extra) {
    if (t.startsWith('preset:')) targets.push(await one(t, `preset=${t.slice(7)}`, ['--preset', t.slice(7)], t));
    else targets.push(await one(t, `policy=${path.basename(t)}`, ['--policy', t], t));
  }
  return { targets, perm };
}

// opts: { seed, count, first, cases (explicit list or null), strict, minimise (classes), minimiseSeconds, targets (names or null) }
async function runFuzz(env, opts, log) {
  const started = Date.now();
  fs.mkdirSync(env.outDir, { recursive: true });
  env.tmpDir = fs.mkdtempSync(path.join(env.outDir, 'fuzz-tmp-'));
  env.seq = 0;
  const named = ['permissive', 'random', 'relaxed', 'foreign'];
  const extra = (opts.targets || []).filter((t) => !named.includes(t));
  const { targets: allTargets, perm } = await fuzzTargets(env, opts.seed, extra);
  const targets = opts.targets ? allTargets.filter((t) => opts.targets.includes(t.name)) : allTargets;
  fs.copyFileSync(perm.file, path.join(env.outDir, 'fuzz-permissive.toml'));
  log(`browser-check fuzz: permissive policy: ${perm.kept.length} elements (${perm.tries} builds; borax refused ${perm.dropped.map((d) => d.key).join(' ') || 'none'}) -> ${path.join(env.outDir, 'fuzz-permissive.toml')}`);
  const browserVersion = await env.browser.version();
  const caseNos = opts.inputs ? opts.inputs.map((_, i) => i) : opts.cases || Array.from({ length: opts.count }, (_, i) => opts.first + i);
  const inputOf = (k) => (opts.inputs ? opts.inputs[k] : generate(opts.seed, k));
  log(`browser-check fuzz: ${opts.inputs ? 'given inputs' : `seed=${opts.seed}`} cases=${caseNos.length}${opts.inputs ? '' : opts.cases ? ` (${opts.cases.join(',')})` : ` (${opts.first}..${opts.first + caseNos.length - 1})`} targets=${targets.map((t) => t.label).join(' ')} browser=${browserVersion}`);
  const findingsFile = path.join(env.outDir, 'fuzz-findings.jsonl');
  const findingsOut = fs.openSync(findingsFile, 'w');
  const classes = new Map(); // key -> { key, target, kind, sig, count, first }
  const lines = [];
  const totals = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
  let failed = false;
  for (const target of targets) {
    const t0 = Date.now();
    const counters = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
    let uniqueOutputs = 0;
    let serialOnly = 0;
    for (let s = 0; s < caseNos.length; s += CHUNK) {
      const chunk = caseNos.slice(s, s + CHUNK);
      const inputs = chunk.map(inputOf);
      const vars = [];
      for (const k of chunk) vars.push(await target.variantOf(k));
      const res = await examine(env, inputs.map((input, j) => ({ sel: vars[j].sel, policy: vars[j].policy, input })));
      uniqueOutputs += new Set(res.filter((r) => r.output !== undefined).map((r) => r.output)).size;
      res.forEach((r, j) => {
        counters.cases++;
        if (r.rejected) counters.rejected++;
        if (r.serialisationOnly) serialOnly++;
        for (const kind of Object.keys(r.found)) {
          counters[kind]++;
          const sig = signature(kind, r.found[kind]);
          const rec = {
            seed: opts.seed, case: chunk[j], target: target.name, ...(target.random ? { policy: vars[j].sel.label } : {}),
            kind, signature: sig, findings: r.found[kind],
            input: inputs[j], output: r.output, output_again: r.output2, browser_a: r.a, browser_b: r.b, browser: browserVersion,
            reproduce: opts.inputs ? `tests/browser/run --input ${JSON.stringify(inputs[j])} --target ${target.name}` : `tests/browser/run --seed ${opts.seed} --case ${chunk[j]} --target ${target.name}`,
          };
          fs.writeSync(findingsOut, JSON.stringify(rec) + '\n');
          const key = `${target.name}\u0000${sig}`;
          const c = classes.get(key);
          if (c) c.count++;
          else classes.set(key, { key, target: target.name, kind, signature: sig, count: 1, first: rec, variant: vars[j] });
        }
      });
    }
    const line = `browser-check fuzz ${target.label} seed=${opts.seed} ${COUNTERS.map((c) => `${c}=${counters[c]}`).join(' ')} unique_outputs=${uniqueOutputs} serialisation_only_diffs=${serialOnly} seconds=${((Date.now() - t0) / 1000).toFixed(1)}`;
    lines.push(line);
    console.log(line);
    for (const c of COUNTERS) totals[c] += counters[c];
    if (counters.cases > 0 && counters.rejected === counters.cases) { log(`browser-check fuzz: FAIL: borax rejected every input under ${target.label}`); failed = true; }
    if (FAILING.some((c) => counters[c] > 0) || (opts.strict && counters.differential > 0)) failed = true;
  }
  fs.closeSync(findingsOut);
  // Classes, the most serious kinds first; the first case of the first few
  // is minimised (a case already minimised for another kind is reused when
  // its minimised form fails this kind too).
  const SEVERITY = ['executed', 'escaped', 'disallowed', 'crashed', 'context_mismatch', 'not_idempotent', 'differential'];
  const list = [...classes.values()].sort((x, y) => SEVERITY.indexOf(x.kind) - SEVERITY.indexOf(y.kind) || y.count - x.count);
  const minStart = Date.now();
  let minimised = 0;
  const done = new Map(); // target/case -> minimised results
  for (const c of list) {
    const ck = `${c.target}/${c.first.case}/${c.first.input}`;
    const prior = (done.get(ck) || []).find((m) => m.found[c.kind]);
    if (prior) { c.minimised = prior; continue; }
    const left = (opts.minimiseTotalSeconds || Infinity) - (Date.now() - minStart) / 1000;
    if (minimised >= opts.minimise || left < 1) continue;
    minimised++;
    try {
      c.minimised = await minimise(env, { kind: c.kind, input: c.first.input, variant: c.variant }, Math.min(opts.minimiseSeconds, left));
      done.set(ck, [...(done.get(ck) || []), c.minimised]);
    } catch (e) {
      c.minimiseError = String(e.message || e).slice(0, 300);
    }
  }
  // Distinct failures: minimised classes with the same input and policy are one.
  const groups = new Map();
  for (const c of list) {
    const m = c.minimised;
    const gk = m ? `${c.target}\u0000${m.policy || ''}\u0000${m.input}` : `${c.target}\u0000unminimised\u0000${c.signature}`;
    if (!groups.has(gk)) groups.set(gk, { target: c.target, m, classes: [] });
    groups.get(gk).classes.push(c);
  }
  const classFile = path.join(env.outDir, 'fuzz-classes.jsonl');
  fs.writeFileSync(classFile, list.map((c) => JSON.stringify({
    target: c.target, kind: c.kind, signature: c.signature, count: c.count, seed: c.first.seed, case: c.first.case,
    policy: c.variant.spec && c.target === 'random' ? renderSpec(c.variant.spec) : undefined,
    input: c.first.input, output: c.first.output, output_again: c.first.output_again, browser_a: c.first.browser_a,
    browser_b: c.first.browser_b, findings: c.first.findings, browser: browserVersion, reproduce: c.first.reproduce,
    minimised: c.minimised || null, minimise_error: c.minimiseError,
  })).join('\n') + (list.length ? '\n' : ''));
  let shownGroups = 0;
  for (const g of opts.quiet ? [] : groups.values()) {
    if (++shownGroups > 30) { log(`  ... ${groups.size - 30} more in ${classFile}`); break; }
    const first = g.classes[0];
    log(`--- fuzz failure ${g.target}: ${g.classes.map((c) => `${c.signature} (${c.count})`).join('; ')}`);
    log(`  first: tests/browser/run --seed ${first.first.seed} --case ${first.first.case} --target ${g.target}`);
    const m = g.m;
    if (m) {
      log(`  minimised input: ${JSON.stringify(m.input)}`);
      log(`  policy:          ${m.policy ? JSON.stringify(m.policy.trim()) : `(${g.target})`}`);
      log(`  output:          ${JSON.stringify(m.output)}`);
      log(`  cleaned again:   ${JSON.stringify(m.output2)}`);
      log(`  browser (a, b):  ${JSON.stringify(m.a)} ${m.b === m.a ? '(same)' : JSON.stringify(m.b)}`);
      for (const c of g.classes) log(`  ${c.kind}: ${(m.found[c.kind] || ['(the minimised case no longer fails alone)'])[0].slice(0, 300)}`);
    } else {
      log(`  input:  ${JSON.stringify(first.first.input).slice(0, 400)}`);
      log(`  output: ${JSON.stringify(first.first.output).slice(0, 400)}`);
      log(`  ${String(first.first.findings[0]).slice(0, 400)}${first.minimiseError ? ` (minimiser: ${first.minimiseError})` : ''}`);
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const total = `browser-check fuzz total seed=${opts.seed} ${COUNTERS.map((c) => `${c}=${totals[c]}`).join(' ')} classes=${list.length} distinct=${groups.size} minimised=${minimised} minimise_seconds=${((Date.now() - minStart) / 1000).toFixed(1)} seconds=${secs}`;
  console.log(total);
  lines.push(total);
  fs.writeFileSync(path.join(env.outDir, 'fuzz-summary.txt'), lines.join('\n') + '\n');
  if (list.length) log(`browser-check fuzz: every failing case in ${findingsFile}, classes (minimised) in ${classFile}`);
  fs.rmSync(env.tmpDir, { recursive: true, force: true });
  return { failed, totals, classes: list };
}

// ---------------------------------------------------------------- regressions

// tests/browser/fuzz-regressions.toml: minimised fuzz failures, replayed by
// the default run. Each [[case]] has `name`, `input`, `policy` (a policy
// file's text) or `preset`, and optionally `known`: a failure still
// expected (the bug is not fixed yet), reported without failing the run; a
// known case that passes is reported so that `known` can go.
async function runRegressions(env, file, opts, log) {
  const TOML = require('smol-toml');
  const t0 = Date.now();
  const doc = TOML.parse(fs.readFileSync(file, 'utf8'));
  const cases = Array.isArray(doc.case) ? doc.case : [];
  const tmp = fs.mkdtempSync(path.join(env.outDir, 'fuzz-reg-'));
  const items = [];
  for (const [i, c] of cases.entries()) {
    const where = `${path.basename(file)} case ${c.name || i}`;
    if (typeof c.input !== 'string' || (typeof c.policy !== 'string') === (typeof c.preset !== 'string')) {
      throw new Error(`${where}: needs input and one of policy, preset`);
    }
    let sel;
    if (c.preset) sel = { key: `preset:${c.preset}`, label: `preset=${c.preset}`, args: ['--preset', c.preset] };
    else {
      const f = path.join(tmp, `case-${i}.toml`);
      fs.writeFileSync(f, c.policy);
      sel = { key: f, label: where, args: ['--policy', f] };
    }
    const raw = await printPolicy(env.policyBin || env.bin, sel);
    if (!raw) throw new Error(`${where}: borax --print-policy json failed`);
    items.push({ sel, policy: normalisePolicy(raw), input: c.input });
  }
  const res = items.length ? await examine(env, items) : [];
  const counters = { cases: cases.length, failing: 0, known_failing: 0, now_passing: 0 };
  let failed = false;
  res.forEach((r, i) => {
    const c = cases[i];
    const kinds = Object.keys(r.found).filter((k) => opts.strict || k !== 'differential');
    if (kinds.length && c.known) {
      counters.known_failing++;
      log(`browser-check fuzz regression ${c.name}: still failing (known: ${c.known}): ${kinds.join(', ')}`);
    } else if (kinds.length) {
      counters.failing++;
      failed = true;
      log(`--- fuzz regression ${c.name} FAILS: ${kinds.join(', ')}\n  input:  ${JSON.stringify(c.input)}\n  output: ${JSON.stringify(r.output)}\n  cleaned again: ${JSON.stringify(r.output2)}\n  browser: ${JSON.stringify(r.a)}\n  ${kinds.map((k) => `${k}: ${String(r.found[k][0]).slice(0, 300)}`).join('\n  ')}`);
    } else if (c.known) {
      counters.now_passing++;
      log(`browser-check fuzz regression ${c.name}: passes now: remove its \`known\` line from ${path.relative(process.cwd(), file)}`);
    }
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`browser-check fuzz regressions ${Object.entries(counters).map(([k, v]) => `${k}=${v}`).join(' ')} seconds=${((Date.now() - t0) / 1000).toFixed(1)}`);
  return { failed, counters };
}

module.exports = { runFuzz, runRegressions, examine, signature, units, ddmin, minimiseInput, cleanRobust, randomSpec, renderSpec, COUNTERS };
