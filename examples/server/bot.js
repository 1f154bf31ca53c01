// @ts-check

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').Message} Message */

/** After an agent wrote in a conversation, the bot leaves it to them for this long. */
const AGENT_PRESENT_MS = 10 * 60_000

/** How the bot signs its messages. */
export const BOT_AUTHOR = /** @type {const} */ ({ role: 'bot', name: 'Confab bot' })

/**
 * The demo bot: when a visitor's message gets no agent answer within `delayMs`, it tells the
 * visitor that someone will answer. So that it never chatters, it speaks once until an agent has
 * written, and not at all while an agent wrote in the conversation in the last ten minutes (they
 * may be typing the answer). With `delayMs <= 0` it does nothing.
 *
 * @param {{ store: Store, delayMs: number, onError?: (error: unknown) => void }} options
 * @returns {{ stop(): void }}
 *
 * @example
 * const bot = startBot({ store, delayMs: 4000 })
 * // later
 * bot.stop()
 */
export function startBot({ store, delayMs, onError = () => {} }) {
  if (!(delayMs > 0)) return { stop() {} }
  /** @type {Map<string, ReturnType<typeof setTimeout>>} pending answers per conversation */
  const timers = new Map()

  /** @param {string} conversationId */
  function cancel(conversationId) {
    clearTimeout(timers.get(conversationId))
    timers.delete(conversationId)
  }

  const unsubscribe = store.onEvent((event) => {
    if (event.type === 'conversation') {
      if (event.conversation.status === 'closed') cancel(event.conversation.id)
      return
    }
    const { conversationId, author } = event.message
    if (author.role !== 'visitor') cancel(conversationId)
    else if (!timers.has(conversationId)) timers.set(conversationId, setTimeout(() => answer(conversationId), delayMs))
  })

  /** @param {string} conversationId */
  function answer(conversationId) {
    timers.delete(conversationId)
    const thread = store.thread(conversationId)
    if (!thread || thread.conversation.status !== 'open' || !needed(thread.messages, Date.now())) return
    const later =
      thread.conversation.mode === 'messaging'
        ? 'You can close this page: the answer will wait for you here.'
        : 'Please stay on this page for a moment.'
    try {
      store.addMessage(conversationId, { author: { ...BOT_AUTHOR }, text: `Thanks for your message! An agent will answer here soon. ${later}` })
    } catch (error) {
      onError(error)
    }
  }

  return {
    stop() {
      unsubscribe()
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    }
  }
}

/**
 * Whether the visitor is waiting for anyone: the bot has not spoken since the last agent message,
 * and that message (if any) is not recent.
 * @param {readonly Message[]} messages
 * @param {number} now
 */
function needed(messages, now) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const { author, createdAt } = /** @type {Message} */ (messages[i])
    if (author.role === 'agent') return now - createdAt > AGENT_PRESENT_MS
    if (author.role === 'bot') return false
  }
  return true
}
