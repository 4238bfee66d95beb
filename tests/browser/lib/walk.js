'use strict';
// Functions that run inside the page (serialised by Playwright). They must not
// refer to anything outside themselves.

// Context (b): one fresh container per case, filled through innerHTML, in a
// holder appended after the source containers.
function fillInnerHtml(outputs) {
  // Content can clobber document.body, form.attributes, ... through named
  // properties: read everything through the prototypes' own getters.
  const G = (proto, name) => { const d = Object.getOwnPropertyDescriptor(proto, name); return (o) => d.get.call(o); };
  const M = (proto, name) => { const f = proto[name]; return (o, ...a) => f.apply(o, a); };
  const create = M(Document.prototype, 'createElement');
  const append = M(Node.prototype, 'appendChild');
  const setAttr = M(Element.prototype, 'setAttribute');
  const setInner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML').set;
  const body = G(Document.prototype, 'body')(document);
  const holder = create(document, 'div');
  setAttr(holder, 'id', 'holder');
  append(body, holder);
  outputs.forEach((out, i) => {
    const d = create(document, 'div');
    setAttr(d, 'class', 'c');
    setAttr(d, 'id', 'b' + i);
    append(holder, d);
    setInner.call(d, out);
  });
  return true;
}

// Walks every container and reports, per case:
//   a, b: container.innerHTML in contexts (a) and (b)
//   disallowed: [{ctx, what}] elements/attributes/URLs/comments the policy does not allow
//   escaped: [what] content that left its container
//   policies: one normalised policy per case instead of `policy` for all
function walkCases({ n, policy, policies }) {
  // Content can clobber document.body, form.attributes, ... through named
  // properties: read everything through the prototypes' own getters.
  const G = (proto, name) => { const d = Object.getOwnPropertyDescriptor(proto, name); return (o) => d.get.call(o); };
  const M = (proto, name) => { const f = proto[name]; return (o, ...a) => f.apply(o, a); };
  const childNodes = (o) => Array.from(G(Node.prototype, 'childNodes')(o));
  const nodeType = G(Node.prototype, 'nodeType');
  const nodeName = G(Node.prototype, 'nodeName');
  const parentNode = G(Node.prototype, 'parentNode');
  const nextSibling = G(Node.prototype, 'nextSibling');
  const textContent = G(Node.prototype, 'textContent');
  const nsURI = G(Element.prototype, 'namespaceURI');
  const localName = G(Element.prototype, 'localName');
  const attributes = (o) => Array.from(G(Element.prototype, 'attributes')(o));
  const attrName = G(Attr.prototype, 'name');
  const attrValue = G(Attr.prototype, 'value');
  const getAttr = M(Element.prototype, 'getAttribute');
  const idOf = (o) => getAttr(o, 'id');
  const classOf = (o) => getAttr(o, 'class') || '';
  const shadowRoot = G(Element.prototype, 'shadowRoot');
  const innerHTML = G(Element.prototype, 'innerHTML');
  const outerHTML = G(Element.prototype, 'outerHTML');
  const templateContent = G(HTMLTemplateElement.prototype, 'content');
  const commentData = G(CharacterData.prototype, 'data');
  const getById = M(Document.prototype, 'getElementById');
  const byId = (id) => getById(document, id);
  const docEl = G(Document.prototype, 'documentElement')(document);
  const body = G(Document.prototype, 'body')(document);
  const head = G(Document.prototype, 'head')(document);
  const isContainer = (p, re) => nodeType(p) === 1 && localName(p) === 'div' && classOf(p) === 'c' && re.test(idOf(p) || '');
  const NS = {
    'http://www.w3.org/1999/xhtml': 'html',
    'http://www.w3.org/2000/svg': 'svg',
    'http://www.w3.org/1998/Math/MathML': 'math',
  };
  const URL_ATTRS = new Set([
    'href', 'src', 'cite', 'action', 'formaction', 'poster', 'background', 'data', 'ping',
    'srcset', 'imagesrcset', 'xlink:href', 'longdesc', 'usemap', 'manifest', 'codebase', 'icon',
    'lowsrc', 'dynsrc', 'archive', 'classid', 'profile', 'itemtype', 'itemid',
  ]);
  // The walk reads these per case (setPolicy) when `policies` is given.
  let elements; let globals; let schemes; let classes;
  function setPolicy(p) {
    policy = p;
    elements = new Map(Object.entries(policy.elements).map(([k, v]) => [k, new Set(v)]));
    globals = new Set(policy.attributes);
    schemes = new Set(policy.urlSchemes);
    classes = policy.classes ? new Set(policy.classes) : null;
  }
  // CSS in style attributes: the element's declarations (el.style, what
  // Chromium parsed) may only hold allowed properties, a shorthand's
  // longhands counting as allowed with it; found by setting each allowed
  // property to `initial` on a probe element and reading what it became.
  const styleGetter = (el) => {
    for (let o = Object.getPrototypeOf(el); o; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, 'style');
      if (d && d.get) return d.get.call(el);
    }
    return null;
  };
  const cssLength = G(CSSStyleDeclaration.prototype, 'length');
  const cssItem = M(CSSStyleDeclaration.prototype, 'item');
  const cssValue = M(CSSStyleDeclaration.prototype, 'getPropertyValue');
  const cssSet = M(CSSStyleDeclaration.prototype, 'setProperty');
  const cssTextSet = Object.getOwnPropertyDescriptor(CSSStyleDeclaration.prototype, 'cssText').set;
  const probe = M(Document.prototype, 'createElement')(document, 'div');
  const expanded = new Map();
  function allowedCss(list) {
    const key = list.join(',');
    let set = expanded.get(key);
    if (set) return set;
    set = new Set(list);
    const st = styleGetter(probe);
    for (const p of list) {
      cssTextSet.call(st, '');
      cssSet(st, p, 'initial');
      for (let k = 0; k < cssLength(st); k++) set.add(cssItem(st, k));
    }
    cssTextSet.call(st, '');
    expanded.set(key, set);
    return set;
  }
  function styleFindings(el, ns, local, realLocal, res, ctx) {
    const st = styleGetter(el);
    if (!st) return;
    const sp = policy.styleProperties || {};
    const list = [...(sp['*'] || []), ...(sp[`${ns}:${local}`] || [])];
    const allowed = allowedCss(list);
    const cssSchemes = schemesFor(local, 'style');
    for (let k = 0; k < cssLength(st); k++) {
      const name = cssItem(st, k);
      if (!allowed.has(name)) {
        res.disallowed.push({ ctx, what: `CSS property ${name} in style on <${realLocal}> (allowed: ${list.join(' ') || 'none'})` });
        continue;
      }
      const value = cssValue(st, name);
      const keywords = (policy.stylePropertyValues || {})[name];
      if (keywords) {
        for (const t of value.split(/\s+/)) {
          if (t !== '' && !keywords.includes(t.toLowerCase())) res.disallowed.push({ ctx, what: `CSS ${name}: ${JSON.stringify(value)} on <${realLocal}> (keywords: ${keywords.join(' ')})` });
        }
      }
      for (const m of value.matchAll(/url\("((?:[^"\\]|\\.)*)"\)/g)) {
        const u = m[1].replace(/\\(.)/g, '$1');
        const bad = judgeUrl(u, cssSchemes);
        if (bad) res.disallowed.push({ ctx, what: `${bad} in CSS ${name} on <${realLocal}>` });
      }
    }
  }
  setPolicy(policies ? policies[0] : policy);
  const results = [];
  for (let i = 0; i < n; i++) results.push({ a: null, b: null, disallowed: [], escaped: [] });

  function urlValues(el, name, value) {
    if (name === 'srcset' || name === 'imagesrcset') {
      return value.split(/,(?=\s|$)|,(?=[^\s])/).map((c) => c.trim().split(/\s+/)[0]).filter((c) => c !== '');
    }
    if (name === 'ping') return value.split(/[\t\n\f\r ]+/).filter((c) => c !== '');
    if (name === 'archive') return value.split(/[\s,]+/).filter((c) => c !== '');
    return [value];
  }
  function schemesFor(local, name) {
    const rule = policy.attributeUrlSchemes.find((r) => (r.element === local || r.element === '*') && r.attribute === name);
    return rule ? new Set(rule.schemes) : schemes;
  }
  // absoluteOnly: judge only values with a scheme of their own (animation
  // values aimed at something other than href: "red", "0;1" pass).
  function judgeUrl(v, allowedSchemes, absoluteOnly) {
    const s = v.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
    if (s === '') return null;
    let u = null;
    try { u = new URL(s); } catch (e) { u = null; }
    if (u === null) {
      if (absoluteOnly) return null;
      // No scheme of its own: resolves against the page's http: base.
      if (policy.relativeUrls !== 'pass') return `relative URL ${JSON.stringify(v)} (relativeUrls=${policy.relativeUrls})`;
      return null;
    }
    const scheme = u.protocol.slice(0, -1).toLowerCase();
    if (!allowedSchemes.has(scheme)) return `URL scheme ${scheme}: ${JSON.stringify(v).slice(0, 120)}`;
    return null;
  }
  // SVG animation elements and their value attributes (SMIL).
  const ANIMATIONS = new Set(['set', 'animate', 'animatetransform', 'animatemotion', 'animatecolor']);
  const ANIM_VALUES = new Set(['to', 'from', 'values', 'by']);
  const animTarget = (el) => getAttr(el, 'attributeName') || '';
  // Lenient on purpose: " HREF " counts as href.
  const isUrlTarget = (t) => {
    const x = t.trim().toLowerCase();
    return x === 'href' || x === 'xlink:href' || URL_ATTRS.has(x) || x.endsWith(':href');
  };
  const parentLocal = (el) => { const p = parentNode(el); return p && nodeType(p) === 1 ? localName(p).toLowerCase() : ''; };
  // The animated (current) value of an SVG element's href, which is what a
  // click follows: SMIL can change it while the attribute stays as written.
  const animatedHref = (el) => {
    for (let o = Object.getPrototypeOf(el); o && o !== Element.prototype; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, 'href');
      if (d && d.get) {
        const v = d.get.call(el);
        return v instanceof SVGAnimatedString ? animVal(v) : null;
      }
    }
    return null;
  };
  const animVal = G(SVGAnimatedString.prototype, 'animVal');
  function walk(container, ctx, res) {
    const stack = childNodes(container).reverse();
    while (stack.length) {
      const node = stack.pop();
      const push = (list) => { for (let k = list.length - 1; k >= 0; k--) stack.push(list[k]); };
      const type = nodeType(node);
      if (type === 1) {
        const el = node;
        const ns = NS[nsURI(el)] || String(nsURI(el));
        const realLocal = localName(el);
        const local = realLocal.toLowerCase();
        const allowed = elements.get(ns + ':' + local);
        if (!allowed) {
          res.disallowed.push({ ctx, what: `element <${realLocal}> (${ns})` });
        } else {
          for (const attr of attributes(el)) {
            const name = attrName(attr).toLowerCase();
            const value = attrValue(attr);
            const ok = allowed.has(name) || globals.has(name)
              || (policy.dataAttributes && /^data-[^:]*$/.test(name)) // borax: on every allowed element, any namespace
              || (name === 'rel' && (local === 'a' || local === 'area') && policy.linkRel);
            if (!ok) {
              res.disallowed.push({ ctx, what: `attribute ${name} on <${realLocal}> (${ns})` });
              continue;
            }
            let urlAttr = URL_ATTRS.has(name);
            const animation = ns === 'svg' && ANIMATIONS.has(local);
            const animValue = animation && ANIM_VALUES.has(name);
            if (animValue && isUrlTarget(animTarget(el))) urlAttr = true;
            if (urlAttr) {
              const list = name === 'values' ? value.split(';') : urlValues(el, name, value);
              for (const v of list) {
                const bad = judgeUrl(v, animValue ? schemesFor(parentLocal(el), 'href') : schemesFor(local, name));
                if (bad) res.disallowed.push({ ctx, what: `${bad} in ${name} on <${realLocal}>${animValue ? ` (animating ${JSON.stringify(animTarget(el))})` : ''}` });
              }
            } else if (animValue) {
              // Whatever the animation targets (attributeName can be spelt in
              // ways a browser may still map to href), a value with a scheme
              // outside urlSchemes must not reach the DOM.
              for (const v of (name === 'values' ? value.split(';') : [value])) {
                const bad = judgeUrl(v, schemes, true);
                if (bad) res.disallowed.push({ ctx, what: `${bad} in ${name} on <${realLocal}> (animating ${JSON.stringify(animTarget(el))})` });
              }
            }
            if (animation && name === 'attributename' && /^on/i.test(value.trim())) {
              // An animation of an event handler content attribute is an on*
              // attribute by other means (no policy may allow those).
              res.disallowed.push({ ctx, what: `<${realLocal} attributeName=${JSON.stringify(value)}> animates an event handler attribute` });
            }
            for (const rule of policy.attributeValues) {
              if (rule.element.toLowerCase() === local && rule.attribute.toLowerCase() === name && !rule.values.includes(value)) {
                res.disallowed.push({ ctx, what: `value ${JSON.stringify(value)} of ${name} on <${realLocal}>` });
              }
            }
            if (classes && name === 'class') {
              for (const t of value.split(/[\t\n\f\r ]+/)) {
                if (t !== '' && !classes.has(t)) res.disallowed.push({ ctx, what: `class ${JSON.stringify(t)} on <${realLocal}>` });
              }
            }
            if (policy.idPrefix && (name === 'id' || name === 'name') && !value.startsWith(policy.idPrefix)) {
              res.disallowed.push({ ctx, what: `${name}=${JSON.stringify(value)} lacks prefix ${policy.idPrefix}` });
            }
            if (name === 'style') styleFindings(el, ns, local, realLocal, res, ctx);
          }
        }
        if (ns === 'svg') {
          const h = animatedHref(el);
          if (h !== null && h !== '') {
            const bad = judgeUrl(h, schemesFor(local, 'href'));
            if (bad) res.disallowed.push({ ctx, what: `${bad} as the animated href of <${realLocal}> (animVal; attribute value ${JSON.stringify(getAttr(el, 'href') ?? getAttr(el, 'xlink:href'))})` });
          }
        }
        const sr = shadowRoot(el);
        if (sr) {
          res.disallowed.push({ ctx, what: `shadow root on <${realLocal}>` });
          push(childNodes(sr));
        }
        if (local === 'template' && ns === 'html') push(childNodes(templateContent(el)));
        push(childNodes(el));
      } else if (type === 8) {
        if (!policy.comments) res.disallowed.push({ ctx, what: `comment <!--${commentData(node).slice(0, 60)}-->` });
      } else if (type !== 3) {
        res.disallowed.push({ ctx, what: `node type ${type} (${nodeName(node)})` });
      }
    }
  }

  // Escape check, context (a): <body> holds exactly a0 .. a(n-1), then the holder.
  const blame = (i, what) => { if (i >= 0 && i < n) results[i].escaped.push(what); else results[0].escaped.push(`(unattributed) ${what}`); };
  const containerOf = (node) => {
    for (let p = parentNode(node); p; p = parentNode(p)) if (isContainer(p, /^a\d+$/)) return Number(idOf(p).slice(1));
    return -1;
  };
  const attrList = (o) => attributes(o).map((a) => attrName(a)).join(',');
  if (attributes(docEl).length !== 0 || attributes(body).length !== 0) {
    results[0].escaped.push(`(unattributed) attributes on <html>/<body>: ${attrList(docEl)} / ${attrList(body)}`);
  }
  if (childNodes(head).length !== 2) {
    results[0].escaped.push(`(unattributed) <head> has ${childNodes(head).length} children: ${innerHTML(head).slice(0, 200)}`);
  }
  if (nextSibling(body)) results[0].escaped.push('(unattributed) node after <body>');
  let pos = 0;
  for (const child of childNodes(body)) {
    if (pos < n && isContainer(child, /^/) && idOf(child) === 'a' + pos) {
      pos++;
    } else if (pos === n && nodeType(child) === 1 && idOf(child) === 'holder') {
      pos++;
    } else {
      const text = nodeType(child) === 1 ? outerHTML(child) : textContent(child) || '';
      blame(pos - 1, `stray ${nodeName(child)} after container a${pos - 1}: ${text.slice(0, 120)}`);
    }
  }
  const holder = byId('holder');
  for (let i = 0; i < n; i++) {
    const a = byId('a' + i);
    if (!a) blame(i - 1, `container a${i} missing`);
    else if (parentNode(a) !== body) {
      const j = containerOf(a);
      blame(j >= 0 ? j : i - 1, `container a${i} ended up inside ${j >= 0 ? 'container a' + j : nodeName(parentNode(a))}`);
    }
    const b = byId('b' + i);
    if (policies) setPolicy(policies[i]);
    if (a) { results[i].a = innerHTML(a); walk(a, 'a', results[i]); }
    if (b) {
      if (parentNode(b) !== holder) results[i].escaped.push(`container b${i} is not in the holder`);
      results[i].b = innerHTML(b);
      walk(b, 'b', results[i]);
    }
  }
  return results;
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
    // `["color"]` (every element) or `{ "*": [...], span: [...], "svg:rect": [...] }`,
    // keyed here like `elements`.
    styleProperties: Array.isArray(p.styleProperties)
      ? { '*': p.styleProperties.map((x) => x.toLowerCase()) }
      : Object.fromEntries(Object.entries(p.styleProperties || {}).map(([e, l]) => {
        const t = e.toLowerCase();
        const k = t === '*' ? '*' : t === 'svg' ? 'svg:svg' : t === 'math' ? 'math:math'
          : t.includes(':') ? t.replace(/^mathml:/, 'math:') : `html:${t}`;
        return [k, l.map((x) => x.toLowerCase())];
      })),
    stylePropertyValues: p.stylePropertyValues || {},
  };
}

module.exports = { fillInnerHtml, walkCases, normalisePolicy };
