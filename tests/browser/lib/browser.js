'use strict';
// One headless Chromium session for the browser check and the fuzz mode: a
// loopback page server, the script traps of traps.browser.js in every frame,
// and checkBatch(), which loads a batch of outputs in both contexts and walks
// them (see README "How it works").
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { chromium } = require('playwright-core');
const { fillInnerHtml, walkCases } = require('./walk');

const CHROMIUM = '/usr/bin/chromium';

function pageHtml(outputs) {
  // No whitespace anywhere in <body>: any node between containers is an escape.
  return '<!DOCTYPE html><html><head><meta charset="utf-8"><title>borax browser check</title></head><body>'
    + outputs.map((o, i) => `<div class="c" id="a${i}">${o}</div>`).join('')
    + '</body></html>';
}

async function startBrowser({ settleMs = 300 } = {}) {
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
  await context.addInitScript({ path: path.join(__dirname, 'traps.browser.js') });
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
  // `policy` is the normalised policy of every output, or an array with one
  // per output. `settle` overrides the settle time (0: nothing asynchronous
  // is looked for, as when only the tree matters).
  async function checkBatch(outputs, policy, budget, settle = settleMs) {
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
      if (settle > 0) await page.waitForTimeout(settle);
      if (page.url() !== url) records.push({ kind: 'navigation', detail: page.url(), case: null });
      results = await page.evaluate(walkCases, Array.isArray(policy) ? { n: outputs.length, policies: policy } : { n: outputs.length, policy });
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
      const pol = (a, b) => (Array.isArray(policy) ? policy.slice(a, b) : policy);
      return [...(await checkBatch(outputs.slice(0, mid), pol(0, mid), budget, settle)),
        ...(await checkBatch(outputs.slice(mid), pol(mid), budget, settle))];
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

  async function version() {
    await openPage();
    return page.evaluate(() => navigator.userAgent).then((ua) => (/(?:Headless)?Chrom(?:e|ium)\/[\d.]+/.exec(ua) || [ua])[0]);
  }

  async function close() {
    await context.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }

  return { checkBatch, version, close };
}

module.exports = { startBrowser, pageHtml };
