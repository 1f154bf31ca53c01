import { createError } from '../../errors/index.js'
import type { EmojiData } from './types.js'

/**
 * Fetch the emoji data from `url` (the file beside `confab.js`, or the `emojiDataUrl` option).
 * Rejects with a retryable `network` error when it cannot be had, and when what came is no emoji
 * data this widget reads (a page served in its place, a file of another format).
 *
 * @example
 * const data = await fetchEmojiData('https://cdn.example.com/confab-emoji.json')
 */
export async function fetchEmojiData(url: string): Promise<EmojiData> {
  let data: EmojiData | undefined
  try {
    const response = await fetch(url)
    if (response.ok) data = await response.json()
  } catch {
    // Reported below, with the address.
  }
  if (data?.format !== 1 || !Array.isArray(data.groups)) throw createError('network', `Could not load the emoji data from ${url}`, { retryable: true })
  return data
}
