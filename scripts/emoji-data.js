// @ts-check
/**
 * Build-time only (never shipped): shapes emojibase-data's English CLDR data into `confab-emoji.json`,
 * the file the emoji picker and `:shortcode:` completion load on first use. See `EmojiData` in
 * src/ui/emoji/types.ts for the format.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** @typedef {import('../src/ui/emoji/types.js').EmojiData} EmojiData */
/** @typedef {import('../src/ui/emoji/types.js').EmojiRow} EmojiRow */

/**
 * What the shaping reads from emojibase-data (`en/compact.json`, `meta/groups.json`, `en/data.json`'s
 * versions and two shortcode sets).
 * @typedef {{ unicode: string, label: string, hexcode: string, group?: number, order?: number, tags?: string[] }} CompactEmoji
 * @typedef {Record<string, string | string[]>} ShortcodeSet
 * @typedef {{ compact: CompactEmoji[], groups: Record<string, string>, versions: Record<string, number>, shortcodes: ShortcodeSet[] }} Emojibase
 */

/** The data's format: bumped when the picker could not read an older file. */
export const EMOJI_FORMAT = 1

/**
 * Emoji from this version on are marked with it, so that a browser whose fonts lack them can leave
 * them out (Windows 10 and phones a few years old lack some of Emoji 12 and most of what came after).
 */
const MARKED_FROM = 12

/** Components (skin tone and hair swatches) are no emoji to send on their own. */
const SKIPPED_GROUPS = new Set(['component'])

const list = (/** @type {string | string[] | undefined} */ value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/**
 * Shape emojibase's data into what the picker needs: for each Unicode group in order, its emoji in
 * order as `[emoji, name, shortcodes, keywords, version?]`. Shortcodes come from the sets in the
 * order given (GitHub's first: what people type in GitHub, Slack and Discord), a shortcode kept
 * by the first emoji that claims it. Keywords are the CLDR tags not already words of the name.
 *
 * @example
 * shapeEmojiData(readEmojibase()).groups[0] // { key: 'smileys-emotion', emoji: [['😀', 'grinning face', 'grinning grinning_face', 'cheerful …'], …] }
 * @param {Emojibase} source
 * @returns {EmojiData}
 */
export function shapeEmojiData({ compact, groups, versions, shortcodes }) {
  /** @type {Map<string, string>} shortcode → hexcode of the emoji that has it */
  const owner = new Map()
  for (const set of shortcodes) {
    for (const [hexcode, codes] of Object.entries(set)) for (const code of list(codes)) if (!owner.has(code)) owner.set(code, hexcode)
  }
  const byGroup = new Map(Object.entries(groups).map(([index, key]) => [Number(index), { key, emoji: /** @type {[number, EmojiRow][]} */ ([]) }]))
  for (const emoji of compact) {
    const group = emoji.group === undefined ? undefined : byGroup.get(emoji.group)
    // Regional indicator letters have no group: they are flags' halves.
    if (!group || SKIPPED_GROUPS.has(group.key)) continue
    const codes = [...new Set(shortcodes.flatMap((set) => list(set[emoji.hexcode])))].filter((code) => owner.get(code) === emoji.hexcode)
    const named = new Set(words(emoji.label))
    const keywords = [...new Set((emoji.tags ?? []).map((tag) => tag.toLowerCase()))].filter((tag) => !named.has(tag))
    /** @type {EmojiRow} */
    const row = [emoji.unicode, emoji.label, codes.join(' '), keywords.join(' ')]
    const version = versions[emoji.hexcode] ?? 0
    if (version >= MARKED_FROM) row.push(version)
    group.emoji.push([emoji.order ?? 0, row])
  }
  return {
    format: EMOJI_FORMAT,
    groups: [...byGroup.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, group]) => group.emoji.length)
      .map(([, group]) => ({ key: /** @type {EmojiData['groups'][number]['key']} */ (group.key), emoji: group.emoji.sort(([a], [b]) => a - b).map(([, row]) => row) }))
  }
}

/** The words of a name, as search splits them. */
const words = (/** @type {string} */ name) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)

/**
 * Read what {@link shapeEmojiData} needs from the installed emojibase-data (a devDependency).
 * @returns {Emojibase}
 */
export function readEmojibase() {
  const require = createRequire(import.meta.url)
  /** @param {string} file */
  const read = (file) => JSON.parse(readFileSync(require.resolve(`emojibase-data/${file}`), 'utf8'))
  /** @type {{ hexcode: string, version: number }[]} */
  const full = read('en/data.json')
  return {
    compact: read('en/compact.json'),
    groups: read('meta/groups.json').groups,
    versions: Object.fromEntries(full.map((emoji) => [emoji.hexcode, emoji.version])),
    shortcodes: [read('en/shortcodes/github.json'), read('en/shortcodes/emojibase.json')]
  }
}

/**
 * A rollup plugin for the npm build: writes `confab-emoji.json` (minified) beside the output, for
 * the script tag and for anyone who hosts it (`emojiDataUrl`), and fills the widget's data module
 * (`src/ui/emoji/data.ts`, empty in src/) with the same data, so that every app bundler takes it
 * as it is, no JSON plugin needed, and splits it off with the loader's `import()`.
 * @returns {import('rollup').Plugin}
 */
export function emojiData() {
  const module = fileURLToPath(new URL('../src/ui/emoji/data.ts', import.meta.url))
  /** @type {string | undefined} */
  let json
  const shaped = () => (json ??= JSON.stringify(shapeEmojiData(readEmojibase())))
  return {
    name: 'emoji-data',
    // A JSON string parses faster than the same object written as code.
    load: (id) => (id === module ? `export default JSON.parse(${JSON.stringify(shaped())})` : null),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'confab-emoji.json', source: shaped() })
    }
  }
}
