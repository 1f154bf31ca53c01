import type { Strings } from '../strings.js'

/** The languages whose text loads apart from the code, each a module of this folder. */
const FILES: Record<string, () => Promise<{ default: Strings }>> = {
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  de: () => import('./de.js'),
  ja: () => import('./ja.js'),
  ar: () => import('./ar.js'),
  he: () => import('./he.js')
}

/**
 * Load the whole text of `language` (not English, which comes with the code); bundlers split each
 * language into a chunk of its own, so a page loads only the one it speaks. The script tag's build
 * swaps in `load-script.ts`, which loads `confab-locale-<language>.js` instead.
 */
export const loadLocale = (language: string): Promise<Strings> => FILES[language]!().then((module) => module.default)
