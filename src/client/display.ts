import { atom, computed, type ReadableAtom } from 'nanostores'
import type { ChatMessage, ClientStores } from '../store/index.js'
import type { Message } from '../transports/types.js'
import type { Hooks } from './hooks.js'

/** What is shown of the messages (see `createDisplay`). */
export interface Display {
  /** Messages per conversation as the widget shows them. */
  $shown: ReadableAtom<Record<string, ChatMessage[]>>
  /** A message as shown: changed, `null` when hidden, `undefined` while the hook decides. */
  shown<T extends Message>(message: T): T | null | undefined
  /** Run `then` once `message` is shown (at once when it is), never when it is hidden. */
  whenShown(message: Message, then: () => void): void
}

/** A decision of `beforeDisplay` on one message: `true` (shown as it is), its changed copy, `null` (hidden), `undefined` (deciding). */
interface Decision {
  content: string
  shown: Message | null | true | undefined
  decided?: Promise<void>
}

const contentOf = (m: Message) => JSON.stringify([m.text, m.parts, m.replies, m.actions, m.blockComposer, m.replyTo, m.metadata])

/**
 * What the widget shows of the messages: the stores' as they are, with the page's `beforeDisplay`
 * applied to every message from someone else, wherever it came from (live, a history page, the
 * device's cache, another tab). The stores, the cache and the events keep the message as stored.
 * The hook is asked once per message and content; a message waits unseen while it decides (up to
 * the hook's timeout). Without the hook, `$shown` is `$messages` itself.
 *
 * @example
 * const display = createDisplay(stores, hooks)
 * display.$shown.get()['c1'] // the thread as shown
 */
export function createDisplay(stores: Pick<ClientStores, '$messages'>, hooks: Pick<Hooks, 'beforeDisplay'>, enabled: boolean): Display {
  const { $messages } = stores
  if (!enabled) return { $shown: $messages, shown: <T>(message: T) => message, whenShown: (_message, then) => then() }
  /** Bumped when a decision that took a while arrives. */
  const $decided = atom(0)
  const byObject = new WeakMap<Message, Decision>()
  const byId = new Map<string, Decision>()

  function decision(message: Message): Decision {
    const known = byObject.get(message)
    if (known) return known
    const key = `${message.conversationId}\n${message.id}`
    const content = contentOf(message)
    let found = byId.get(key)
    // The same message read again (another page, another tab): not asked again unless it changed.
    if (found?.content !== content) {
      const made: Decision = (found = { content, shown: undefined })
      const answer = hooks.beforeDisplay(message)
      const take = (shown: Message | null | undefined) => (made.shown = shown === undefined ? true : shown)
      if (answer instanceof Promise) {
        made.decided = answer.then((shown) => {
          take(shown)
          $decided.set($decided.get() + 1)
        })
      } else {
        take(answer)
      }
      byId.set(key, made)
    }
    byObject.set(message, found)
    return found
  }

  const shown = <T extends Message>(message: T): T | null | undefined => {
    if (message.author.role === 'visitor') return message
    const { shown } = decision(message)
    return shown === true ? message : (shown as T | null | undefined)
  }

  /** Each list as shown, kept until it or a decision changes: unchanged lists stay the same array. */
  const lists = new WeakMap<readonly ChatMessage[], { at: number; shown: ChatMessage[] }>()
  const view = (list: ChatMessage[]): ChatMessage[] => {
    const at = $decided.get()
    const kept = lists.get(list)
    if (kept?.at === at) return kept.shown
    let changed = false
    const out: ChatMessage[] = []
    for (const message of list) {
      const seen = shown(message)
      if (seen !== message) changed = true
      if (seen) out.push(seen)
    }
    const result = changed ? out : list
    lists.set(list, { at, shown: result })
    return result
  }

  return {
    $shown: computed([$messages, $decided], (all) => {
      const out: Record<string, ChatMessage[]> = {}
      for (const [id, list] of Object.entries(all)) if (list) out[id] = view(list)
      return out
    }),
    shown,
    whenShown(message, then) {
      if (message.author.role === 'visitor') return then()
      const found = decision(message)
      if (found.shown === undefined) void found.decided!.then(() => found.shown && then())
      else if (found.shown) then()
    }
  }
}
