'use strict';
// FALLBACK POLICY TABLE: used only when `borax --preset NAME --print-policy json`
// fails (an older borax without that flag). It is a SNAPSHOT, not the policy
// borax enforces: whenever --print-policy works the check reads the real policy
// and ignores this file. Snapshot taken from `borax --print-policy json` of the
// four presets (comments = the blog comment form list of GUIDE.md §2: a[href,title]
// abbr[title] acronym[title] b blockquote[cite] code em i strike strong; text =
// nothing). A preset missing here, with no --print-policy, makes the run fail
// with policy=unknown, because its allow-list would go unchecked.
module.exports = {
  comments: {
    elements: [
      {
        name: 'a',
        attributes: ['href', 'title']
      },
      {
        name: 'abbr',
        attributes: ['title']
      },
      {
        name: 'acronym',
        attributes: ['title']
      },
      'b',
      {
        name: 'blockquote',
        attributes: ['cite']
      },
      'code',
      'em',
      'i',
      'strike',
      'strong'
    ],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: ['http', 'https', 'mailto'],
    relativeUrls: 'pass',
    linkRel: ['nofollow', 'ugc'],
    attributeValues: [],
    attributeUrlSchemes: []
  },
  basic: {
    elements: [
      {
        name: 'a',
        attributes: ['href', 'title']
      },
      {
        name: 'abbr',
        attributes: ['title']
      },
      {
        name: 'acronym',
        attributes: ['title']
      },
      'b',
      {
        name: 'blockquote',
        attributes: ['cite']
      },
      'br',
      'cite',
      'code',
      'del',
      'em',
      'i',
      'ins',
      'kbd',
      'li',
      'mark',
      {
        name: 'ol',
        attributes: ['start']
      },
      'p',
      'pre',
      {
        name: 'q',
        attributes: ['cite']
      },
      's',
      'samp',
      'small',
      'strike',
      'strong',
      'sub',
      'sup',
      'u',
      'ul',
      'var'
    ],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: ['http', 'https', 'mailto'],
    relativeUrls: 'pass',
    linkRel: ['nofollow', 'ugc'],
    attributeValues: [],
    attributeUrlSchemes: []
  },
  relaxed: {
    elements: [
      {
        name: 'a',
        attributes: ['href', 'title']
      },
      {
        name: 'abbr',
        attributes: ['title']
      },
      {
        name: 'acronym',
        attributes: ['title']
      },
      'address',
      'article',
      'aside',
      'b',
      {
        name: 'bdi',
        attributes: ['dir']
      },
      {
        name: 'bdo',
        attributes: ['dir']
      },
      {
        name: 'blockquote',
        attributes: ['cite']
      },
      'br',
      'caption',
      'center',
      'cite',
      'code',
      {
        name: 'col',
        attributes: ['span']
      },
      {
        name: 'colgroup',
        attributes: ['span']
      },
      'dd',
      'del',
      {
        name: 'details',
        attributes: ['open']
      },
      'dfn',
      'div',
      'dl',
      'dt',
      'em',
      'figcaption',
      'figure',
      {
        name: 'h1',
        attributes: ['id']
      },
      {
        name: 'h2',
        attributes: ['id']
      },
      {
        name: 'h3',
        attributes: ['id']
      },
      {
        name: 'h4',
        attributes: ['id']
      },
      {
        name: 'h5',
        attributes: ['id']
      },
      {
        name: 'h6',
        attributes: ['id']
      },
      'hr',
      'i',
      {
        name: 'img',
        attributes: ['alt', 'height', 'src', 'title', 'width']
      },
      'ins',
      'kbd',
      'li',
      'mark',
      {
        name: 'ol',
        attributes: ['start']
      },
      'p',
      'pre',
      {
        name: 'q',
        attributes: ['cite']
      },
      'rp',
      'rt',
      'ruby',
      's',
      'samp',
      'section',
      'small',
      'span',
      'strike',
      'strong',
      'sub',
      'summary',
      'sup',
      'table',
      'tbody',
      {
        name: 'td',
        attributes: ['colspan', 'rowspan']
      },
      'tfoot',
      {
        name: 'th',
        attributes: ['colspan', 'rowspan', 'scope']
      },
      'thead',
      {
        name: 'time',
        attributes: ['datetime']
      },
      'tr',
      'u',
      'ul',
      'var',
      'wbr'
    ],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: ['http', 'https', 'mailto'],
    relativeUrls: 'pass',
    linkRel: ['nofollow', 'ugc'],
    attributeValues: [],
    attributeUrlSchemes: [
      {
        element: 'img',
        attribute: 'src',
        schemes: ['http', 'https']
      }
    ],
    idPrefix: 'user-content-'
  },
  text: {
    elements: [],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: ['http', 'https', 'mailto'],
    relativeUrls: 'pass',
    linkRel: [],
    attributeValues: [],
    attributeUrlSchemes: []
  }
};
