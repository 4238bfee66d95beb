'use strict';
// Functions that run inside the page (serialised by Playwright). They must not
// refer to anything outside themselves.

// Context (b): one fresh container per case, filled through innerHTML, in a
// holder appended after the source containers.
function fillInnerHtml(outputs) {
  const holder = document.createElement('div');
  holder.id = 'holder';
  document.body.appendChild(holder);
  outputs.forEach((out, i) => {
    const d = document.createElement('div');
    d.className = 'c';
    d.id = 'b' + i;
    holder.appendChild(d);
    d.innerHTML = out;
  });
  return true;
}

// Walks every container and reports, per case:
//   a, b: container.innerHTML in contexts (a) and (b)
//   disallowed: [{ctx, what}] elements/attributes/URLs/comments the policy does not allow
//   escaped: [what] content that left its container
function walkCases({ n, policy }) {
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
  const elements = new Map(Object.entries(policy.elements).map(([k, v]) => [k, new Set(v)]));
  const globals = new Set(policy.attributes);
  const schemes = new Set(policy.urlSchemes);
  const classes = policy.classes ? new Set(policy.classes) : null;
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
  function judgeUrl(v) {
    const s = v.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
    if (s === '') return null;
    let u = null;
    try { u = new URL(s); } catch (e) { u = null; }
    if (u === null) {
      // No scheme of its own: resolves against the page's http: base.
      if (policy.relativeUrls !== 'pass') return `relative URL ${JSON.stringify(v)} (relativeUrls=${policy.relativeUrls})`;
      return null;
    }
    const scheme = u.protocol.slice(0, -1).toLowerCase();
    if (!schemes.has(scheme)) return `URL scheme ${scheme}: ${JSON.stringify(v).slice(0, 120)}`;
    return null;
  }
  function walk(container, ctx, res) {
    const stack = Array.from(container.childNodes).reverse();
    while (stack.length) {
      const node = stack.pop();
      const push = (list) => { for (let k = list.length - 1; k >= 0; k--) stack.push(list[k]); };
      if (node.nodeType === 1) {
        const el = node;
        const ns = NS[el.namespaceURI] || String(el.namespaceURI);
        const local = el.localName.toLowerCase();
        const allowed = elements.get(ns + ':' + local);
        if (!allowed) {
          res.disallowed.push({ ctx, what: `element <${el.localName}> (${ns})` });
        } else {
          for (const attr of Array.from(el.attributes)) {
            const name = attr.name.toLowerCase();
            const ok = allowed.has(name) || globals.has(name)
              || (policy.dataAttributes && ns === 'html' && /^data-[^:]*$/.test(name))
              || (name === 'rel' && local === 'a' && policy.linkRel);
            if (!ok) {
              res.disallowed.push({ ctx, what: `attribute ${name} on <${el.localName}> (${ns})` });
              continue;
            }
            let urlAttr = URL_ATTRS.has(name);
            if ((name === 'to' || name === 'from' || name === 'values') && (local === 'set' || local === 'animate')) {
              const target = (el.getAttribute('attributeName') || '').toLowerCase();
              if (target === 'href' || target === 'xlink:href') urlAttr = true;
            }
            if (urlAttr) {
              const list = name === 'values' ? attr.value.split(';') : urlValues(el, name, attr.value);
              for (const v of list) {
                const bad = judgeUrl(v);
                if (bad) res.disallowed.push({ ctx, what: `${bad} in ${name} on <${el.localName}>` });
              }
            }
            for (const rule of policy.attributeValues) {
              if (rule.element.toLowerCase() === local && rule.attribute.toLowerCase() === name && !rule.values.includes(attr.value)) {
                res.disallowed.push({ ctx, what: `value ${JSON.stringify(attr.value)} of ${name} on <${el.localName}>` });
              }
            }
            if (classes && name === 'class') {
              for (const t of attr.value.split(/[\t\n\f\r ]+/)) {
                if (t !== '' && !classes.has(t)) res.disallowed.push({ ctx, what: `class ${JSON.stringify(t)} on <${el.localName}>` });
              }
            }
            if (policy.idPrefix && (name === 'id' || name === 'name') && !attr.value.startsWith(policy.idPrefix)) {
              res.disallowed.push({ ctx, what: `${name}=${JSON.stringify(attr.value)} lacks prefix ${policy.idPrefix}` });
            }
          }
        }
        if (el.shadowRoot) {
          res.disallowed.push({ ctx, what: `shadow root on <${el.localName}>` });
          push(el.shadowRoot.childNodes);
        }
        if (local === 'template' && ns === 'html' && el.content) push(el.content.childNodes);
        push(el.childNodes);
      } else if (node.nodeType === 8) {
        if (!policy.comments) res.disallowed.push({ ctx, what: `comment <!--${node.data.slice(0, 60)}-->` });
      } else if (node.nodeType !== 3) {
        res.disallowed.push({ ctx, what: `node type ${node.nodeType} (${node.nodeName})` });
      }
    }
  }

  // Escape check, context (a): <body> holds exactly a0 .. a(n-1), then the holder.
  const body = document.body;
  const blame = (i, what) => { if (i >= 0 && i < n) results[i].escaped.push(what); else results[0].escaped.push(`(unattributed) ${what}`); };
  const containerOf = (node) => {
    for (let p = node && node.parentNode; p; p = p.parentNode) {
      if (p.nodeType === 1 && p.classList.contains('c') && /^a\d+$/.test(p.id)) return Number(p.id.slice(1));
    }
    return -1;
  };
  if (!body || document.documentElement.attributes.length !== 0 || body.attributes.length !== 0) {
    const names = body ? Array.from(body.attributes).map((a) => a.name).join(',') : 'no body';
    results[0].escaped.push(`attributes on <html>/<body>: ${Array.from(document.documentElement.attributes).map((a) => a.name).join(',')} / ${names} (unattributed)`);
  }
  if (document.head && document.head.childNodes.length !== 2) {
    results[0].escaped.push(`(unattributed) <head> has ${document.head.childNodes.length} children: ${document.head.innerHTML.slice(0, 200)}`);
  }
  if (document.body && document.body.nextSibling) results[0].escaped.push('(unattributed) node after <body>');
  let pos = 0;
  for (const child of Array.from(body ? body.childNodes : [])) {
    if (child.nodeType === 1 && child.id === 'a' + pos && child.classList.contains('c') && child.localName === 'div') {
      pos++;
    } else if (child.nodeType === 1 && child.id === 'holder' && pos === n) {
      pos++;
    } else {
      blame(pos - 1, `stray ${child.nodeName} after container a${pos - 1}: ${(child.outerHTML || child.textContent || '').slice(0, 120)}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const el = document.getElementById('a' + i);
    if (!el) blame(i - 1, `container a${i} missing`);
    else if (el.parentNode !== body) {
      const j = containerOf(el);
      blame(j >= 0 ? j : i - 1, `container a${i} ended up inside ${j >= 0 ? 'container a' + j : el.parentNode.nodeName}`);
    }
  }
  const holder = document.getElementById('holder');
  for (let i = 0; i < n; i++) {
    const a = document.getElementById('a' + i);
    const b = document.getElementById('b' + i);
    if (a) { results[i].a = a.innerHTML; walk(a, 'a', results[i]); }
    if (b) {
      if (b.parentNode !== holder) results[i].escaped.push(`container b${i} is not in the holder`);
      results[i].b = b.innerHTML;
      walk(b, 'b', results[i]);
    }
  }
  return results;
}

module.exports = { fillInnerHtml, walkCases };
