'use strict';
// Element and attribute names for the grammar fuzzer (lib/fuzz.js), hard-coded
// from the specifications: the HTML Living Standard (elements, plus the
// obsolete and non-conforming ones its parser still knows: §16 "Obsolete
// features" and the tree-construction special lists), SVG 1.1 + SVG 2 +
// Filter Effects + SVG Tiny 1.2 (their camelCase spellings, which the HTML
// parser restores from lowercase in foreign content), and MathML 3 / MathML
// Core. Nothing is fetched.

const HTML = [
  // document and metadata
  'html', 'head', 'title', 'base', 'link', 'meta', 'style', 'body',
  // sections
  'article', 'section', 'nav', 'aside', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup', 'header', 'footer',
  'address', 'search', 'main',
  // grouping
  'p', 'hr', 'pre', 'blockquote', 'ol', 'ul', 'menu', 'li', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'div',
  // text-level
  'a', 'em', 'strong', 'small', 's', 'cite', 'q', 'dfn', 'abbr', 'ruby', 'rt', 'rp', 'data', 'time', 'code',
  'var', 'samp', 'kbd', 'sub', 'sup', 'i', 'b', 'u', 'mark', 'bdi', 'bdo', 'span', 'br', 'wbr',
  // edits, embedded
  'ins', 'del', 'picture', 'source', 'img', 'iframe', 'embed', 'object', 'video', 'audio', 'track', 'map', 'area',
  // tables
  'table', 'caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th',
  // forms
  'form', 'label', 'input', 'button', 'select', 'datalist', 'optgroup', 'option', 'textarea', 'output',
  'progress', 'meter', 'fieldset', 'legend', 'selectedcontent',
  // interactive, scripting
  'details', 'summary', 'dialog', 'script', 'noscript', 'template', 'slot', 'canvas',
  // obsolete / non-conforming, still known to the parser or to browsers
  'applet', 'acronym', 'basefont', 'bgsound', 'big', 'blink', 'center', 'dir', 'font', 'frame', 'frameset',
  'image', 'isindex', 'keygen', 'listing', 'marquee', 'menuitem', 'multicol', 'nextid', 'nobr', 'noembed',
  'noframes', 'param', 'plaintext', 'rb', 'rtc', 'spacer', 'strike', 'tt', 'xmp',
];

const SVG = [
  'svg', 'a', 'altGlyph', 'altGlyphDef', 'altGlyphItem', 'animate', 'animateColor', 'animateMotion',
  'animateTransform', 'circle', 'clipPath', 'color-profile', 'cursor', 'defs', 'desc', 'discard', 'ellipse',
  'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting',
  'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
  'feGaussianBlur', 'feImage', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight',
  'feSpecularLighting', 'feSpotLight', 'feTile', 'feTurbulence', 'filter', 'font', 'font-face',
  'font-face-format', 'font-face-name', 'font-face-src', 'font-face-uri', 'foreignObject', 'g', 'glyph',
  'glyphRef', 'hatch', 'hatchpath', 'hkern', 'image', 'line', 'linearGradient', 'marker', 'mask', 'mesh',
  'meshgradient', 'meshpatch', 'meshrow', 'metadata', 'missing-glyph', 'mpath', 'path', 'pattern', 'polygon',
  'polyline', 'radialGradient', 'rect', 'script', 'set', 'solidcolor', 'stop', 'style', 'switch', 'symbol',
  'text', 'textPath', 'title', 'tref', 'tspan', 'unknown', 'use', 'view', 'vkern',
  // SVG Tiny 1.2
  'animation', 'handler', 'listener', 'prefetch', 'tbreak', 'textArea',
];

const MATHML = [
  'math', 'maction', 'maligngroup', 'malignmark', 'menclose', 'merror', 'mfenced', 'mfrac', 'mglyph', 'mi',
  'mlabeledtr', 'mlongdiv', 'mmultiscripts', 'mn', 'mo', 'mover', 'mpadded', 'mphantom', 'mprescripts', 'mroot',
  'mrow', 'ms', 'mscarries', 'mscarry', 'msgroup', 'msline', 'mspace', 'msqrt', 'msrow', 'mstack', 'mstyle',
  'msub', 'msubsup', 'msup', 'mtable', 'mtd', 'mtext', 'mtr', 'munder', 'munderover', 'none', 'semantics',
  'annotation', 'annotation-xml',
];

