'use strict';
// Seeded tag-soup generator for the fuzz mode (lib/fuzz.js). Case K of seed S
// is generate(S, K): its own PRNG stream, seeded from (S, K), so any case can
// be regenerated alone (`--seed S --case K`) whatever ran before it.
//
// It grows a random tree over every HTML, SVG and MathML name of lib/names.js,
// weighted toward the names the HTML parser treats specially, and writes it as
// tag soup: likely children of the parent (table parts, list items, ruby parts,
// integration points), random casing, attributes (encoding, font's
// color/face/size, javascript: URLs, on* handlers, values holding markup),
// missing, misnested and stray end tags, self-closing syntax, comments and
// bogus comments, CDATA, text with `<` and `&`, markup inside raw-text and
// RCDATA elements, and known XSS payload snippets.
const { HTML, SVG, MATHML, SENSITIVE, CHILDREN, RAWTEXT, RCDATA, ELEMENT_ATTRIBUTES } = require('./names');

// 32-bit FNV-1a of a string, then mulberry32 as the stream.
function hash32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
class Rng {
  constructor(seed, k) {
    const next = mulberry32(hash32(`borax-fuzz/${seed}/${k}`));
    next(); // the first value of a fresh mulberry32 state is poorly mixed
    this.next = next;
  }
  int(n) { return Math.floor(this.next() * n); }
  chance(p) { return this.next() < p; }
  pick(a) { return a[this.int(a.length)]; }
  // [[item, weight], ...]
  weighted(pairs, total) {
    let r = this.next() * total;
    for (const [item, w] of pairs) { r -= w; if (r < 0) return item; }
    return pairs[pairs.length - 1][0];
  }
}

// One pool over the three lists, deduplicated by lowercase name (the parser
// decides the namespace, not the name), keeping SVG's camelCase spelling.
const POOL = (() => {
  const byLower = new Map();
  for (const n of [...HTML, ...SVG, ...MATHML]) {
    const l = n.toLowerCase();
    if (!byLower.has(l) || n !== l) byLower.set(l, n);
  }
  const pairs = [...byLower.values()].map((n) => [n, SENSITIVE[n] || SENSITIVE[n.toLowerCase()] || 1]);
  // unknown and custom elements: the parser treats them as ordinary
  pairs.push(['x', 3], ['x-y', 1], ['foo:bar', 1]);
  return { pairs, total: pairs.reduce((s, p) => s + p[1], 0) };
})();
// The parser-sensitive names alone (the `tree` style draws mostly from here).
const HOT = (() => {
  const pairs = POOL.pairs.filter(([n]) => SENSITIVE[n] || SENSITIVE[n.toLowerCase()] || n === 'x');
  return { pairs, total: pairs.reduce((s, p) => s + p[1], 0) };
})();
const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'image',
  'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

