// Installed with page.addInitScript before any content of every frame.
// Everything here records; nothing here is content. A record carries the id
// of the container ("aN" written into the page source, "bN" set through
// innerHTML) whose content triggered it, when that can be told.
(() => {
  'use strict';
  if (window.__xss) return;
  const records = [];
  Object.defineProperty(window, '__xss', { value: records, configurable: false, writable: false });
  let send = window.__bxReport;
  const isCase = (n) => n && n.nodeType === 1 && n.classList && n.classList.contains('c') && /^[ab]\d+$/.test(n.id);
  function caseOf(node) {
    try {
      for (let n = node; n; n = n.parentNode || n.host) if (isCase(n)) return n.id;
    } catch (e) {}
    return null;
  }
  function where(target) {
    let c = null;
    try { if (!c && target) c = caseOf(target); } catch (e) {}
    try { if (!c && document.currentScript) c = caseOf(document.currentScript); } catch (e) {}
    try { if (!c && window.event && window.event.target) c = caseOf(window.event.target); } catch (e) {}
    try { if (!c && window.frameElement) c = caseOf(window.frameElement); } catch (e) {}
    return c;
  }
  function record(kind, detail, target) {
    const r = {
      kind,
      detail: String(detail === undefined ? '' : detail).slice(0, 300),
      case: where(target),
      top: window === window.top,
      url: String(location.href).slice(0, 200),
    };
    records.push(r);
    try {
      if (typeof send !== 'function') send = window.__bxReport;
      if (typeof send === 'function') send(r);
    } catch (e) {}
  }
  const trap = (obj, name, kind) => {
    try {
      const f = function (...args) { record(kind || name, args.map(String).join(' ')); return undefined; };
      Object.defineProperty(obj, name, { value: f, configurable: true, writable: true });
    } catch (e) {}
  };
  for (const n of ['alert', 'confirm', 'prompt', 'print', 'open', 'fetch', 'postMessage']) trap(window, n);
  try { trap(Navigator.prototype, 'sendBeacon'); } catch (e) {}
  try { trap(XMLHttpRequest.prototype, 'open', 'xhr'); trap(XMLHttpRequest.prototype, 'send', 'xhr'); } catch (e) {}
  for (const C of ['WebSocket', 'EventSource', 'Worker', 'SharedWorker']) {
    try {
      window[C] = function (...args) { record(C, args.map(String).join(' ')); };
    } catch (e) {}
  }
  try {
    const w = Document.prototype.write;
    Document.prototype.write = function (...a) { record('document.write', a.join('')); };
    Document.prototype.writeln = function (...a) { record('document.write', a.join('')); };
    void w;
  } catch (e) {}
  // Script errors (not resource errors: those are plain Events, not ErrorEvents).
  window.addEventListener('error', (e) => { if (e instanceof ErrorEvent) record('error', e.message); }, true);
  // The page is served with Content-Security-Policy-Report-Only: script-src 'none'.
  // Playwright's own scripts run through the DevTools protocol and are exempt, so
  // every report is content script: an inline <script>, an external one, an inline
  // event handler, a javascript: URL, eval.
  document.addEventListener('securitypolicyviolation', (e) => {
    record('csp:' + e.effectiveDirective, (e.sample || e.blockedURI || '') + ' @' + (e.target && e.target.nodeName), e.target);
  }, true);
  window.addEventListener('beforeunload', () => record('beforeunload', ''), true);
  try {
    if (window.navigation) {
      window.navigation.addEventListener('navigate', (e) => {
        record('navigate', e.destination && e.destination.url);
        try { if (e.cancelable) e.preventDefault(); } catch (err) {}
      });
    }
  } catch (e) {}
})();
