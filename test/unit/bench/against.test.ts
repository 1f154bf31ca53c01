import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { compare, withBaseline } from '../../bench/against.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** The JSON lines `compare` printed, as objects. */
function printed(log: { mock: { calls: unknown[][] } }) {
  return log.mock.calls.map(([line]) => JSON.parse(String(line)))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('benchmarks against another commit', () => {
  type Figure = [string, number, string]
  type Measure = (options: { root: string; turn: () => Promise<void> }) => Promise<Figure[]>
  const quiet = () => vi.spyOn(console, 'log').mockImplementation(() => undefined)

  /** A benchmark that logs each sample it takes: `samples[root]` of them, the turn awaited before each. */
  function sampling(samples: Record<string, number>, log: string[]): Measure {
    return async ({ root, turn }) => {
      for (let i = 0; i < samples[root]!; i++) {
        await turn()
        log.push(`${root}${i}`)
        await new Promise((resolve) => setTimeout(resolve, root === 'A' ? 5 : 1))
      }
      return [['x.p50', 1, 'ms']]
    }
  }

  it('takes the samples of the two trees in turns, one each', async () => {
    const log: string[] = []
    quiet()
    await compare(sampling({ A: 3, B: 3 }, log), { current: 'A', baseline: 'B' })
    expect(log).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2'])
  })

  it('lets one tree go on alone once the other has finished', async () => {
    const log: string[] = []
    quiet()
    await compare(sampling({ A: 1, B: 3 }, log), { current: 'A', baseline: 'B' })
    expect(log).toEqual(['A0', 'B0', 'B1', 'B2'])
  })

  it('prints each figure of this tree, the baseline\'s and their ratio', async () => {
    const figures: Record<string, Figure[]> = {
      A: [['client.send.p50', 0.5, 'ms'], ['cache.stored', 100, 'KiB']],
      B: [['client.send.p50', 0.4, 'ms'], ['cache.stored', 100, 'KiB']]
    }
    const log = quiet()
    await compare(async ({ root }) => figures[root]!, { current: 'A', baseline: 'B' })
    expect(printed(log)).toEqual([
      { metric: 'client.send.p50', value: 0.5, unit: 'ms' },
      { metric: 'client.send.p50.baseline', value: 0.4, unit: 'ms' },
      { metric: 'client.send.p50.ratio', value: 1.25, unit: 'x' },
      { metric: 'cache.stored', value: 100, unit: 'KiB' },
      { metric: 'cache.stored.baseline', value: 100, unit: 'KiB' },
      { metric: 'cache.stored.ratio', value: 1, unit: 'x' }
    ])
  })

  it('fails with the error of a failing tree, once the other has finished', async () => {
    const log: string[] = []
    const measure: Measure = async (options) => {
      if (options.root === 'B') throw new Error('the baseline has no such page')
      return sampling({ A: 2 }, log)(options)
    }
    await expect(compare(measure, { current: 'A', baseline: 'B' })).rejects.toThrow('the baseline has no such page')
    expect(log).toEqual(['A0', 'A1'])
  })

  it('leaves no worktree and no temporary folder behind when the commit cannot be checked out', async () => {
    // Only baseline worktrees and folders are compared: other checkouts of the repository come and go.
    const worktrees = () =>
      execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: root, encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('confab-baseline-'))
    const folders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('confab-baseline-'))
    const before = { worktrees: worktrees(), folders: folders() }
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const use = vi.fn()
    await expect(withBaseline(root, 'no-such-commit-anywhere', use)).rejects.toThrow(/git worktree add/)
    expect(use).not.toHaveBeenCalled()
    expect({ worktrees: worktrees(), folders: folders() }).toEqual(before)
  })
})