const PAYLOADS = [
  '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '<svg onload=alert(1)>', '<svg><script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>', '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<input autofocus onfocus=alert(1)>', '<details open ontoggle=alert(1)>', '<style>*{color:red}</style>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><set attributeName=href to=javascript:alert(1)>', '<body onload=alert(1)>', '<image src=x onerror=alert(1)>',
  '<video><source onerror=alert(1)></video>', '<object data="javascript:alert(1)">', '<embed src="javascript:alert(1)">',
  '<form><button formaction=javascript:alert(1)>x', '<isindex action=javascript:alert(1) type=image>',
  '<svg><animate attributeName=href values=javascript:alert(1)>', '<marquee onstart=alert(1)>',
  '<xmp><img src=x onerror=alert(1)></xmp>', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><img src=x onerror=alert(1)></template>', '<select><style></style><img src=x onerror=alert(1)>',
];
const TEXTS = [
  'x', 'a', 'y z', ' ', '\n', '1 < 2', 'a & b', '&amp;', '&lt;', '&gt;', '&lt;img src=x onerror=alert(1)&gt;', '&#x3c;',
  '&#60;', '&notin;', '&not', '&ampx', '&#0;', '&#x110000;', '<', '< p', '<3', '&', '-->', '<!--', ']]>',
  '</', '<//', '\u00a0', '\t', '"', "'", '`', '=', '\r\n', '\ufeff', '\u2028', 'javascript:alert(1)',
];
const COMMENTS = [
  '<!--x-->', '<!---->', '<!-->', '<!--->', '<!--<img src=x onerror=alert(1)>-->', '<!-- </style><img src=x onerror=alert(1)> -->',
  '<!--!>', '<!--a--!>', '<!--a--!><img src=x onerror=alert(1)>-->', '<?x>', '<?xml y?>', '<!x>', '<!DOCTYPE html>',
  '<![CDATA[x]]>', '<![CDATA[<img src=x onerror=alert(1)>]]>', '<![CDATA[</svg><img src=x onerror=alert(1)>]]>',
  '</ x>', '</>', '<!--<!-->', '<!-- -- -->', '<!--', '<!--</title><img src=x onerror=alert(1)>-->',
];
// Values for attributes, by name; OTHER for the rest.
const URLS = ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'jav&#x09;ascript:alert(1)',
  'java\tscript:alert(1)', 'http://x/', 'https://x/y', 'mailto:a@b', '#x', 'x', '/x', '//x/y', 'data:text/html,<script>alert(1)</script>',
  'vbscript:x', '&#106;avascript:alert(1)', ''];
const VALUES = {
  encoding: ['text/html', 'TEXT/HTML', 'application/xhtml+xml', 'Application/XHTML+XML', 'image/svg+xml', 'text/html ', 'text/plain', ''],
  color: ['red', '#fff', ''], face: ['Arial', 'x'], size: ['1', '+2', '7'],
  attributeName: ['href', 'xlink:href', 'HREF', 'onclick', 'fill', 'x'],
  to: URLS, from: URLS, values: ['javascript:alert(1)', 'x;javascript:alert(1)', '0;1'],
  type: ['text', 'image', 'hidden', 'submit', 'button', 'checkbox', 'text/html'],
  open: [''], selected: [''], checked: [''], hidden: [''], autofocus: [''],
  xmlns: ['http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg', 'http://www.w3.org/1998/Math/MathML', 'x'],
  shadowrootmode: ['open', 'closed'],
  dir: ['rtl', 'ltr', 'auto'],
};
const OTHER_VALUES = ['x', 'a b', '1', '', '</style><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>", '-->', '<!--', '</title>', '&amp;', '&quot;', '&', '<', '`', 'x\ny', 'ab\u00a0'];
const URL_ATTRS = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'cite', 'poster', 'data', 'background', 'definitionURL']);
const COMMON_ATTRS = ['id', 'class', 'title', 'name', 'href', 'src', 'onerror', 'onload', 'onclick', 'onfocus', 'style',
  'encoding', 'color', 'face', 'size', 'xlink:href', 'xmlns', 'open', 'type', 'value', 'form', 'lang', 'dir',
  'data-x', 'attributeName', 'to', 'is', 'slot', 'srcdoc', 'definitionURL', 'xml:lang', 'xmlns:xlink'];

function attrsFor(rng, name) {
  const lower = name.toLowerCase();
  let n = rng.weighted([[0, 55], [1, 28], [2, 11], [3, 4], [4, 2]], 100);
  if (lower === 'annotation-xml' && rng.chance(0.6)) n = Math.max(n, 1);
  if (lower === 'font' && rng.chance(0.4)) n = Math.max(n, 1);
  const own = [];
  for (const ns of ['html', 'svg', 'math']) {
    const t = ELEMENT_ATTRIBUTES[ns];
    for (const k of Object.keys(t)) if (k.toLowerCase() === lower) own.push(...t[k]);
  }
  if (lower === 'annotation-xml') own.push('encoding', 'encoding', 'encoding');
  if (lower === 'font') own.push('color', 'face', 'size');
  let s = '';
  for (let i = 0; i < n; i++) {
    const a = own.length && rng.chance(0.55) ? rng.pick(own) : rng.pick(COMMON_ATTRS);
    let v;
    if (URL_ATTRS.has(a)) v = rng.pick(URLS);
    else if (/^on/.test(a)) v = rng.pick(['alert(1)', 'alert`1`', 'x']);
    else if (VALUES[a]) v = rng.pick(VALUES[a]);
    else v = rng.pick(OTHER_VALUES);
    const spelt = rng.chance(0.1) ? a.toUpperCase() : a;
    const q = rng.weighted([['"', 60], ["'", 15], ['', 20], [null, 5]], 100);
    if (q === null && v === '') s += ` ${spelt}`;
    else if (q === '' && v !== '' && !/[\s"'=<>`]/.test(v)) s += ` ${spelt}=${v}`;
    else if (q === "'" && !v.includes("'")) s += ` ${spelt}='${v}'`;
    else s += ` ${spelt}="${v.replace(/"/g, '&quot;')}"`;
  }
  return s;
}

