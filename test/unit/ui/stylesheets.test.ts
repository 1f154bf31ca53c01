import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FRAME_TOKENS, LAUNCHER_TOKENS, PANE_TOKENS } from '../../../src/ui/tokens.js'
import { declarations, sourceFiles, STYLESHEETS, tokensIn, words, type Declaration } from './stylesheets.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const read = (file: string) => readFileSync(root + file, 'utf8')

/** Sides of the box: a property named after one is physical (`margin-left`, `top`, `border-bottom`). */
const SIDE = /(^|-)(left|right|top|bottom)(-|$)/
/** Shorthands whose second and fourth values are the right and the left side. */
const BOX = /^(margin|padding|inset|border-(width|style|color)|scroll-(margin|padding))$/
/** Properties whose `left`/`right` values are physical. */
const KEYWORDS = /^(text-align|float|clear|caption-side|background-position(-x)?|object-position|transform-origin|mask-position)$/

/** Why a declaration would not mirror in a right-to-left page, or undefined when it does. */
function physical({ property, value }: Declaration): string | undefined {
  if (property.startsWith('--')) return undefined
  if (SIDE.test(property)) return `${property} names a side: use its logical twin (inset-inline-*, margin-inline-*, border-block-* …)`
  if (KEYWORDS.test(property) && /\b(left|right)\b/.test(value)) return `${property}: ${value} is physical: use start or end`
  const parts = words(value.replace(/!important$/, ''))
  if (BOX.test(property) && parts.length === 4 && parts[1] !== parts[3]) {
    return `${property}: ${value} differs between right and left: set ${property}-inline-start or -end`
  }
  if (property === 'border-radius' && !value.includes('/')) {
    const [a, b = a, c = a, d = b] = parts
    if (a !== b || c !== d) return `border-radius: ${value} differs between left and right corners: use border-start-start-radius …`
  }
  return undefined
}

