// Loads the page's UMD scripts (web/site/*.js) as CommonJS in Node, whatever package.json's "type" says.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const cache = new Map();

/// Evaluates `file` with module/exports/require like a CommonJS module and returns its exports; a relative
/// require() inside it loads the sibling file the same way.
function loadUmd(file) {
  const full = path.resolve(file);
  if (cache.has(full)) return cache.get(full).exports;
  const module = { exports: {} };
  cache.set(full, module);
  const source = fs.readFileSync(full, 'utf8');
  const wrapper = vm.runInThisContext(`(function (module, exports, require) {${source}\n})`, { filename: full });
  const localRequire = (spec) => (spec.startsWith('.') ? loadUmd(path.resolve(path.dirname(full), spec)) : require(spec));
  wrapper.call(module.exports, module, module.exports, localRequire);
  return module.exports;
}

module.exports = { loadUmd };
