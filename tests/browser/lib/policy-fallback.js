'use strict';
// FALLBACK POLICY TABLE: used only while `borax --preset NAME --print-policy json`
// does not exist (or fails). It is a hand copy, not the policy borax enforces:
// once --print-policy works the check reads the real policy and ignores this file.
// `null` = not known here: the run then reports policy=unknown for that preset
// and fails, because nothing would check its element/attribute allow-list.
//
// comments: the blog comment form list from the design guide (GUIDE.md §2).
module.exports = {
  comments: {
    elements: [
      { name: 'a', attributes: ['href', 'title'] },
      { name: 'abbr', attributes: ['title'] },
      { name: 'acronym', attributes: ['title'] },
      'b',
      { name: 'blockquote', attributes: ['cite'] },
      'code',
      'em',
      'i',
      'strike',
      'strong',
    ],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: ['http', 'https', 'mailto'],
    // Unknown in the fallback: relative URLs are let through, and `rel` on <a>
    // is allowed (borax may add it).
    relativeUrls: 'pass',
    linkRel: ['nofollow', 'ugc', 'noopener', 'noreferrer'],
  },
  text: {
    elements: [],
    attributes: [],
    dataAttributes: false,
    comments: false,
    urlSchemes: [],
    relativeUrls: 'deny',
  },
  basic: null, // TODO: fill in, or rely on --print-policy
  relaxed: null, // TODO: fill in, or rely on --print-policy
};
