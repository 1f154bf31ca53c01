// What Confab costs a page that shows its launcher, in real Chromium at normal speed and at 4× CPU
// throttling (a mid-range phone): the script-tag loader (dist/confab.js, the rest of the widget
// loading when the browser is idle) against a floor page built in the same run from the same stack
// (preact, nanostores, idb-keyval and ky: a launcher button and an IndexedDB read, test/bench/boot-floor.tsx).
// Each load runs in a fresh browser context (cold cache, empty storage), against the reference
// server; medians of RUNS loads, loads of both pages interleaved so load on the machine hits both.
//
// - bytes: gzip of what a page view loads (the loader; with the core and the pane, what chatting takes)
// - launcher: ms from navigation to the animation frame that first shows the launcher
// - script: ms of script on the page's main thread until then (from a trace of the page; the core is
//   held back meanwhile, as it loads only once the browser is idle); `core-start`: script time
//   (CDP ScriptDuration) from then until the core has started, the pane's code is in and the pane
//   has been drawn ahead, closed, at the next idle moment
// - longtasks: tasks over 50 ms on the page (PerformanceObserver 'longtask'), at boot (to the
//   launcher), at core start (until the pane is drawn ahead), at pane open (click to composer)
// - heap: JS heap after a garbage collection, at boot and once the core and the pane are in
// - pane-open: click on the launcher to the animation frame that shows the composer focused in a
//   fully opaque pane, right after boot (the core and the pane load first) and after idle (they are
//   in, and the pane drawn ahead)
import { build } from 'esbuild'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { createServer as createBackend } from '../../examples/server/app.js'
import { launchBenchChromium } from './page.js'
import { percentile, report } from './report.js'
import { CHAT_PATH, SCRIPT_TAG_BUILD, servedSize } from './sizes.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const RUNS = 7
const RATES = [1, 4]
const LONG = 50

/** Runs in every page before its own scripts: the figures a page can see of itself, on `window.boot`. */
function probe() {
  const boot = (window.boot = { longtasks: [] })
  boot.seen = new Promise((resolve) => (boot.shown = resolve))
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) boot.longtasks.push([task.startTime, task.duration])
  }).observe({ type: 'longtask', buffered: true })
  const shadow = () => document.querySelector('[data-confab]')?.shadowRoot
  // Read in the animation frame that paints it; its clock, not the frame's timestamp, which can be
  // earlier than the input handled in the same frame.
  const launcher = () => {
    if (!shadow()?.querySelector('[data-testid="launcher"]')) return requestAnimationFrame(launcher)
    boot.launcher = performance.now()
    // Where the trace of the page ends the script time to the launcher.
    performance.mark('launcher')
    boot.shown()
  }
  requestAnimationFrame(launcher)
  // Usable: the composer is there, has the keys, and the pane around it is fully opaque.
  addEventListener(
    'click',
    (event) => {
      if (boot.clicked !== undefined) return
      boot.clicked = event.timeStamp
      const usable = () => {
        const inside = shadow()
        const composer = inside?.querySelector('[data-testid="composer"]')
        const pane = inside?.querySelector('.pane')
        if (composer && inside.activeElement === composer && getComputedStyle(pane).opacity === '1') boot.composer = performance.now()
        else requestAnimationFrame(usable)
      }
      requestAnimationFrame(usable)
    },
    true
  )
}

