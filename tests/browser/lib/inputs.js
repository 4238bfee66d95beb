'use strict';
// Collects the inputs the browser check cleans: the XSS corpus, the html5lib
// tree-construction inputs and the project's own attack cases (tests/data/*.toml).
const fs = require('fs');
const path = require('path');
const TOML = require('smol-toml');

function listFiles(dir, ext) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f));
}

// JSON arrays of strings.
function xssInputs(corpus) {
  const out = [];
  const files = listFiles(path.join(corpus, 'xss'), '.json');
  if (files.length === 0) throw new Error(`no XSS corpus files under ${path.join(corpus, 'xss')}`);
  for (const file of files) {
    const items = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!Array.isArray(items)) throw new Error(`${file}: not a JSON array`);
    items.forEach((s, i) => {
      if (typeof s !== 'string') throw new Error(`${file}[${i}]: not a string`);
      out.push({ source: `xss/${path.basename(file)}#${i}`, input: s });
    });
  }
  return out;
}

// html5lib .dat: the text after each `#data` line up to the next `#errors`
// line, minus the final newline.
function html5libInputs(corpus) {
  const out = [];
  const dir = path.join(corpus, 'html5lib', 'tree-construction');
  const files = listFiles(dir, '.dat');
  if (files.length === 0) throw new Error(`no html5lib .dat files under ${dir}`);
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let n = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== '#data') continue;
      const data = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== '#errors') data.push(lines[j++]);
      out.push({ source: `html5lib/${path.basename(file)}#${n++}`, input: data.join('\n') });
      i = j;
    }
  }
  return out;
}

// tests/data/*.toml: [[case]] tables with an `input` string.
function tomlInputs(dataDir) {
  const out = [];
  for (const file of listFiles(dataDir, '.toml')) {
    let doc;
    try {
      doc = TOML.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: ${e.message}`);
    }
    const cases = Array.isArray(doc.case) ? doc.case : [];
    cases.forEach((c, i) => {
      if (typeof c.input !== 'string') return;
      const name = typeof c.name === 'string' ? c.name : `#${i}`;
      out.push({ source: `tests/data/${path.basename(file)}:${name}`, input: c.input });
    });
  }
  return out;
}

// tests/browser/extra-inputs.txt: one input per line. Blank lines and lines
// starting with `#` are skipped; escapes: \n \r \t \\ \xHH \u{H...} \uHHHH
// (an input that starts with `#` is written \x23...).
function unescapeLine(line, where) {
  return line.replace(/\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.)|$)/g, (m, cp, u4, x2, c) => {
    if (cp || u4 || x2) return String.fromCodePoint(parseInt(cp || u4 || x2, 16));
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === 't') return '\t';
    if (c === '\\') return '\\';
    throw new Error(`${where}: unknown escape ${JSON.stringify(m)} (write \\\\ for a backslash)`);
  });
}

function extraInputs(file) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) return;
    const where = `${path.basename(file)}:${i + 1}`;
    out.push({ source: where, input: unescapeLine(line, where) });
  });
  return out;
}

function collectInputs(corpus, dataDir, extraFile) {
  const all = [...xssInputs(corpus), ...html5libInputs(corpus), ...tomlInputs(dataDir), ...(extraFile ? extraInputs(extraFile) : [])];
  // Lone surrogates cannot cross a UTF-8 pipe: send what a browser would get.
  for (const c of all) c.input = c.input.toWellFormed();
  return all;
}

module.exports = { collectInputs, xssInputs, html5libInputs, tomlInputs, extraInputs, unescapeLine };
