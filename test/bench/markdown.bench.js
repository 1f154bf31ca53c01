// How long a message's markdown takes to parse and render to DOM nodes in real Chromium: a typical
// bot message, and hostile texts that would overflow the stack or go quadratic in a parser that
// recursed or rescanned (the goal is under 50 ms each).
import { fileURLToPath } from 'node:url'
import { openBenchPage } from './page.js'
import { percentile, report } from './report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

const typical = [
  'Hi **Ada**! Your order [#1234](https://shop.example/orders/1234) has *shipped* and should arrive by Friday.',
  'Track it at https://track.example/abc123 or reply here if anything looks wrong.',
  '',
  '- 2 × Ceramic mug, `blue`',
  '- 1 × Tea towel',
  '',
  '> Delivery to the door: please make sure someone is home.'
].join('\n')

const prose = 'We received your message and a person from the team will answer within the hour, usually sooner. '

export const CASES = {
  typical,
  'hostile.nested-brackets': '['.repeat(10_000) + 'x' + ']'.repeat(10_000),
  'hostile.link-openers': '[a]('.repeat(10_000),
  'hostile.nested-quotes': '>'.repeat(10_000) + ' x',
  'hostile.nested-lists': '- '.repeat(10_000) + 'x',
  'hostile.stars': '*'.repeat(10_000),
  'hostile.emphasis-openers': '*a '.repeat(5_000) + 'b* '.repeat(5_000),
  'hostile.backticks': '`a'.repeat(10_000),
  'hostile.text-200k': prose.repeat(Math.ceil(200_000 / prose.length)).slice(0, 200_000),
  'hostile.markdown-200k': `${typical}\n\n`.repeat(Math.ceil(200_000 / (typical.length + 2))).slice(0, 200_000)
}

export async function run() {
  const { page, close } = await openBenchPage(`${root}/test/bench/markdown-page.ts`)
  try {
    const runs = Object.fromEntries(Object.keys(CASES).map((name) => [name, name === 'typical' ? 300 : 15]))
    // A first pass the engine warms up on, as a page that has shown messages before.
    await page.evaluate(([cases]) => window.renderMarkdown(cases, Object.fromEntries(Object.keys(cases).map((name) => [name, 3]))), [CASES])
    const out = await page.evaluate(([cases, counts]) => window.renderMarkdown(cases, counts), [CASES, runs])
    for (const [name, times] of Object.entries(out)) {
      report(`markdown.${name}.p50`, percentile(times, 50), 'ms')
      if (name !== 'typical') report(`markdown.${name}.max`, Math.max(...times), 'ms')
    }
    report('markdown.typical.p95', percentile(out.typical, 95), 'ms')
  } finally {
    await close()
  }
}
