'use strict';
// Compares two HTML serialisations token by token, so that the escaping
// choices of two serialisers (html5ever's / borax's and the browser's) do not
// count, while any difference in tree shape does. Both strings are expected to
// be serialiser output: every attribute value quoted, `<` escaped in text
// except inside raw-text elements.

const RAW = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript']);
const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(s) {
  return s.replace(/&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));/g, (m, hex, dec, name) => {
    if (hex || dec) {
      const cp = hex ? parseInt(hex, 16) : parseInt(dec, 10);
      const bad = !(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff);
      return bad ? '\ufffd' : String.fromCodePoint(cp);
    }
    return Object.prototype.hasOwnProperty.call(NAMED, name) ? NAMED[name] : m;
  });
}

// asParserInput: read `s` as a parser would (a newline right after <pre>,
// <listing> or <textarea> is dropped), not as a dump of a DOM. Browsers'
// innerHTML no longer writes that extra newline (whatwg/html#944), html5ever's
// and borax's serialisers do, so the same tree gives "<pre>\nx" in the browser
// and "<pre>\n\nx" from borax.
function tokenize(s, asParserInput) {
  let dropNewline = false;
  const out = [];
  let i = 0;
  let raw = null; // open raw-text element (HTML namespace only)
  // Open elements as [name, namespace of their children], to know whether a
  // <style> etc. is an HTML raw-text element or a foreign one.
  const stack = [];
  const childNs = () => (stack.length ? stack[stack.length - 1][1] : 'html');
  const text = (t) => {
    if (dropNewline && t.startsWith('\n')) t = t.slice(1);
    dropNewline = false;
    if (t === '') return;
    const last = out[out.length - 1];
    if (last && last[0] === 'text') last[1] += t;
    else out.push(['text', t]);
  };
  while (i < s.length) {
    if (raw) {
      const idx = raw === 'plaintext' ? -1 : s.toLowerCase().indexOf('</' + raw, i);
      const end = idx < 0 ? s.length : idx;
      text(s.slice(i, end));
      i = end;
      raw = null;
      continue;
    }
    if (s[i] === '<') dropNewline = false;
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      out.push(['comment', s.slice(i + 4, e < 0 ? s.length : e)]);
      i = e < 0 ? s.length : e + 3;
      continue;
    }
    if (s.startsWith('</', i) && /[A-Za-z]/.test(s[i + 2] || '')) {
      const e = s.indexOf('>', i);
      const name = s.slice(i + 2, e < 0 ? s.length : e);
      out.push(['end', name]);
      for (let k = stack.length - 1; k >= 0; k--) {
        if (stack[k][0] === name.toLowerCase()) { stack.length = k; break; }
      }
      i = e < 0 ? s.length : e + 1;
      continue;
    }
    if (s[i] === '<' && /[A-Za-z]/.test(s[i + 1] || '')) {
      let j = i + 1;
      while (j < s.length && !/[\s/>]/.test(s[j])) j++;
      const name = s.slice(i + 1, j);
      const attrs = [];
      for (;;) {
        while (j < s.length && /[\s/]/.test(s[j])) j++;
        if (j >= s.length || s[j] === '>') break;
        let k = j;
        while (k < s.length && !/[\s=>]/.test(s[k])) k++;
        const an = s.slice(j, k);
        let av = '';
        j = k;
        if (s[j] === '=') {
          j++;
          const q = s[j];
          if (q === '"' || q === "'") {
            const e = s.indexOf(q, j + 1);
            av = s.slice(j + 1, e < 0 ? s.length : e);
            j = e < 0 ? s.length : e + 1;
          } else {
            let e = j;
            while (e < s.length && !/[\s>]/.test(s[e])) e++;
            av = s.slice(j, e);
            j = e;
          }
        }
        attrs.push([an, decode(av)]);
      }
      out.push(['start', name, attrs]);
      i = j + 1;
      const lname = name.toLowerCase();
      dropNewline = !!asParserInput && childNs() === 'html' && (lname === 'pre' || lname === 'listing' || lname === 'textarea');
      const ns = childNs();
      if (ns === 'html' && VOID.has(lname)) continue;
      let inner = ns;
      if (ns === 'html' && lname === 'svg') inner = 'svg';
      else if (ns === 'html' && lname === 'math') inner = 'math';
      else if (ns === 'svg' && (lname === 'foreignobject' || lname === 'desc' || lname === 'title')) inner = 'html';
      else if (ns === 'math' && /^(mi|mo|mn|ms|mtext)$/.test(lname)) inner = 'html';
      else if (ns === 'math' && lname === 'annotation-xml') {
        const enc = (attrs.find((x) => x[0].toLowerCase() === 'encoding') || [0, ''])[1].toLowerCase();
        if (enc === 'text/html' || enc === 'application/xhtml+xml') inner = 'html';
      }
      stack.push([lname, inner]);
      if (ns === 'html' && RAW.has(lname)) raw = lname;
      continue;
    }
    let e = s.indexOf('<', i + 1);
    if (s[i] !== '<' && e < 0) e = s.length;
    if (s[i] === '<') {
      // a lone '<' in text (not escaped): keep it as text
      e = s.indexOf('<', i + 1);
      if (e < 0) e = s.length;
    }
    text(decode(s.slice(i, e)));
    i = e;
  }
  // Exclusive accordions: of the <details> sharing a `name` in one document the
  // browser keeps one open, and the check's page holds every output twice (and
  // other cases beside it), so `open` on a named <details> says nothing about
  // the parse.
  for (const t of out) {
    if (t[0] === 'start' && t[1].toLowerCase() === 'details' && t[2].some((x) => x[0].toLowerCase() === 'name')) {
      t[2] = t[2].filter((x) => x[0].toLowerCase() !== 'open');
    }
  }
  return out;
}

// Two browser serialisations (DOM dumps) of the same tree: true when equal as
// token streams.
function sameDump(x, y) {
  return x === y || JSON.stringify(tokenize(x, false)) === JSON.stringify(tokenize(y, false));
}

// null when equal as token streams; otherwise a short description of the
// first difference.
function compare(browser, expected) {
  const a = tokenize(browser, false);
  const b = tokenize(expected, true);
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) return `token ${i}: browser ${x === undefined ? '(end)' : x.slice(0, 200)} vs output ${y === undefined ? '(end)' : y.slice(0, 200)}`;
  }
  return null;
}

module.exports = { tokenize, compare, decode, sameDump };