describe('stylesheets', () => {
  it('are all known to these tests: every module that adopts or mounts a stylesheet takes it from a styles module', () => {
    const styled = sourceFiles().filter((file) => /import \{[^}]*\b(adopt|mount)\b[^}]*\} from '[^']*\/(sheet|mount)\.js'|replaceSync\(/.test(read(file)) && !/^src\/ui\/(sheet|mount)\.ts$/.test(file))
    expect(styled.length).toBeGreaterThan(5)
    const known = new Set(STYLESHEETS.map((sheet) => sheet.file))
    for (const file of styled) {
      const source = read(file)
      const fromStyles = [...source.matchAll(/from '([^']*styles\.js)'/g)].map((match) => match[1]!)
      expect(known.has(file) || fromStyles.length > 0, `${file} adopts a stylesheet from no styles module`).toBe(true)
    }
    // A styles module is read itself, or as part of one that is (the pane's rich-styles.ts).
    const parts = [...known].flatMap((file) => [...read(file).matchAll(/from '\.\/([\w-]*styles)\.js'/g)].map((match) => file.replace(/[\w-]+\.ts$/, `${match[1]}.ts`)))
    for (const file of sourceFiles().filter((path) => /(^|[/-])styles\.ts$/.test(path))) {
      expect([...known, ...parts], `${file} is a stylesheet the tests below do not read`).toContain(file)
    }
  })

  it('use logical properties only, so the widget mirrors in a right-to-left page', () => {
    const problems = STYLESHEETS.flatMap(({ name, css }) =>
      declarations(css).flatMap((declaration) => {
        const why = physical(declaration)
        return why ? [`${name}: ${declaration.where} { ${why} }`] : []
      })
    )
    expect(problems).toEqual([])
  })

  it('find a physical property when there is one', () => {
    const found = (css: string) => declarations(css).map(physical).filter(Boolean).length
    expect(found('.a{margin-left:4px}.b{right:0}.c{text-align:left}.d{padding:1px 2px 3px 4px}.e{border-radius:4px 0 0 4px}.f{border-top:1px solid}')).toBe(6)
    expect(found('.a{margin-inline-start:4px}.b{inset-inline-end:0}.c{text-align:start}.d{padding:1px 2px 3px}.e{border-radius:50%}.f{--x-left:0}')).toBe(0)
  })

  it('set no physical sides in inline styles or from scripts either', () => {
    const problems = sourceFiles()
      .filter((file) => /\.tsx?$/.test(file))
      .flatMap((file) => {
        const source = read(file)
        const inline = /style=\{\{[^}]*\b(left|right|top|bottom|(margin|padding|border|inset)(Left|Right|Top|Bottom))\s*:/.exec(source)
        const scripted = /\.style\.(left|right|top|bottom|(margin|padding|border)(Left|Right|Top|Bottom))\b|setProperty\('(left|right|top|bottom|[a-z-]*-(left|right|top|bottom))'/.exec(source)
        return [inline, scripted].filter(Boolean).map((match) => `${file}: ${match![0]}`)
      })
    expect(problems).toEqual([])
  })

  it('read only tokens that are declared by the time they apply', () => {
    const problems = STYLESHEETS.flatMap(({ name, css, tokens }) =>
      declarations(css).flatMap(({ where, property, value }) =>
        tokensIn(value)
          .filter((token) => !tokens.includes(token) && !['scheme', 'start', 'end'].includes(token))
          .map((token) => `${name}: ${where} { ${property} } reads --_${token}, not declared there`)
      )
    )
    expect(problems).toEqual([])
  })

  it("declare each token where it is first needed: the loader only the light values of the launcher's", () => {
    const declared = STYLESHEETS.map(({ name, css }) => [name, [...new Set(declarations(css).filter(({ property }) => property.startsWith('--_')).map(({ property }) => property.slice(3)))].sort()] as const)
    const launcher = Object.keys(LAUNCHER_TOKENS)
    expect(Object.fromEntries(declared)).toEqual({
      launcherCss: ['end', 'start', ...launcher].sort(),
      busyCss: [],
      frameCss: ['scheme', ...launcher, ...Object.keys(FRAME_TOKENS)].sort(),
      pane: ['scheme', ...Object.keys(PANE_TOKENS)].sort(),
      search: [],
      media: [],
      emoji: [],
      gifs: []
    })
    expect(declarations(STYLESHEETS[0]!.css).filter(({ where }) => /data-theme|prefers-color-scheme|forced-colors/.test(where) && !where.endsWith('.launcher'))).toEqual([])
  })

  it('take every colour from a token, so that both schemes and forced colours reach it', () => {
    const problems = STYLESHEETS.flatMap(({ name, css }) =>
      declarations(css)
        // Custom properties are the tokens themselves. A dialog's ::backdrop inherits nothing
        // before Chrome 122, so the viewer's is written out (the scrim's value).
        .filter(({ where, property }) => !property.startsWith('--') && !where.includes('::backdrop'))
        .filter(({ value }) => /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|\b(white|black|red|gray|grey)\b/i.test(value))
        .map(({ where, property, value }) => `${name}: ${where} { ${property}: ${value} }`)
    )
    expect(problems).toEqual([])
  })

  it('turn off every animation and transition for visitors who ask for less motion', () => {
    const launcher = declarations(STYLESHEETS[0]!.css)
    const still = launcher.filter(({ where }) => where === '@media (prefers-reduced-motion:reduce) *')
    expect(still.map(({ property, value }) => `${property}:${value}`)).toEqual(['animation:none!important', 'transition:none!important'])
    // `*` matches every element of the shadow root (the launcher's sheet is always there first), but no pseudo-element.
    const moving = STYLESHEETS.flatMap(({ name, css }) =>
      declarations(css).filter(({ property, value }) => /^(animation|transition)/.test(property) || (property === 'scroll-behavior' && value === 'smooth')).map((d) => ({ name, ...d }))
    )
    expect(moving.length).toBeGreaterThan(0)
    expect(moving.filter(({ where, property }) => /::/.test(where) || property === 'scroll-behavior')).toEqual([])
  })
})