const PAGE = (script, backend) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop</title>
<h1>Shop</h1><p>Fresh beans, roasted on Tuesdays.</p>
<script async src="/${script}" data-url="${backend}"></script>`

/**
 * The site: the two pages and their scripts (Confab's from dist/, the floor's built now). While
 * `hold()` is in force, `confab-core.js` is answered only once it is released (the site holds it,
 * not the browser, so no request of the page goes through an interception).
 */
async function startSite(backend) {
  const floor = (await build({ ...SCRIPT_TAG_BUILD, entryPoints: [`${root}/test/bench/boot-floor.tsx`] })).outputFiles[0].contents
  const scripts = { 'floor.js': floor }
  for (const file of ['confab.js', 'confab-core.js', 'confab-pane.js', 'confab-search.js', 'confab-uploads.js']) scripts[file] = readFileSync(`${root}/dist/${file}`)
  let held
  const server = createServer(async (request, response) => {
    const name = request.url.slice(1)
    if (name === 'confab-core.js') await held?.promise
    if (scripts[name]) response.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts[name])
    else if (name === 'floor' || name === 'confab') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(`${name}.js`, backend))
    } else response.writeHead(404).end()
  })
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    floorBytes: gzipSync(floor, { level: 9 }).length,
    /** Hold `confab-core.js` back until the function returned is called. */
    hold() {
      let release
      held = { promise: new Promise((resolve) => (release = resolve)) }
      return () => {
        held = undefined
        release()
      }
    },
    close: () => server.close()
  }
}

const metric = (metrics, name) => metrics.metrics.find((m) => m.name === name).value

/** Trace events that run script on the page's main thread (they nest: their union is the script time). */
const SCRIPT = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'FunctionCall', 'RunMicrotasks', 'v8.callFunction', 'v8.run'])

/** Milliseconds of script on the main thread of the page that marked `launcher`, until the mark. */
function scriptUntilLauncher(events) {
  const mark = events.find((event) => event.name === 'launcher' && event.cat.includes('user_timing'))
  const mine = events.filter((event) => event.pid === mark.pid && event.tid === mark.tid && event.ph === 'X' && SCRIPT.has(event.name))
  const spans = mine.map((event) => [event.ts, Math.min(event.ts + event.dur, mark.ts)]).filter(([start, end]) => start < end)
  spans.sort((a, b) => a[0] - b[0])
  let total = 0
  let from = 0
  let to = 0
  for (const [start, end] of spans) {
    if (start > to) {
      total += to - from
      from = start
    }
    to = Math.max(to, end)
  }
  return (total + to - from) / 1000
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A fresh context and page throttled `rate` times, with the probe in it. Everything is asked of the
 * page through CDP: Playwright's own helpers would run their (large) scripts in the page and show
 * up in its long tasks and script time.
 */
async function openPage(browser, rate, { trace = false } = {}) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.addInitScript(probe)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate })
  await cdp.send('Performance.enable')
  const events = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value))
  if (trace) await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,blink.user_timing', transferMode: 'ReportEvents' })
  const read = async (name) => metric(await cdp.send('Performance.getMetrics'), name)
  const evaluate = async (expression) => (await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result.value
  const until = async (expression) => {
    for (const deadline = Date.now() + 60_000; !(await evaluate(expression)); await sleep(50)) {
      if (Date.now() > deadline) throw new Error(`Waited a minute for ${expression}`)
    }
  }
  return {
    goto: (path) => page.goto(path, { waitUntil: 'commit' }),
    heap: async () => {
      await cdp.send('HeapProfiler.collectGarbage')
      return (await read('JSHeapUsedSize')) / 2 ** 20
    },
    script: async () => (await read('ScriptDuration')) * 1000,
    /** Once the launcher shows (asked once: polling would run script in the page and count in its figures). */
    launcher: () =>
      evaluate(`new Promise((resolve) => {
        const wait = () => (window.boot ? window.boot.seen.then(resolve) : setTimeout(wait, 10))
        wait()
      })`),
    /** Script time to the launcher, from the trace started with the page. */
    async traced() {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
      await cdp.send('Tracing.end')
      await done
      return scriptUntilLauncher(events)
    },
    figure: (name) => evaluate(`window.boot.${name}`),
    until: (name) => until(`window.boot.${name} !== undefined`),
    /**
     * The core has started, the pane's code, preloaded once the browser is idle after that, is in,
     * and the pane has been drawn ahead (closed) at the next idle moment.
     */
    idle: async () => {
      await until(`Boolean(window.ConfabPane && document.querySelector('[data-confab]').shadowRoot.querySelector('.pane'))`)
      await sleep(500)
    },
    /** A click in the middle of the launcher, as a mouse makes it. */
    async click() {
      const [x, y] = await evaluate(`(() => {
        const box = document.querySelector('[data-confab]').shadowRoot.querySelector('[data-testid="launcher"]').getBoundingClientRect()
        return [box.x + box.width / 2, box.y + box.height / 2]
      })()`)
      for (const type of ['mousePressed', 'mouseReleased']) await cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 })
    },
    close: () => context.close()
  }
}

/** Long tasks that started in [from, to). */
const longIn = (tasks, from, to) => tasks.filter(([start, duration]) => duration > LONG && start >= from && start < to)

/** One page view of Confab: boot (the core held back), the core and the pane once idle, then a click. */
async function confabAfterIdle(browser, site, rate) {
  const view = await openPage(browser, rate, { trace: true })
  const release = site.hold()
  await view.goto(`${site.url}/confab`)
  await view.launcher()
  const launcher = await view.figure('launcher')
  const script = await view.traced()
  const before = await view.script()
  release()
  await view.idle()
  const coreStart = (await view.script()) - before
  await view.click()
  await view.until('composer')
  const clicked = await view.figure('clicked')
  const paneOpen = (await view.figure('composer')) - clicked
  await sleep(300)
  const tasks = await view.figure('longtasks')
  await view.close()
  return {
    launcher,
    script,
    coreStart,
    paneOpen,
    longBoot: longIn(tasks, 0, launcher),
    longCore: longIn(tasks, launcher, clicked),
    longOpen: longIn(tasks, clicked, Infinity)
  }
}

/** The JS heap of a page view of Confab at boot (the core held back) and once the core and the pane are in. */
async function confabHeap(browser, site, rate) {
  const view = await openPage(browser, rate)
  const release = site.hold()
  await view.goto(`${site.url}/confab`)
  await view.launcher()
  const heapBoot = await view.heap()
  release()
  await view.idle()
  const heapIdle = await view.heap()
  await view.close()
  return { heapBoot, heapIdle }
}

/** One page view of Confab whose visitor clicks the launcher as soon as it shows. */
async function confabRightAfterBoot(browser, site, rate) {
  const view = await openPage(browser, rate)
  await view.goto(`${site.url}/confab`)
  await view.launcher()
  await view.click()
  await view.until('composer')
  const paneOpen = (await view.figure('composer')) - (await view.figure('clicked'))
  await view.close()
  return { paneOpen }
}

/** One page view of the floor. */
async function floor(browser, site, rate) {
  const view = await openPage(browser, rate, { trace: true })
  await view.goto(`${site.url}/floor`)
  await view.launcher()
  const launcher = await view.figure('launcher')
  const script = await view.traced()
  await sleep(500)
  const tasks = await view.figure('longtasks')
  const heap = await view.heap()
  await view.close()
  return { launcher, script, heap, long: longIn(tasks, 0, Infinity) }
}

export async function run() {
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-boot-bench-'))
  const backend = createBackend({ dataDir, widgetPath: `${root}/dist/confab.js` })
  const { url } = await backend.listen(0)
  const site = await startSite(url)
  const browser = await launchBenchChromium()
  try {
    const loader = servedSize('dist/confab.js')
    report('boot.bytes.confab', loader, 'B')
    report('boot.bytes.floor', site.floorBytes, 'B')
    report('boot.bytes.ratio', loader / site.floorBytes, 'x')
    report('boot.bytes.chat', CHAT_PATH.reduce((sum, file) => sum + servedSize(file), 0), 'B')
    for (const rate of RATES) {
      const runs = { idle: [], heap: [], boot: [], floor: [] }
      for (let i = 0; i < RUNS; i++) {
        runs.idle.push(await confabAfterIdle(browser, site, rate))
        runs.heap.push(await confabHeap(browser, site, rate))
        runs.boot.push(await confabRightAfterBoot(browser, site, rate))
        runs.floor.push(await floor(browser, site, rate))
      }
      const median = (list, key) => percentile(list.map((run) => run[key]), 50)
      const name = (figure) => `boot.${rate}x.${figure}`
      for (const [figure, confab, bare, unit] of [
        ['launcher', median(runs.idle, 'launcher'), median(runs.floor, 'launcher'), 'ms'],
        ['script', median(runs.idle, 'script'), median(runs.floor, 'script'), 'ms'],
        ['heap', median(runs.heap, 'heapBoot'), median(runs.floor, 'heap'), 'MB']
      ]) {
        report(name(`${figure}.confab`), confab, unit)
        report(name(`${figure}.floor`), bare, unit)
        report(name(`${figure}.ratio`), confab / bare, 'x')
      }
      report(name('core-start.script'), median(runs.idle, 'coreStart'), 'ms')
      report(name('heap.idle'), median(runs.heap, 'heapIdle'), 'MB')
      report(name('pane-open.after-idle'), median(runs.idle, 'paneOpen'), 'ms')
      report(name('pane-open.after-boot'), median(runs.boot, 'paneOpen'), 'ms')
      // Every long task of every run: the goal is none.
      for (const [phase, key, list] of [
        ['boot', 'longBoot', runs.idle],
        ['core-start', 'longCore', runs.idle],
        ['pane-open', 'longOpen', runs.idle],
        ['floor', 'long', runs.floor]
      ]) {
        const tasks = list.flatMap((run) => run[key])
        report(name(`longtasks.${phase}`), tasks.length / RUNS, 'per load')
        report(name(`longtasks.${phase}.longest`), Math.max(0, ...tasks.map(([, duration]) => duration)), 'ms')
      }
    }
  } finally {
    await browser.close()
    site.close()
    await backend.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
