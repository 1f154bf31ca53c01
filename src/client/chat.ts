import type { ChatEndReason, ClientStores } from '../store/index.js'
import type { Conversation, ConversationMode } from '../transports/types.js'
import type { Timers } from '../util/timers.js'
import type { Persister } from './persist.js'

/** What chat mode's inactivity clock needs from the client around it. */
export interface ChatClockDeps {
  stores: ClientStores
  mode: ConversationMode
  now: () => number
  timers: Timers
  persist: Persister
  /** Inactivity in ms after which the session ends. */
  timeout: number
  /** The live chat went idle past the timeout: end it. */
  expired: () => void
}

/** Chat mode's inactivity clock (see `createChatClock`). */
export type ChatClock = ReturnType<typeof createChatClock>

/**
 * Chat mode's inactivity clock: every message sent or received restarts the countdown that ends
 * an idle chat. The device's own clock measures it, so a skewed server clock cannot end a chat early.
 * In messaging mode it does nothing.
 *
 * @example
 * const clock = createChatClock({ stores, mode: 'chat', now: Date.now, timers, persist, timeout: 30 * 60_000, expired: () => endChat('expired') })
 * clock.touch('c1')
 */
export function createChatClock(deps: ChatClockDeps) {
  const { stores, mode, now, timers } = deps
  let timer: unknown
  /** Latest activity in the session, ms since the epoch. */
  let lastActivity: number | undefined

  /** The live chat session, if one is open. */
  const liveChat = (): Conversation | undefined => {
    const active = stores.$active.get()
    return mode === 'chat' && active?.mode === 'chat' && active.status === 'open' ? active : undefined
  }

  /** Stop the countdown. */
  const stop = () => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
  }

  /** (Re)start the countdown that ends an idle chat `timeout` ms after `since`. */
  function arm(since: number): void {
    stop()
    lastActivity = since
    timer = timers.setTimeout(() => {
      if (liveChat()) deps.expired()
    }, Math.max(0, since + deps.timeout - now()))
  }

  return {
    arm,
    stop,
    liveChat,

    /** Latest activity in the session, ms since the epoch. */
    lastActivity: () => lastActivity,

    /** Something happened in a conversation: in the live chat, the countdown starts again. */
    touch(conversationId: string): void {
      if (liveChat()?.id !== conversationId) return
      const latest = Math.max(lastActivity ?? 0, now())
      if (latest === lastActivity) return
      deps.persist.meta({ lastActivity: latest })
      arm(latest)
    },

    /** Whether the chat session the cache remembers has been idle past the timeout. */
    isExpired: (since: number | undefined) => mode === 'chat' && since !== undefined && now() - since >= deps.timeout,

    /** A conversation changed on the backend: a chat the agent closed has ended. */
    changed(conversation: Conversation): void {
      if (mode === 'chat' && conversation.status === 'closed' && stores.$activeId.get() === conversation.id) {
        stores.$ended.set('closed' satisfies ChatEndReason)
      }
    },

    /** The person's data is gone: no countdown, no activity. */
    reset(): void {
      stop()
      lastActivity = undefined
    }
  }
}
