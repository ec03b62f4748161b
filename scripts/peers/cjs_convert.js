// citation-js peer for scripts/bench.sh: node cjs_convert.js FROM TO IN OUT
// FROM: ris | bibtex | csl-json; TO: bibtex | ris | csl-json.
'use strict';
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-ris');
require('@citation-js/plugin-csl');

const [from, to, input, output] = process.argv.slice(2);
const text = fs.readFileSync(input, 'utf8');
let data;
switch (from) {
  case 'ris': data = new Cite(text, { forceType: '@ris/file' }); break;
  case 'bibtex': data = new Cite(text, { forceType: '@biblatex/text' }); break;
  case 'csl-json': data = new Cite(JSON.parse(text)); break;
  default: throw new Error(`unknown input format ${from}`);
}
const out = to === 'csl-json' ? data.format('data', { format: 'text' }) : data.format(to === 'ris' ? 'ris' : 'bibtex');
fs.writeFileSync(output, out);