function casing(rng, name) {
  const r = rng.next();
  if (r < 0.07) return name.toUpperCase();
  if (r < 0.12) return name.toLowerCase();
  if (r < 0.14) return name[0].toUpperCase() + name.slice(1);
  return name;
}

// Content of a raw-text or RCDATA element (in HTML it is text; in SVG or
// MathML the same bytes are markup).
function rawContent(rng, name) {
  const bits = [];
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    bits.push(rng.pick([
      'x', '*{}', '<img src=x onerror=alert(1)>', `</${name}>`, `</${name}><img src=x onerror=alert(1)>`, '<!--', '-->',
      `<!--</${name}><img src=x onerror=alert(1)>-->`, '&lt;', '&amp;', '<b>', '</p>', '<svg onload=alert(1)>',
      `<${name}>`, '<![CDATA[', ']]>', `</${name.toUpperCase()} >`, '@import "x";', '<a title="</' + name + '>">',
    ]));
  }
  return bits.join('');
}

// Wrappers put around a child now and then: names no policy allows (unknown
// or custom elements, which borax unwraps) and a few borax always drops or
// unwraps, so that the cleaned tree differs from the parsed one there.
const WRAPPERS = [['x', 6], ['x-y', 2], ['span', 2], ['font', 2], ['select', 1], ['template', 1], ['noscript', 1], ['object', 1], ['textarea', 1], ['title', 1], ['style', 1], ['mrow', 1], ['g', 1], ['foo:bar', 1]];
const WRAPPERS_TOTAL = WRAPPERS.reduce((s, p) => s + p[1], 0);

