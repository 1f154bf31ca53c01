// @ts-check

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./store.js').Message} Message */

/** How the bot signs its messages. */
export const BOT_AUTHOR = /** @type {const} */ ({ role: 'bot', name: 'Confab bot' })

/**
 * The demo bot: when a visitor's message gets no agent answer within `delayMs`, it tells the
 * visitor that someone will answer. It speaks once until an agent has spoken, so it never chatters.
 * With `delayMs <= 0` it does nothing.
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
    if (!thread || thread.conversation.status !== 'open' || answeredSinceAgent(thread.messages)) return
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
 * Whether the bot already spoke after the last agent message.
 * @param {readonly Message[]} messages
 */
function answeredSinceAgent(messages) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const role = /** @type {Message} */ (messages[i]).author.role
    if (role === 'agent') return false
    if (role === 'bot') return true
  }
  return false
}
