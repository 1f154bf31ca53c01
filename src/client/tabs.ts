import type { ClientStores } from '../store/index.js'
import type { TabChannel, TabMessage, WipeReason } from '../tabs/channel.js'
import type { TransportEvent } from '../transports/types.js'
import type { Leadership } from './api.js'
import type { Outbox } from './outbox.js'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** What joining the other tabs needs from the client around it. */
export interface TabsDeps {
  stores: ClientStores
  channel: TabChannel
  outbox: Outbox
  /** The current person, or `null` before the first session. */
  currentPerson: () => string | null
  /** Start (or join) the session: a leader idle after a wipe connects when another tab needs it. */
  connect: () => Promise<void>
  /** This tab now leads (`true`) or follows: open the stream and drain the outbox, or let go of it. */
  lead: (leader: boolean) => void
  /** An event the leader relayed. */
  applyEvent: (event: TransportEvent) => void
  /** Another tab deleted the person's data (signed out, chat ended, another user). */
  wipe: (reason: WipeReason) => void
}

/**
 * Join the site's other tabs. One tab leads: it holds the realtime connection, sends every tab's
 * messages and relays what happens; the others apply what it relays, hand it their messages, and
 * take over when it goes away. Every tab shows the same open thread and unread counts.
 */
export function joinTabs(deps: TabsDeps, leadership: Leadership): void {
  const { stores, channel, outbox } = deps
  let applying = false

  stores.$leader.set(leadership.isLeader)
  leadership.onChange((leader) => {
    stores.$leader.set(leader)
    deps.lead(leader)
  })

  // The leader owns the unread counts and sends them whole; another tab only says which threads
  // the customer saw there, so changes that cross cannot overwrite each other.
  let counted = stores.$unread.get()
  const share = () => {
    const unread = stores.$unread.get()
    const seen = Object.keys(counted).filter((id) => counted[id] && !unread[id])
    counted = unread
    const person = deps.currentPerson()
    if (applying || person === null || !channel.others) return
    const view = { type: 'view', person, activeId: stores.$activeId.get() } as const
    channel.post(stores.$leader.get() ? { ...view, unread } : { ...view, seen })
  }
  stores.$activeId.listen(share)
  stores.$unread.listen(share)

  channel.listen((message: TabMessage) => {
    const leader = stores.$leader.get()
    const person = deps.currentPerson()
    // Another tab connected (or queued a message) while this leader sits idle, after a wipe: the
    // leader serves the tabs, so it connects, opens the stream and drains what they wrote.
    if (leader && person === null && (message.type === 'hello' || message.type === 'outbox')) {
      void deps.connect().catch(() => undefined)
      return
    }
    // A message for a person this leader does not serve: it goes back to the tab that wrote it.
    if (leader && message.type === 'outbox' && message.person !== person) {
      channel.post({ type: 'refused', person: message.person, clientId: message.entry.clientId })
      return
    }
    if (message.person !== person) return
    switch (message.type) {
      case 'wipe':
        deps.wipe(message.reason)
        break
      case 'event':
        if (!leader) deps.applyEvent(message.event)
        break
      case 'delivery':
        if (!leader) outbox.put(message.message, false)
        break
      case 'outbox':
        if (leader) outbox.adopt(message.entry, true, message.files)
        else outbox.put({ ...message.entry }, false)
        break
      case 'cancel':
        outbox.cancelFile(message.clientId, message.fileId, false)
        break
      case 'refused':
        // Handed over as it showed, before `send()` settled it: this tab sends it now instead.
        outbox.refused(message.clientId)
        break
      case 'discarded':
        outbox.discard(message.clientId, false)
        break
      case 'view':
        applying = true
        if (stores.$activeId.get() !== message.activeId && (message.activeId === null || stores.$conversations.get().some((c) => c.id === message.activeId))) {
          stores.$activeId.set(message.activeId)
        }
        if (message.unread && !leader && !same(stores.$unread.get(), message.unread)) stores.$unread.set(message.unread)
        // Seen in another tab: read here too; the leader then sends the counts to every tab.
        applying = !leader
        for (const id of message.seen ?? []) if (stores.$unread.get()[id]) stores.$unread.setKey(id, 0)
        applying = false
        break
    }
  })
}
