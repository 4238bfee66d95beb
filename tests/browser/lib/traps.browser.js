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
  // Content can clobber properties through named form controls (a form's
  // `parentNode` can be an <input>): use the prototypes' own getters only.
  const G = (proto, name) => { const d = Object.getOwnPropertyDescriptor(proto, name); return (o) => d.get.call(o); };
  const parentNodeOf = G(Node.prototype, 'parentNode');
  const nodeTypeOf = G(Node.prototype, 'nodeType');
  const hostOf = G(ShadowRoot.prototype, 'host');
  const getAttr = Element.prototype.getAttribute;
  const hasAttr = Element.prototype.hasAttribute;
  const localNameOf = G(Element.prototype, 'localName');
  const isCase = (n) => nodeTypeOf(n) === 1 && localNameOf(n) === 'div' && getAttr.call(n, 'class') === 'c' && /^[ab]\d+$/.test(getAttr.call(n, 'id') || '');
  function caseOf(node) {
    try {
      for (let n = node, k = 0; n && k < 100000; k++) {
        if (isCase(n)) return getAttr.call(n, 'id');
        const t = nodeTypeOf(n);
        n = t === 11 && n instanceof ShadowRoot ? hostOf(n) : parentNodeOf(n);
      }
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
  for (const n of ['alert', 'confirm', 'prompt', 'print', 'open', 'close', 'stop', 'fetch', 'postMessage']) trap(window, n);
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
  // every report is content script: an inline or external <script>, a
  // javascript: URL, eval. (Chromium reports script-src-attr when an on*
  // attribute is *set*, not when it runs: that is left to the handler check
  // below and to the policy walk.)
  document.addEventListener('securitypolicyviolation', (e) => {
    if (e.effectiveDirective === 'script-src-attr') return;
    record('csp:' + e.effectiveDirective, (e.sample || e.blockedURI || '') + ' @' + (e.target && e.target.nodeName), e.target);
  }, true);
  // Inline event handlers that fire: for every event type, a capture listener
  // on window looks along the event path for an element whose on<type>
  // attribute is about to run.
  const types = new Set(['begin', 'end', 'repeat', 'DOMContentLoaded', 'DOMActivate', 'DOMFocusIn', 'DOMFocusOut']);
  for (const proto of [HTMLElement.prototype, SVGElement.prototype, Element.prototype, Document.prototype, Window.prototype]) {
    for (const k of Object.getOwnPropertyNames(proto)) if (k.startsWith('on')) types.add(k.slice(2));
  }
  const handlerFor = (el, type) => {
    try { return nodeTypeOf(el) === 1 && hasAttr.call(el, 'on' + type); } catch (e) { return false; }
  };
  for (const type of types) {
    window.addEventListener(type, (e) => {
      let path = [];
      try { path = e.composedPath(); } catch (err) {}
      const targets = e.bubbles ? path : path.slice(0, 1);
      for (const el of targets) {
        if (handlerFor(el, type)) record('handler', `on${type} on <${localNameOf(el)}>: ${String(getAttr.call(el, 'on' + type)).slice(0, 120)}`, el);
      }
    }, true);
  }
  try {
    if (window.navigation) {
      window.navigation.addEventListener('navigate', (e) => {
        record('navigate', e.destination && e.destination.url);
        try { if (e.cancelable) e.preventDefault(); } catch (err) {}
      });
    }
  } catch (e) {}
})();
