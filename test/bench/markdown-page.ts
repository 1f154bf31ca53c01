// Runs inside the page the markdown benchmark opens (bundled by markdown.bench.js): a message's
// text parsed and rendered to DOM nodes, as the thread does, for each case.
import { h, render } from 'preact'
import { Markdown } from '../../src/render/nodes.js'

declare global {
  interface Window {
    renderMarkdown(cases: Record<string, string>, runs: Record<string, number>): Record<string, number[]>
  }
}

window.renderMarkdown = (cases, runs) => {
  const out: Record<string, number[]> = {}
  for (const [name, text] of Object.entries(cases)) {
    out[name] = []
    for (let run = 0; run < runs[name]!; run++) {
      const host = document.createElement('div')
      document.body.append(host)
      // A text never seen before: the widget keeps the parse of texts it showed last.
      const unique = `${text}\n${run}`
      const started = performance.now()
      render(h(Markdown, { text: unique }), host)
      out[name].push(performance.now() - started)
      render(null, host)
      host.remove()
    }
  }
  return out
}