// Generates case k of seed `seed`. Three styles, picked per case:
//   tree  (45%): mostly elements, end tags mostly in place, likely children
//                preferred, now and then a wrapper the policy drops;
//   soup  (40%): anything anywhere: stray and misnested end tags, comments,
//                payloads, text;
//   small (15%): a handful of elements, densely nested.
function generate(seed, k) {
  const rng = new Rng(seed, k);
  const style = rng.weighted([['tree', 35], ['foreign', 20], ['soup', 30], ['small', 15]], 100);
  const P = {
    tree: { elem: 0.72, text: 0.12, comment: 0.02, endTag: 0.05, payload: 0.02, kids: 0.65, hot: 0.8, wrap: 0.22, close: 0.85, raw: 0.5, budget: 30 },
    soup: { elem: 0.5, text: 0.18, comment: 0.07, endTag: 0.12, payload: 0.05, kids: 0.45, hot: 0.3, wrap: 0.08, close: 0.65, raw: 0.6, budget: 45 },
    foreign: { elem: 0.75, text: 0.1, comment: 0.04, endTag: 0.05, payload: 0.02, kids: 0.8, hot: 0.85, wrap: 0.2, close: 0.8, raw: 0.7, budget: 20 },
    small: { elem: 0.8, text: 0.1, comment: 0.02, endTag: 0.05, payload: 0.01, kids: 0.6, hot: 0.7, wrap: 0.25, close: 0.75, raw: 0.5, budget: 8 },
  }[style];
  const out = [];
  let budget = 2 + rng.int(P.budget) + (rng.chance(0.1) ? rng.int(40) : 0); // elements and other items
  const maxDepth = 3 + rng.int(style === 'small' ? 6 : 10);
  const stack = []; // names (as spelt) of open elements, for misnested end tags

  function item(depth, parent) {
    budget--;
    let r = rng.next();
    if (depth >= maxDepth) r = P.elem + rng.next() * (1 - P.elem); // no element this deep
    if (r < P.elem) return element(depth, parent);
    r -= P.elem;
    if (r < P.text) { out.push(rng.pick(TEXTS)); return; }
    r -= P.text;
    if (r < P.comment) { out.push(rng.pick(COMMENTS)); return; }
    r -= P.comment;
    if (r < P.endTag) {
      // stray or misnested end tag
      const name = stack.length && rng.chance(0.6) ? rng.pick(stack) : rng.weighted(POOL.pairs, POOL.total);
      out.push(`</${casing(rng, name)}>`);
      return;
    }
    r -= P.endTag;
    if (r < P.payload) { out.push(rng.pick(PAYLOADS)); return; }
    out.push(rng.pick(TEXTS));
  }

  function element(depth, parent, forced) {
    if (!forced && rng.chance(P.wrap)) {
      // a wrapper around one element: <x><child></child></x>
      const w = rng.weighted(WRAPPERS, WRAPPERS_TOTAL);
      out.push(`<${w}>`);
      stack.push(w);
      element(depth + 1, parent);
      stack.pop();
      if (rng.chance(P.close)) out.push(`</${w}>`);
      return;
    }
    const kids = parent && CHILDREN[parent.toLowerCase()];
    const pool = rng.chance(P.hot) ? HOT : POOL;
    const name = forced || (kids && rng.chance(P.kids) ? rng.pick(kids) : rng.weighted(pool.pairs, pool.total));
    const lower = name.toLowerCase();
    const spelt = casing(rng, name);
    const selfClosing = rng.chance(0.05);
    out.push(`<${spelt}${attrsFor(rng, name)}${selfClosing ? ' /' : ''}>`);
    if (VOID.has(lower) && rng.chance(0.9)) return;
    if (lower === 'plaintext' && rng.chance(0.5)) { out.push(rawContent(rng, 'plaintext')); return; }
    stack.push(spelt);
    if ((RAWTEXT.has(lower) || RCDATA.has(lower)) && rng.chance(P.raw)) {
      out.push(rawContent(rng, spelt));
    } else {
      const n = rng.weighted([[0, 12], [1, 38], [2, 25], [3, 15], [4, 10]], 100);
      for (let i = 0; i < n && budget > 0; i++) item(depth + 1, lower);
    }
    stack.pop();
    const e = rng.next();
    if (e < P.close) out.push(`</${rng.chance(0.05) ? spelt.toUpperCase() : spelt}>`);
    else if (e < P.close + (1 - P.close) * 0.4 && stack.length) out.push(`</${rng.pick(stack)}>`); // misnested: closes an ancestor first
    else if (e < P.close + (1 - P.close) * 0.5) out.push(`</${spelt} x="y">`);
    // else: left open
  }

  if (style === 'foreign') {
    // a chain into foreign content first: <svg>/<math>, maybe inside HTML
    const root = rng.pick(['svg', 'math']);
    if (rng.chance(0.25)) {
      // inside an HTML element that matters to the parser
      const outer = rng.pick(['p', 'li', 'table', 'a', 'b', 'form', 'dd', 'ruby', 'button', 'nobr', 'h1', 'select', 'caption', 'td']);
      out.push(`<${outer}>`);
      element(1, outer, root);
      if (rng.chance(0.7)) out.push(`</${outer}>`);
    } else element(0, null, root);
  }
  while (budget > 0) item(0, null);
  return out.join('');
}

module.exports = { generate, Rng, hash32 };
