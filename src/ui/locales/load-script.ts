import { loadCompanion } from '../../util/companion.js'
import type { Strings } from '../strings.js'

/**
 * The script tag's loader (the build swaps it in for `load.ts`): `confab-locale-<language>.js`, beside
 * `confab.js`, which defines `ConfabLocale_<language>`.
 */
export const loadLocale = (language: string): Promise<Strings> => loadCompanion(`confab-locale-${language}.js`, `ConfabLocale_${language}`)
