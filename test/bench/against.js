// `--against REF`: this tree and another commit measured in the same run. REF is checked out in a
// temporary git worktree and built there; then a benchmark's measure() runs for both trees in turns,
// one sample of this tree, one of the baseline, and so on, so the load of a shared machine lands on
// both alike. Absolute times move from one run to the next; the ratio is the figure that holds.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { report } from './report.js'

/** Run a command; its output goes to stderr, since stdout carries only figures. */
function sh(cwd, command, ...args) {
  const child = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2] })
  if (child.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} exited with ${child.status}`)
}

/**
 * Check `ref` out in a temporary worktree of `root`'s repository, build it there with `root`'s
 * node_modules, hand its path to `use`, and remove the worktree afterwards, whatever happened.
 * @example
 * await withBaseline(root, 'main', (baseline) => compare(measure, { current: root, baseline }))
 */
export async function withBaseline(root, ref, use) {
  const folder = mkdtempSync(join(tmpdir(), 'confab-baseline-'))
  const modules = join(folder, 'node_modules')
  const remove = () => {
    // The link first, so nothing that deletes the folder can reach the shared node_modules.
    rmSync(modules, { force: true })
    spawnSync('git', ['worktree', 'remove', '--force', folder], { cwd: root, stdio: 'ignore' })
    rmSync(folder, { recursive: true, force: true })
  }
  // Ctrl-C would skip `finally`; a signal leaves through the same cleanup.
  const interrupted = () => process.exit(130)
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted).once('exit', remove)
  try {
    sh(root, 'git', 'worktree', 'add', '--quiet', '--detach', folder, ref)
    symlinkSync(realpathSync(join(root, 'node_modules')), modules)
    console.error(`Building ${ref} in ${folder}`)
    sh(folder, 'npm', 'run', 'build', '--silent')
    return await use(folder)
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted).off('exit', remove)
    remove()
  }
}

/**
 * Run `measure` for both trees at once, in turns: a tree runs only while the other waits in its
 * `turn()` (which a benchmark awaits before each sample) or has finished. Resolves to both figure lists.
 */
async function inTurns(measure, roots) {
  let holder = 0
  const wake = []
  const finished = []
  const myTurn = (tree) => new Promise((resolve) => (holder === tree ? resolve() : (wake[tree] = resolve)))
  const handTo = (tree) => {
    holder = tree
    wake[tree]?.()
  }
  const one = async (tree, root) => {
    const other = 1 - tree
    await myTurn(tree)
    const turn = async () => {
      if (finished[other]) return
      handTo(other)
      await myTurn(tree)
    }
    try {
      return await measure({ root, turn })
    } finally {
      finished[tree] = true
      handTo(other)
    }
  }
  // Both run to their end before a failure is reported: the baseline's worktree goes away after this.
  const settled = await Promise.allSettled([one(0, roots.current), one(1, roots.baseline)])
  const failed = settled.find(({ status }) => status === 'rejected')
  if (failed) throw failed.reason
  return settled.map(({ value }) => value)
}

/**
 * Measure both trees in turns and print every figure for this tree, as `.baseline` for the other,
 * and their `.ratio`.
 * @param {(options: { root: string, turn: () => Promise<void> }) => Promise<[string, number, string][]>} measure
 * @param {{ current: string, baseline: string }} roots
 * @example
 * await compare(measure, { current: root, baseline: '/tmp/confab-baseline-x1' })
 * // {"metric":"client.send.p50","value":0.41,"unit":"ms"}
 * // {"metric":"client.send.p50.baseline","value":0.4,"unit":"ms"}
 * // {"metric":"client.send.p50.ratio","value":1.02,"unit":"x"}
 */
export async function compare(measure, roots) {
  const [current, baseline] = await inTurns(measure, roots)
  for (const [metric, value, unit] of current) {
    const base = baseline.find(([name]) => name === metric)[1]
    report(metric, value, unit)
    report(`${metric}.baseline`, base, unit)
    report(`${metric}.ratio`, value / base, 'x')
  }
}
