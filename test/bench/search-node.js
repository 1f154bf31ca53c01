// The Node half of the search benchmark, run by search.bench.js as a bundled child process with
// --expose-gc so heap deltas are measured after full collections.
import { gzipSync } from 'node:zlib'
import { makeCorpus, makeQueries } from './search-corpus.js'
import { ENGINES, measureQueries, supports } from './search-engines.js'
import { report } from './report.js'
import { createSearchIndex } from '../../src/search/index.js'

const heap = () => {
  global.gc()
  global.gc()
  return process.memoryUsage().heapUsed
}
const MB = 1024 * 1024

const messages = makeCorpus()
const queries = makeQueries(messages)
report('search.corpus.messages', messages.length, 'count')
report('search.corpus.threads', new Set(messages.map((m) => m.conversationId)).size, 'count')
report('search.corpus.queries-per-kind', queries.word.length, 'count')
const figures = {}
const keep = (name, value, unit) => {
  figures[name] = value
  report(name, value, unit)
}

for (const [name, build] of Object.entries(ENGINES)) {
  const before = heap()
  const started = performance.now()
  let engine = build(messages)
  keep(`search.${name}.node.build`, performance.now() - started, 'ms')
  keep(`search.${name}.node.memory`, (heap() - before) / MB, 'MB')
  for (const [metric, value, unit] of measureQueries(engine, queries, `search.${name}.node`)) keep(metric, value, unit)
  for (const [feature, ok] of Object.entries(supports(build))) report(`search.${name}.supports.${feature}`, ok, 'bool')

  if (name === 'ours') {
    let at = performance.now()
    const data = engine.index.export()
    const json = JSON.stringify(data)
    report('search.ours.node.export', performance.now() - at, 'ms')
    report('search.ours.export.json', json.length, 'B')
    report('search.ours.export.gzip', gzipSync(json).length, 'B')
    const indexOnly = JSON.stringify({ ...data, docs: [] })
    report('search.ours.export.json.without-messages', indexOnly.length, 'B')
    report('search.ours.export.gzip.without-messages', gzipSync(indexOnly).length, 'B')
    at = performance.now()
    const parsed = JSON.parse(json)
    const restored = createSearchIndex()
    const imported = performance.now()
    restored.import(parsed)
    const done = performance.now()
    report('search.ours.node.import', done - imported, 'ms')
    report('search.ours.node.restore', done - at, 'ms')
    for (const kind of Object.keys(queries)) {
      const same = queries[kind].every((q) => JSON.stringify(restored.search(q)) === JSON.stringify(engine.index.search(q)))
      if (!same) throw new Error(`the restored index answers ${kind} queries differently`)
    }
  }
  if (name === 'minisearch') {
    const json = JSON.stringify(engine.index)
    report('search.minisearch.export.json', json.length, 'B')
    report('search.minisearch.export.gzip', gzipSync(json).length, 'B')
  }
  engine = null
}

for (const other of ['minisearch', 'flexsearch']) {
  const ratio = (metric) => report(`search.ours_over_${other}.node.${metric}`, figures[`search.ours.node.${metric}`] / figures[`search.${other}.node.${metric}`], 'x')
  ratio('build')
  ratio('memory')
  for (const kind of Object.keys(queries)) ratio(`query.${kind}.p95`)
}
