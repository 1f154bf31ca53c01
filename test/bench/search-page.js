// The Chromium half of the search benchmark, bundled and served by search.bench.js: builds each
// engine on the same corpus and times the same queries. Chromium runs with --js-flags=--expose-gc and
// --enable-precise-memory-info, so `performance.memory` gives heap deltas after a collection.
import { makeCorpus, makeQueries } from './search-corpus.js'
import { ENGINES, measureQueries } from './search-engines.js'

const heap = () => {
  window.gc?.()
  window.gc?.()
  return performance.memory ? performance.memory.usedJSHeapSize : NaN
}

window.searchBench = (names) => {
  const messages = makeCorpus()
  const queries = makeQueries(messages)
  const figures = [['search.chromium.isolated', crossOriginIsolated ? 1 : 0, 'bool']]
  for (const name of names) {
    const before = heap()
    const started = performance.now()
    let engine = ENGINES[name](messages)
    figures.push([`search.${name}.chromium.build`, performance.now() - started, 'ms'])
    figures.push([`search.${name}.chromium.memory`, (heap() - before) / 1024 / 1024, 'MB'])
    figures.push(...measureQueries(engine, queries, `search.${name}.chromium`))
    engine = null
  }
  return figures
}

// For `--against` (search.bench.js measure()): our engine alone, built once, then timed one query
// kind at a time, so two trees can take turns between kinds.
let ours
window.buildOurs = () => {
  const messages = makeCorpus()
  ours = { engine: ENGINES.ours(messages), queries: makeQueries(messages) }
  return Object.keys(ours.queries)
}
window.ourQueries = (kind) => measureQueries(ours.engine, { [kind]: ours.queries[kind] }, 'search.ours.chromium')