// Names the parser treats specially, drawn far more often (the weights are
// relative; every other name of the three lists has weight 1).
const SENSITIVE = {
  // tables: foster parenting, implied tbody/tr, table scope
  table: 12, tbody: 5, thead: 4, tfoot: 4, tr: 8, td: 8, th: 5, caption: 4, colgroup: 4, col: 4,
  // implied end tags, scope
  p: 10, li: 8, dd: 6, dt: 6, h1: 3, h2: 2, h3: 2, h4: 1, h5: 1, h6: 2, ul: 5, ol: 4, dl: 4, menu: 3, dir: 2,
  // ruby
  ruby: 6, rb: 6, rt: 6, rp: 6, rtc: 6,
  // special insertion rules
  button: 5, form: 8, a: 8, nobr: 5, option: 6, optgroup: 4, select: 8, selectedcontent: 2, hr: 2,
  // formatting elements (adoption agency)
  b: 8, i: 5, font: 8, em: 3, s: 2, u: 2, strong: 2, big: 2, small: 2, strike: 2, tt: 2, code: 2,
  // raw text and RCDATA, plaintext
  style: 8, script: 6, xmp: 5, iframe: 4, noembed: 4, noframes: 4, noscript: 6, textarea: 6, title: 6,
  plaintext: 2, listing: 3, pre: 4,
  // foreign content and integration points
  svg: 12, math: 12, foreignObject: 8, desc: 8, annotation: 3, 'annotation-xml': 10, mi: 5, mo: 4, mn: 3,
  ms: 3, mtext: 6, mglyph: 6, malignmark: 6, semantics: 4, mrow: 3, image: 4,
  // other parser-sensitive ones
  template: 8, dialog: 4, search: 2, details: 3, summary: 2, marquee: 3, isindex: 2, keygen: 2, frameset: 2,
  body: 2, html: 2, head: 2, br: 3, img: 6, input: 3, div: 4, span: 3, object: 3, applet: 2, center: 2,
  address: 2, blockquote: 2, fieldset: 2,
};

