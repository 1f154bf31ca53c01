import type { ResumeKeyStore } from '../cache/resume-key.js'
import type { ClientStores } from '../store/index.js'

/** How many emoji the recently used list keeps: three rows of the picker. */
export const RECENT_EMOJI = 24

/** The visitor's recently used emoji: `$recentEmoji`, kept on the device. */
export interface RecentEmoji {
  /** Put `emoji` first (once), keeping {@link RECENT_EMOJI} at most. */
  used(emoji: string): void
  /** Forget the list, on the device too: it goes with the person's data. */
  forget(): void
}

/**
 * The recently used emoji, read from `kept` at once (a short JSON list) and written back on each
 * use, which is rare enough to write whole.
 *
 * @example
 * const recent = createRecentEmoji(stores, createLocalResumeKeyStore('confab:acme:emoji'))
 * recent.used('👍') // stores.$recentEmoji: ['👍', …]
 */
export function createRecentEmoji(stores: ClientStores, kept: ResumeKeyStore): RecentEmoji {
  let list: unknown
  try {
    list = JSON.parse(kept.get() ?? '[]')
  } catch {
    // Not ours, or damaged: start over.
  }
  if (Array.isArray(list)) stores.$recentEmoji.set(list.filter((item): item is string => typeof item === 'string' && item !== '').slice(0, RECENT_EMOJI))
  return {
    used(emoji) {
      const next = [emoji, ...stores.$recentEmoji.get().filter((other) => other !== emoji)].slice(0, RECENT_EMOJI)
      stores.$recentEmoji.set(next)
      kept.set(JSON.stringify(next))
    },
    forget() {
      stores.$recentEmoji.set([])
      kept.remove()
    }
  }
}
