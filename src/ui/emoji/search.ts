import type { Emoji, EmojiData, EmojiGroupKey } from './types.js'

/** A shortcode that completes what was typed, and its emoji. */
export interface ShortcodeMatch {
  emoji: Emoji
  shortcode: string
}

/** The emoji of the data, in groups and searchable. Built once, when the data arrives. */
export interface EmojiIndex {
  /** The groups in Unicode's order, their emoji in order. */
  groups: { key: EmojiGroupKey; emoji: Emoji[] }[]
  /** The emoji for this character (as the recently used list keeps them). */
  get(emoji: string): Emoji | undefined
  /** The emoji with this shortcode (without colons; any case). */
  byShortcode(shortcode: string): Emoji | undefined
  /**
   * The emoji of which every word of `query` starts a word of the name, a shortcode or a keyword,
   * best first: whole words before prefixes, names and shortcodes before keywords, names that begin
   * with the query first, then Unicode's order.
   */
  search(query: string, limit?: number): Emoji[]
  /** The shortcodes that start with `prefix` (or have a word after `_` that does), one per emoji, best first. */
  complete(prefix: string, limit?: number): ShortcodeMatch[]
}

/**
 * One emoji's words as search reads them: each kind space-separated with a space either side, so
 * that `includes(' smi')` finds a word that starts so and `includes(' smile ')` a whole one.
 */
interface Entry {
  emoji: Emoji
  order: number
  name: string
  shortcodes: string
  keywords: string
}

/** How much a word matched in a name or shortcode counts, against one matched in the keywords; whole words count double. */
const NAMED = 3
const KEYWORD = 1

/** Words as search splits them, in names and in queries alike. */
export const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}+]+/u).filter(Boolean)

/**
 * Index the data file's emoji, leaving out those newer than the browser's fonts draw
 * (`supported`, an Emoji version; see `supportedVersion`).
 *
 * @example
 * const index = createEmojiIndex(data)
 * index.search('thumb')[0].emoji // '👍'
 * index.complete('smi').map((m) => m.shortcode) // ['smile', 'smiley', 'smirk', …]
 */
export function createEmojiIndex(data: EmojiData, supported = Infinity): EmojiIndex {
  const entries: Entry[] = []
  const byEmoji = new Map<string, Emoji>()
  const byCode = new Map<string, Emoji>()
  const groups = data.groups.map(({ key, emoji: rows }) => {
    const emoji: Emoji[] = []
    for (const [char, name, codes, keywords, version = 0] of rows) {
      if (version > supported) continue
      const item: Emoji = { emoji: char, name, shortcodes: codes ? codes.split(' ') : [], group: key }
      emoji.push(item)
      byEmoji.set(char, item)
      // The emoji variation selector is optional when matching what a person typed or kept.
      byEmoji.set(char.replace(/\uFE0F/g, ''), item)
      for (const code of item.shortcodes) if (!byCode.has(code)) byCode.set(code, item)
      entries.push({ emoji: item, order: entries.length, name: ` ${words(name).join(' ')} `, shortcodes: ` ${codes} `, keywords: ` ${keywords} ` })
    }
    return { key, emoji }
  })

  return {
    groups,
    get: (emoji) => byEmoji.get(emoji) ?? byEmoji.get(emoji.replace(/\uFE0F/g, '')),
    byShortcode: (shortcode) => byCode.get(shortcode.toLowerCase()),
    search(query, limit = Infinity) {
      const wanted = words(query.replace(/:/g, ' '))
      if (!wanted.length) return []
      const whole = query.trim().toLowerCase()
      const found: [score: number, entry: Entry][] = []
      const weigh = (words: string, word: string, weight: number) => (words.includes(` ${word} `) ? weight * 2 : words.includes(` ${word}`) ? weight : 0)
      for (const entry of entries) {
        let score = 0
        for (const word of wanted) {
          const best = Math.max(weigh(entry.name, word, NAMED), weigh(entry.shortcodes, word, NAMED), weigh(entry.keywords, word, KEYWORD))
          if (!best) {
            score = 0
            break
          }
          score += best
        }
        if (!score) continue
        // The name itself first, then names that begin with the query ("thumbs up" before "hand
        // with index finger and thumb crossed").
        if (entry.emoji.name === whole) score += 100
        else if (entry.name.startsWith(` ${wanted[0]}`)) score += 1
        found.push([score, entry])
      }
      return found
        .sort(([a, x], [b, y]) => b - a || x.order - y.order)
        .slice(0, limit)
        .map(([, entry]) => entry.emoji)
    },
    complete(prefix, limit = 8) {
      const typed = prefix.toLowerCase()
      const found: [rank: number, match: ShortcodeMatch, order: number][] = []
      for (const entry of entries) {
        let best: [number, string] | undefined
        entry.emoji.shortcodes.forEach((code, i) => {
          // The whole shortcode, then one it starts, then one with a later word it starts; the
          // emoji's most familiar shortcode first, then the shorter.
          const rank = code === typed ? 0 : code.startsWith(typed) ? 1 : code.includes(`_${typed}`) ? 2 : -1
          if (rank < 0) return
          const score = rank * 1000 + Math.min(i, 1) * 100 + code.length
          if (!best || score < best[0]) best = [score, code]
        })
        if (best) found.push([best[0], { emoji: entry.emoji, shortcode: best[1] }, entry.order])
      }
      return found
        .sort(([a, , x], [b, , y]) => a - b || x - y)
        .slice(0, limit)
        .map(([, match]) => match)
    }
  }
}