// Likely children of a parent (lowercase), to build the structures the
// parser reorders: the fuzzer takes one from here part of the time.
const CHILDREN = {
  table: ['caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'form', 'input', 'style', 'script', 'template'],
  thead: ['tr', 'td', 'th'], tbody: ['tr', 'td', 'th'], tfoot: ['tr', 'td', 'th'],
  tr: ['td', 'th', 'template'], colgroup: ['col', 'template'], caption: ['table', 'p', 'b'],
  ul: ['li'], ol: ['li'], menu: ['li'], dir: ['li'], dl: ['dt', 'dd'],
  ruby: ['rb', 'rt', 'rp', 'rtc'], rtc: ['rb', 'rt', 'rp', 'rtc'],
  select: ['option', 'optgroup', 'hr', 'selectedcontent', 'button', 'input', 'keygen', 'textarea', 'div', 'svg', 'math'],
  optgroup: ['option'], datalist: ['option'],
  svg: ['foreignObject', 'desc', 'title', 'style', 'a', 'g', 'text', 'image', 'set', 'animate', 'font', 'script', 'clipPath', 'use'],
  g: ['foreignObject', 'desc', 'title', 'style', 'a', 'text'],
  math: ['mi', 'mo', 'mn', 'ms', 'mtext', 'semantics', 'annotation-xml', 'annotation', 'mrow', 'mglyph', 'malignmark', 'style'],
  semantics: ['annotation-xml', 'annotation', 'mi', 'mrow'],
  mrow: ['mi', 'mo', 'mtext', 'annotation-xml', 'svg'],
  'annotation-xml': ['svg', 'math', 'mi', 'mrow', 'foreignObject', 'p', 'div', 'style', 'b', 'table', 'img', 'desc'],
  mi: ['mglyph', 'malignmark', 'table', 'style', 'b', 'svg', 'img'],
  mtext: ['mglyph', 'malignmark', 'table', 'style', 'b', 'svg', 'img'],
  mo: ['mglyph', 'malignmark', 'style'], mn: ['mglyph', 'malignmark', 'style'], ms: ['mglyph', 'malignmark', 'style'],
  foreignobject: ['p', 'div', 'math', 'svg', 'style', 'table', 'select', 'b', 'img', 'title', 'form'],
  desc: ['p', 'style', 'svg', 'math', 'table', 'b', 'img', 'title', 'mglyph'],
  title: ['style', 'p', 'svg', 'b', 'img'],
  form: ['form', 'input', 'button', 'table', 'li', 'p', 'select', 'textarea', 'fieldset'],
  button: ['button', 'p', 'form', 'a'], a: ['a', 'table', 'p', 'b', 'div', 'nobr'], nobr: ['nobr', 'b', 'table', 'a'],
  b: ['p', 'table', 'i', 'a', 'font', 'div'], i: ['p', 'b', 'div'], font: ['p', 'b', 'svg', 'div', 'table'],
  p: ['p', 'table', 'li', 'dd', 'button', 'form', 'h1', 'b', 'svg', 'math'],
  li: ['li', 'p', 'ul', 'dialog', 'form', 'div', 'search'], dd: ['dt', 'dd', 'div', 'p'], dt: ['dd', 'dt', 'div'],
  dialog: ['form', 'li', 'p', 'dd', 'dialog'],
  template: ['tr', 'td', 'col', 'caption', 'li', 'option', 'template', 'style', 'svg'],
  details: ['summary', 'p', 'details'], noscript: ['style', 'img', 'p', 'noscript'],
  frameset: ['frame', 'noframes', 'frameset'], head: ['style', 'title', 'noscript', 'template', 'meta'],
  object: ['param', 'p', 'embed'], picture: ['source', 'img'], video: ['source', 'track'], audio: ['source', 'track'],
  map: ['area'], fieldset: ['legend', 'input'], h1: ['h2', 'p', 'b'], h2: ['h1', 'b'], h6: ['h1'],
  pre: ['b', 'listing'], listing: ['pre', 'b'], html: ['head', 'body', 'frameset'], body: ['p', 'frameset'],
};

// Raw text (their end tag is the only markup inside), RCDATA (plus character
// references) and plaintext, in the HTML namespace.
const RAWTEXT = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
const RCDATA = new Set(['textarea', 'title']);

// Attribute names (with value generators chosen in lib/fuzz.js) and the
// attributes the permissive policy allows.
const GLOBAL_ATTRIBUTES = ['id', 'class', 'title', 'lang', 'dir', 'name', 'hidden', 'tabindex'];
const ELEMENT_ATTRIBUTES = {
  html: {
    a: ['href', 'target', 'download', 'hreflang', 'type'],
    area: ['href', 'alt', 'shape', 'coords'],
    img: ['src', 'alt', 'width', 'height', 'srcset', 'usemap', 'loading'],
    font: ['color', 'face', 'size'],
    basefont: ['color', 'face', 'size'],
    blockquote: ['cite'], q: ['cite'], ins: ['cite', 'datetime'], del: ['cite', 'datetime'],
    dialog: ['open'], details: ['open'],
    form: ['action', 'method', 'novalidate'],
    input: ['type', 'value', 'checked', 'disabled', 'placeholder', 'form', 'autofocus'],
    button: ['type', 'value', 'disabled', 'form', 'formaction'],
    select: ['multiple', 'size', 'disabled'],
    option: ['value', 'selected', 'label', 'disabled'],
    optgroup: ['label', 'disabled'],
    textarea: ['rows', 'cols', 'placeholder'],
    label: ['for'], output: ['for'], meter: ['value', 'min', 'max'], progress: ['value', 'max'],
    ol: ['start', 'reversed', 'type'], li: ['value'],
    table: ['border', 'summary', 'width', 'align', 'bgcolor'], td: ['colspan', 'rowspan', 'headers', 'align'],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'], col: ['span'], colgroup: ['span'],
    time: ['datetime'], data: ['value'], abbr: ['title'], bdo: ['dir'],
    marquee: ['behavior', 'direction', 'loop'], video: ['src', 'poster', 'controls'], audio: ['src', 'controls'],
    source: ['src', 'type', 'srcset', 'media'], track: ['src', 'kind'], pre: ['width'],
    hr: ['width', 'size'], map: ['name'], slot: ['name'], template: ['shadowrootmode'],
  },
  svg: {
    '*': ['x', 'y', 'width', 'height', 'fill', 'stroke', 'transform', 'viewBox', 'd', 'r', 'cx', 'cy', 'points'],
    a: ['href', 'xlink:href', 'target'],
    use: ['href', 'xlink:href'], image: ['href', 'xlink:href'], feImage: ['href', 'xlink:href'],
    textPath: ['href', 'xlink:href'], mpath: ['href', 'xlink:href'],
    set: ['attributeName', 'to', 'begin', 'dur'],
    animate: ['attributeName', 'from', 'to', 'values', 'begin', 'dur'],
    foreignObject: ['requiredExtensions'],
    font: ['horiz-adv-x'],
  },
  math: {
    '*': ['mathvariant', 'displaystyle', 'mathcolor', 'mathbackground'],
    math: ['display'],
    'annotation-xml': ['encoding', 'definitionURL'],
    annotation: ['encoding'],
    mo: ['stretchy', 'fence'],
  },
};

module.exports = { HTML, SVG, MATHML, SENSITIVE, CHILDREN, RAWTEXT, RCDATA, GLOBAL_ATTRIBUTES, ELEMENT_ATTRIBUTES };
