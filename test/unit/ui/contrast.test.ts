import { describe, expect, it } from 'vitest'
import { CONTRAST_PAIRS, FRAME_TOKENS, LAUNCHER_TOKENS, PANE_TOKENS, type ContrastKind } from '../../../src/ui/tokens.js'
import type { ThemeColors } from '../../../src/ui/theme.js'
import { declarations, STYLESHEETS, tokensIn } from './stylesheets.js'

// WCAG 2.2 contrast of every foreground and background token the stylesheets put together, in
// both schemes, from the same table the CSS is written from (src/ui/tokens.ts).

const TOKENS = { ...LAUNCHER_TOKENS, ...FRAME_TOKENS, ...PANE_TOKENS }
const NEEDED: Record<ContrastKind, number> = { text: 4.5, large: 3, ui: 3 }

type Rgba = [r: number, g: number, b: number, a: number]

/** The names of the `colors` option, all of them (the type below fails to compile when one is missing). */
const THEME_COLORS = [
  'brand', 'onBrand', 'focus', 'error', 'onError', 'surface', 'text', 'muted', 'border', 'divider', 'accent',
  'bubbleVisitor', 'onBubbleVisitor', 'bubbleAgent', 'onBubbleAgent', 'bubbleBot', 'onBubbleBot',
  'subtle', 'selected', 'success', 'mark', 'onMark', 'highlight', 'star', 'viewer', 'onViewer', 'scrim'
] as const satisfies readonly (keyof ThemeColors)[]
const everyName: Exclude<keyof ThemeColors, (typeof THEME_COLORS)[number]> extends never ? true : false = true

/** A token's value as the browser computes it, for the tokens' own syntax: hex, `var(--_x)`, `color-mix(in srgb,A p%,B)`. */
function colour(value: string, scheme: 'light' | 'dark'): Rgba {
  const reference = /^var\(--_([\w-]+)\)$/.exec(value)
  if (reference) return token(reference[1]!, scheme)
  const mix = /^color-mix\(in srgb,(.+) (\d+)%,(.+)\)$/.exec(value)
  if (mix) {
    const [a, b, p] = [colour(mix[1]!, scheme), colour(mix[3]!, scheme), Number(mix[2]) / 100]
    return [0, 1, 2, 3].map((i) => a[i]! * p + b[i]! * (1 - p)) as Rgba
  }
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value)?.[1]
  if (!hex) throw new Error(`Not a colour the contrast test reads: ${value}`)
  const digits = hex.length <= 4 ? [...hex].map((d) => d + d) : hex.match(/../g)!
  const [r, g, b, a = 255] = digits.map((d) => parseInt(d, 16))
  return [r!, g!, b!, a / 255]
}

function token(name: string, scheme: 'light' | 'dark'): Rgba {
  const values = TOKENS[name]
  if (!values) throw new Error(`No token ${name}`)
  return colour(scheme === 'dark' ? values[1] ?? values[0] : values[0], scheme)
}

/** `top` over `bottom` (opaque). */
const over = (top: Rgba, bottom: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + bottom[i]! * (1 - top[3])).concat(1) as Rgba

const luminance = ([r, g, b]: Rgba) => {
  const linear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

export function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light! + 0.05) / (dark! + 0.05)
}

const isColour = (name: string) => {
  try {
    token(name, 'light')
    return true
  } catch {
    return false
  }
}

describe('contrast of the theme (WCAG 2.2 AA)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`is enough for every pair the stylesheets use in the ${scheme} scheme`, () => {
      const short = CONTRAST_PAIRS.flatMap(([fg, bg, kind, where, under]) => {
        const base = under ? colour(under, scheme) : token('surface', scheme)
        const back = over(token(bg, scheme), base)
        const ratio = contrast(over(token(fg, scheme), back), back)
        return ratio >= NEEDED[kind] ? [] : [`${fg} on ${bg} (${where}): ${ratio.toFixed(2)}:1, ${kind} needs ${NEEDED[kind]}:1`]
      })
      expect(short).toEqual([])
    })
  }

  it('finds a pair short of contrast when there is one', () => {
    expect(contrast(colour('#777', 'light'), colour('#fff', 'light'))).toBeLessThan(4.5)
    expect(contrast(colour('#000', 'light'), colour('#fff', 'light'))).toBeCloseTo(21)
    expect(contrast(colour('color-mix(in srgb,#000 50%,#fff)', 'light'), colour('#808080', 'light'))).toBeCloseTo(1, 1)
  })

  it('lists every foreground and background a rule of the stylesheets sets together', () => {
    const listed = new Set(CONTRAST_PAIRS.map(([fg, bg, kind]) => `${fg} on ${bg} ${kind === 'ui' ? 'ui' : 'text'}`))
    const missing = STYLESHEETS.flatMap(({ name, css }) => {
      const rules = new Map<string, Record<string, string[]>>()
      for (const { where, property, value } of declarations(css)) {
        if (where.includes('forced-colors')) continue
        const rule = rules.get(where) ?? {}
        rules.set(where, rule)
        const kind = property === 'color' ? 'fg' : /^background(-color)?$/.test(property) ? 'bg' : /^outline(-color)?$/.test(property) ? 'ring' : undefined
        if (kind) rule[kind] = tokensIn(value)
      }
      return [...rules].flatMap(([where, { fg, bg, ring }]) =>
        (bg ?? []).flatMap((back) => [
          ...(fg ?? []).map((fore) => `${fore} on ${back} text`),
          ...(ring ?? []).map((fore) => `${fore} on ${back} ui`)
        ]).filter((pair) => !listed.has(pair)).map((pair) => `${name}: ${where}: ${pair}`)
      )
    })
    expect(missing).toEqual([])
  })

  it('names every pair with tokens the table has', () => {
    for (const [fg, bg] of CONTRAST_PAIRS) {
      expect(TOKENS).toHaveProperty([fg])
      expect(TOKENS).toHaveProperty([bg])
    }
  })

  it('lets a site set every colour token, and only those, through the colors option', () => {
    expect(everyName).toBe(true)
    const kebab = (name: string) => name.replace(/[A-Z]/g, (upper) => `-${upper.toLowerCase()}`)
    expect(THEME_COLORS.map(kebab).sort()).toEqual(Object.keys(TOKENS).filter(isColour).sort())
  })
})
