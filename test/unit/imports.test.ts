import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// How the modules of src/ import each other: no runtime cycles, and only downward through the layers
// of ../shared/STYLE.md (ui → client/search/tabs → store → transports/cache → errors/util).

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

/** Each folder's layer; a module imports from its own layer or below. Entries sit on top. */
const LAYER: Record<string, number> = {
  'index.ts': 5,
  'embed.ts': 5,
  'global.ts': 5,
  embed: 5,
  testing: 5,
  ui: 4,
  render: 4,
  client: 3,
  media: 3,
  search: 3,
  tabs: 3,
  store: 2,
  transports: 1,
  cache: 1,
  gifs: 1,
  errors: 0,
  util: 0
}

/** An import or re-export whose bindings are not all types: `import a, { b, type C } from './x'`. */
const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(type\s+)?(\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm

/** Whether an import clause brings only types (which vanish at runtime). */
const onlyTypes = (typeKeyword: string | undefined, clause: string) =>
  Boolean(typeKeyword) ||
  (clause.startsWith('{') &&
    clause
      .slice(1, -1)
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .every((name) => name.startsWith('type ')))

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** The module `spec` names from `from`, among `files` (`.js` in specs stands for `.ts`/`.tsx`). */
function resolveSpec(from: string, spec: string, files: Set<string>): string | undefined {
  const base = resolve(dirname(from), spec).replace(/\.js$/, '')
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => files.has(candidate))
}

/** The relative modules `source` imports statically, each with whether it needs it at runtime. */
export function importsOf(source: string): { spec: string; runtime: boolean }[] {
  return [...source.matchAll(STATIC_IMPORT)].map(([, typeKeyword, clause = '', spec, bare]) => ({
    spec: (spec ?? bare)!,
    runtime: Boolean(bare) || !onlyTypes(typeKeyword, clause.trim())
  }))
}

/** Every module of src/ (relative paths) with the modules it imports: all of them, and those it needs at runtime. */
function importGraph() {
  const paths = sourceFiles(SRC)
  const files = new Set(paths)
  const all = new Map<string, Set<string>>()
  const runtime = new Map<string, Set<string>>()
  for (const file of paths) {
    const name = relative(SRC, file)
    all.set(name, new Set())
    runtime.set(name, new Set())
    for (const { spec, runtime: needed } of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveSpec(file, spec, files)
      if (!target) continue
      all.get(name)!.add(relative(SRC, target))
      if (needed) runtime.get(name)!.add(relative(SRC, target))
    }
  }
  return { all, runtime }
}

/**
 * The groups of modules that import each other in a circle (strongly connected components of more
 * than one module, or one that imports itself), each sorted, by Tarjan's algorithm.
 */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let counter = 0
  const order = new Map<string, number>()
  const reach = new Map<string, number>()
  const path: string[] = []
  const onPath = new Set<string>()
  const groups: string[][] = []
  const visit = (module: string) => {
    order.set(module, counter)
    reach.set(module, counter++)
    path.push(module)
    onPath.add(module)
    for (const next of graph.get(module) ?? []) {
      if (!order.has(next)) {
        visit(next)
        reach.set(module, Math.min(reach.get(module)!, reach.get(next)!))
      } else if (onPath.has(next)) {
        reach.set(module, Math.min(reach.get(module)!, order.get(next)!))
      }
    }
    if (reach.get(module) !== order.get(module)) return
    const group: string[] = []
    let member: string
    do {
      member = path.pop()!
      onPath.delete(member)
      group.push(member)
    } while (member !== module)
    if (group.length > 1 || graph.get(module)?.has(module)) groups.push(group.sort())
  }
  for (const module of graph.keys()) if (!order.has(module)) visit(module)
  return groups
}

describe('the import graph of src/', () => {
  const { all, runtime } = importGraph()

  it('finds a cycle where there is one, and none where there is none', () => {
    const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]))
    expect(cyclesOf(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']])
    expect(cyclesOf(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([])
    expect(cyclesOf(graph({ a: ['a'] }))).toEqual([['a']])
  })

  it('reads static imports and re-exports, and tells type-only ones apart', () => {
    const source = [
      "import { a, type B } from './a.js'",
      "import type { C } from './c.js'",
      "import { type D, type E } from './d.js'",
      'import f, {',
      '  g',
      "} from './f.js'",
      "import * as h from './h.js'",
      "import './i.js'",
      "export { j } from './j.js'",
      "export type { K } from './k.js'",
      "const lazy = () => import('./l.js')",
      "import { m } from 'nanostores'"
    ].join('\n')
    expect(importsOf(source)).toEqual([
      { spec: './a.js', runtime: true },
      { spec: './c.js', runtime: false },
      { spec: './d.js', runtime: false },
      { spec: './f.js', runtime: true },
      { spec: './h.js', runtime: true },
      { spec: './i.js', runtime: true },
      { spec: './j.js', runtime: true },
      { spec: './k.js', runtime: false }
    ])
    expect(runtime.get('index.ts')).toContain('client/index.ts')
  })

  it('has no import cycle, through runtime or type imports', () => {
    expect(cyclesOf(runtime), 'modules that import each other in a circle').toEqual([])
    expect(cyclesOf(all), 'modules whose types import each other in a circle').toEqual([])
  })

  it('imports only from its own layer or below', () => {
    const layerOf = (module: string) => LAYER[module.split('/')[0]!]
    const upward = [...all].flatMap(([from, targets]) =>
      [...targets].filter((to) => layerOf(to)! > layerOf(from)!).map((to) => `${from} → ${to}`)
    )
    expect(upward).toEqual([])
  })
})
