import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { busyCss, frameCss, launcherCss } from '../../../src/ui/styles.js'
import { css as paneCss } from '../../../src/ui/pane/styles.js'
import { css as searchCss } from '../../../src/ui/search/styles.js'
import { css as mediaCss } from '../../../src/ui/media/styles.js'
import { css as emojiCss } from '../../../src/ui/emoji/styles.js'
import { css as gifsCss } from '../../../src/ui/gifs/styles.js'
import { FRAME_TOKENS, LAUNCHER_TOKENS, PANE_TOKENS } from '../../../src/ui/tokens.js'

export const SRC = fileURLToPath(new URL('../../../src', import.meta.url))

/**
 * Every stylesheet of the widget, in the order they reach the shadow root, with the tokens that
 * are declared by the time each applies: the loader's launcher (its own tokens), the frame (the
 * core's), then the pane and what loads after it.
 */
export const STYLESHEETS: { name: string; file: string; css: string; tokens: readonly string[] }[] = (() => {
  const launcher = Object.keys(LAUNCHER_TOKENS)
  const frame = [...launcher, ...Object.keys(FRAME_TOKENS)]
  const all = [...frame, ...Object.keys(PANE_TOKENS)]
  return [
    { name: 'launcherCss', file: 'src/ui/styles.ts', css: launcherCss, tokens: launcher },
    { name: 'busyCss', file: 'src/ui/styles.ts', css: busyCss, tokens: launcher },
    { name: 'frameCss', file: 'src/ui/styles.ts', css: frameCss, tokens: frame },
    { name: 'pane', file: 'src/ui/pane/styles.ts', css: paneCss, tokens: all },
    { name: 'search', file: 'src/ui/search/styles.ts', css: searchCss, tokens: all },
    { name: 'media', file: 'src/ui/media/styles.ts', css: mediaCss, tokens: all },
    { name: 'emoji', file: 'src/ui/emoji/styles.ts', css: emojiCss, tokens: all },
    { name: 'gifs', file: 'src/ui/gifs/styles.ts', css: gifsCss, tokens: all }
  ]
})()

/** The source files of src/, relative to the repository (`src/ui/styles.ts`). */
export function sourceFiles(folder = SRC): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(tsx?|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [join('src', relative(SRC, path))] : []
  })
}

/** A declaration with the selector (and at-rules) it sits in: `{ where: '@media (…) .x', property, value }`. */
export interface Declaration {
  where: string
  property: string
  value: string
}

/** The declarations of a stylesheet, each with its selector and the at-rules around it. */
export function declarations(css: string): Declaration[] {
  const found: Declaration[] = []
  const stack: string[] = []
  let text = ''
  for (const char of css.replace(/\/\*[\s\S]*?\*\//g, '')) {
    if (char === '{') {
      stack.push(text.trim())
      text = ''
    } else if (char === '}' || char === ';') {
      const declaration = /^\s*(--[\w-]+|[a-z-]+)\s*:\s*([\s\S]+?)\s*$/.exec(text)
      if (declaration) found.push({ where: stack.join(' '), property: declaration[1]!, value: declaration[2]! })
      text = ''
      if (char === '}') stack.pop()
    } else text += char
  }
  return found
}

/** `value` split at spaces outside parentheses: `calc(1px + 2px) 3px` → two. */
export function words(value: string): string[] {
  const parts: string[] = []
  let depth = 0
  let part = ''
  for (const char of value.trim()) {
    if (char === '(') depth++
    if (char === ')') depth--
    if (/\s/.test(char) && depth === 0) {
      if (part) parts.push(part)
      part = ''
    } else part += char
  }
  if (part) parts.push(part)
  return parts
}

/** The tokens a value reads: `var(--_surface)` → `surface`. */
export const tokensIn = (value: string) => [...value.matchAll(/var\(--_([\w-]+)/g)].map((match) => match[1]!)
