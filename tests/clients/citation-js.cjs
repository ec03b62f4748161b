// Reads bibconv's outputs with citation-js, as the tests in tests/clients.rs ask.
// stdin: [{"path": "...", "format": "bibtex" | "biblatex" | "ris" | "csl-json"}, ...]
// stdout: [{"path", "count", "items" (CSL-JSON), "error" (a thrown error), "logs" (warnings)}, ...]
'use strict'
const fs = require('fs')
const { Cite, logger } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')

// Collect citation-js's own warnings and errors instead of printing them.
let logs = []
const levels = logger._levels
logger._output = (level, scope, msg) => {
  if (levels.indexOf(level) >= levels.indexOf('warn')) logs.push(`${level} ${scope} ${msg.join(' ')}`)
}

const FORCE = { bibtex: '@biblatex/text', biblatex: '@biblatex/text', ris: '@ris/file' }

const jobs = JSON.parse(fs.readFileSync(0, 'utf8'))
const results = jobs.map(({ path, format }) => {
  logs = []
  const result = { path, format }
  try {
    const text = fs.readFileSync(path, 'utf8')
    const cite = format === 'csl-json'
      ? new Cite(JSON.parse(text), { forceType: '@csl/list+object' })
      : new Cite(text, { forceType: FORCE[format] })
    result.items = cite.data.map(({ _graph, ...item }) => item)
    result.count = cite.data.length
  } catch (e) {
    result.error = String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e)
  }
  result.logs = logs
  return result
})
process.stdout.write(JSON.stringify(results))
