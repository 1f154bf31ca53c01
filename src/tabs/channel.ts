import type { OutboxEntry } from '../cache/types.js'
import type { ChatMessage } from '../store/index.js'
import type { TransportEvent } from '../transports/types.js'
import { randomId } from '../util/ids.js'

/** Why a person's data was deleted. */
export type WipeReason = 'shutdown' | 'ended' | 'expired' | 'switched'

/**
 * What tabs of one site tell each other. Each names the person it is about; a tab showing someone
 * else ignores it.
 * - `wipe`: a person's local data was deleted (shutdown, End chat, expiry, another user signed in);
 *   every tab showing that person forgets it at once.
 * - `event`: the leader tab relays what its realtime connection received.
 * - `delivery`: the leader tab relays how a message it sends is doing (sending, sent, failed).
 * - `outbox`: a tab hands a message it just queued (or a retry) to the leader, which sends it, with
 *   the bytes of its files still to upload.
 * - `cancel`: a file was taken off an unsent message; the tab that uploads it stops.
 * - `discarded`: a failed message was discarded.
 * - `view`: the open thread changed, or the unread counts: the leader sends them whole, another tab
 *   the threads the customer saw there.
 * - `hello`: a tab that does not lead connected; a leader that is idle (after a wipe) connects too.
 * - `refused`: the leader serves another person (it signed in meanwhile) and will not send this
 *   message: the tab that wrote it sends it itself.
 * - `read`: the customer read a conversation up to a message in a tab that does not lead; the leader
 *   tells the backend.
 * - `emitted`: a tab emitted these events of the integration stream (`client.events`); no other tab
 *   emits them again (a new leader after a hand-over, a send that both old and new leader finished).
 */
export type TabMessage =
  | { type: 'wipe'; person: string; reason: WipeReason }
  | { type: 'event'; person: string; event: TransportEvent }
  | { type: 'delivery'; person: string; message: ChatMessage }
  | { type: 'outbox'; person: string; entry: OutboxEntry; files?: { id: string; blob: Blob }[] }
  | { type: 'cancel'; person: string; clientId: string; fileId: string }
  | { type: 'discarded'; person: string; clientId: string }
  | { type: 'view'; person: string; activeId: string | null; unread?: Record<string, number>; seen?: string[] }
  | { type: 'hello'; person: string }
  | { type: 'refused'; person: string; clientId: string }
  | { type: 'emitted'; person: string; ids: string[] }
  | { type: 'read'; person: string; conversationId: string; messageId: string }

const TYPES = new Set(['wipe', 'event', 'delivery', 'outbox', 'cancel', 'discarded', 'view', 'hello', 'refused', 'emitted', 'read'])

/**
 * What the channels of a site's tabs tell each other about themselves, whoever they show: `here` as
 * a channel opens, `back` in answer to that, `gone` as it closes.
 */
type Presence = { type: 'here' | 'back' | 'gone'; tab: string }

/** A channel between the tabs of one site, or a silent one where `BroadcastChannel` is missing. */
export interface TabChannel {
  /** Whether other tabs can hear this one. */
  readonly open: boolean
  /**
   * Whether another tab of the site has its channel open: it said so as it opened, or answered this
   * one. A tab closed without a word (a crash) still counts. What only the other tabs need (the
   * leader relaying each event) is not sent while there is none.
   */
  readonly others: boolean
  post(message: TabMessage): void
  listen(listener: (message: TabMessage) => void): () => void
  close(): void
}

/**
 * Open the site's tab channel. `BroadcastChannel` only reaches same-origin tabs of this browser
 * profile, so nothing leaves the device; messages from other versions are checked before use. `tab`
 * names this tab's channel to the others.
 */
export function createTabChannel(site: string, Channel: typeof BroadcastChannel | undefined = globalThis.BroadcastChannel, tab = randomId()): TabChannel {
  const listeners = new Set<(message: TabMessage) => void>()
  const tabs = new Set<string>()
  let channel: BroadcastChannel | undefined
  const say = (type: Presence['type']) => channel?.postMessage({ type, tab } satisfies Presence)
  if (Channel) {
    channel = new Channel(`confab:${site}`)
    // Node's BroadcastChannel keeps the process alive while open; a listener for wipes must not.
    ;(channel as BroadcastChannel & { unref?: () => void }).unref?.()
    channel.onmessage = (event: MessageEvent) => {
      const data = event.data as (TabMessage | Presence) | null
      const other = (data as Presence | null)?.tab
      if (typeof other === 'string') {
        if (other === tab) return
        if (data!.type === 'gone') tabs.delete(other)
        else tabs.add(other)
        // A tab that just opened hears back from every other.
        if (data!.type === 'here') say('back')
      } else if (TYPES.has(data?.type as string) && typeof (data as TabMessage).person === 'string') {
        for (const listener of listeners) listener(data as TabMessage)
      }
    }
    say('here')
  }
  return {
    get open() {
      return channel !== undefined
    },
    get others() {
      return tabs.size > 0
    },
    post(message) {
      try {
        channel?.postMessage(message)
      } catch {
        // Something that cannot be cloned (an event carrying a function): the other tabs catch up
        // from the backend instead.
      }
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      say('gone')
      channel?.close()
      channel = undefined
      tabs.clear()
    }
  }
}
