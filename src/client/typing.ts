import { toConfabError, type ConfabError } from '../errors/index.js'
import type { ClientStores } from '../store/index.js'
import type { Author, Transport } from '../transports/types.js'
import type { Timers } from '../util/timers.js'

/** While the visitor keeps typing, `typing: true` goes again this often: one the network lost is made good. */
export const TYPING_REFRESH = 3000
/** Quiet in the composer after which the visitor has stopped typing. */
export const TYPING_PAUSE = 5000
/**
 * How long someone else's "typing" shows without being said again: longer than a refresh and its
 * way over the network, so a lost "stopped" does not leave it on for good.
 */
export const TYPING_SHOWN = 7000

/** What telling the backend about the visitor's typing needs from the client around it. */
export interface TypingDeps {
  stores: ClientStores
  transport: Transport
  timers: Timers
  now: () => number
  /** Where a failed `setTyping` goes (the `error` event): it never reaches the UI. */
  report: (error: ConfabError) => void
}

/**
 * The visitor's typing, told to the backend (`client.typing()` and `client.stopTyping()`): `true`
 * on the first key and again every {@link TYPING_REFRESH} ms while keys keep coming, `false` once
 * they stopped for {@link TYPING_PAUSE} ms, on send, on blur, when the draft is emptied, and when
 * another thread opens. Only for an open conversation, while online (after a wipe nothing is), and
 * only where the transport declares `capabilities.typing`. Calls go one at a time, in order, so a
 * slow `true` is never overtaken by its `false`.
 *
 * @example
 * const typing = createTyping({ stores, transport, timers, now: Date.now, report })
 * field.addEventListener('input', () => typing.typing())
 * field.addEventListener('blur', () => typing.stop())
 */
export function createTyping({ stores, transport, timers, now, report }: TypingDeps) {
  /** The conversation the backend was told the visitor types in. */
  let current: string | undefined
  let lastSent = 0
  let pause: unknown
  let line = Promise.resolve()

  const online = () => stores.$status.get() === 'online'

  // Typing is of the moment: offline, nothing is told, and nothing waits to be told later.
  const tell = (id: string, typing: boolean) =>
    online() &&
    (line = line
      .then(() => transport.setTyping!(id, typing))
      .catch((caught) => {
        const error = toConfabError(caught, 'Could not tell the backend about typing')
        // Closed under it (shut down, another person): nobody is left to tell.
        if (error.code !== 'closed') report(error)
      }))

  function stop(conversationId?: string): void {
    if (current === undefined || (conversationId !== undefined && conversationId !== current)) return
    timers.clearTimeout(pause)
    tell(current, false)
    current = undefined
  }

  // Another thread open: the visitor no longer types where they did.
  stores.$activeId.listen((id) => id !== current && stop())

  return {
    /** `client.typing()`: see its documentation. */
    typing(conversationId = stores.$activeId.get() ?? undefined): void {
      if (!transport.capabilities.typing || !transport.setTyping || conversationId === undefined || !online()) return
      if (stores.$conversations.get().find((c) => c.id === conversationId)?.status !== 'open') return
      if (current !== conversationId) stop()
      timers.clearTimeout(pause)
      pause = timers.setTimeout(stop, TYPING_PAUSE)
      if (current === conversationId && now() - lastSent < TYPING_REFRESH) return
      current = conversationId
      lastSent = now()
      tell(conversationId, true)
    },

    /** `client.stopTyping()`: see its documentation. */
    stop
  }
}

/**
 * Someone else's typing, as the backend tells it, in `$typing`: shown until they stop, their message
 * arrives, or {@link TYPING_SHOWN} ms pass without it being said again.
 *
 * @example
 * const shown = showTyping(stores, timers)
 * shown('c1', { role: 'agent', name: 'Anna' })
 */
export function showTyping({ $typing }: ClientStores, timers: Timers) {
  const expiry = new Map<string, unknown>()
  return (conversationId: string, author: Author | undefined): void => {
    timers.clearTimeout(expiry.get(conversationId))
    expiry.delete(conversationId)
    $typing.setKey(conversationId, author)
    if (!author) return
    expiry.set(
      conversationId,
      timers.setTimeout(() => {
        expiry.delete(conversationId)
        // Unless the stores were emptied meanwhile (another person) or someone else types now.
        if ($typing.get()[conversationId] === author) $typing.setKey(conversationId, undefined)
      }, TYPING_SHOWN)
    )
  }
}
