import type { TabMessage } from '../tabs/channel.js'
import type { ClientContext } from './context.js'
import { openStream } from './connect.js'
import { wipe } from './person.js'
import { adopt, discard, drain, enqueue, find, put } from './send.js'
import { applyEvent } from './sync.js'

/** What the client needs from a leader election (see `createLeaderElection`). */
export interface Leadership {
  readonly isLeader: boolean
  /** Settles once this tab knows whether it leads. */
  readonly ready: Promise<void>
  onChange(listener: (isLeader: boolean) => void): () => void
  close(): void
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Join the site's other tabs. One tab leads: it holds the realtime connection, sends every tab's
 * messages and relays what happens; the others apply what it relays, hand it their messages, and
 * take over when it goes away. Every tab shows the same open thread and unread counts.
 */
export function joinTabs(ctx: ClientContext, leadership: Leadership, connect: () => Promise<void>): void {
  const { stores, channel } = ctx
  let applying = false

  const lead = (leader: boolean) => {
    stores.$leader.set(leader)
    // Not connected yet: connecting opens the stream and drains the outbox of a leader.
    if (!stores.$session.get()) return
    if (leader) {
      openStream(ctx, ctx.generation)
      void drain(ctx)
    } else {
      ctx.conn.stop?.()
      ctx.conn.stop = undefined
    }
  }
  stores.$leader.set(leadership.isLeader)
  ctx.leaderReady = leadership.ready
  leadership.onChange(lead)

  // The leader owns the unread counts and sends them whole; another tab only says which threads
  // the customer saw there, so changes that cross cannot overwrite each other.
  let counted = stores.$unread.get()
  const share = () => {
    const unread = stores.$unread.get()
    const seen = Object.keys(counted).filter((id) => counted[id] && !unread[id])
    counted = unread
    if (applying || ctx.person === null) return
    const view = { type: 'view', person: ctx.person, activeId: stores.$activeId.get() } as const
    channel.post(stores.$leader.get() ? { ...view, unread } : { ...view, seen })
  }
  stores.$activeId.listen(share)
  stores.$unread.listen(share)

  channel.listen((message: TabMessage) => {
    const leader = stores.$leader.get()
    // Another tab connected (or queued a message) while this leader sits idle, after a wipe: the
    // leader serves the tabs, so it connects, opens the stream and drains what they wrote.
    if (leader && ctx.person === null && (message.type === 'hello' || message.type === 'outbox')) {
      void connect().catch(() => undefined)
      return
    }
    // A message for a person this leader does not serve: it goes back to the tab that wrote it.
    if (leader && message.type === 'outbox' && message.person !== ctx.person) {
      channel.post({ type: 'refused', person: message.person, clientId: message.entry.clientId })
      return
    }
    if (message.person !== ctx.person) return
    switch (message.type) {
      case 'wipe':
        // Signed out or replaced in another tab: this tab must not sign the user back in.
        if (message.reason === 'shutdown' || message.reason === 'switched') ctx.identity = undefined
        void wipe(ctx, message.reason, false).then(() => {
          if (ctx.mode === 'chat' && (message.reason === 'ended' || message.reason === 'expired')) {
            stores.$ended.set(message.reason)
          }
        })
        break
      case 'event':
        if (leader) break
        if (message.event.cursor !== undefined) ctx.conn.cursor = message.event.cursor
        applyEvent(ctx, message.event)
        break
      case 'delivery':
        if (!leader) put(ctx, message.message, false)
        break
      case 'outbox':
        if (leader) adopt(ctx, message.entry)
        else put(ctx, { ...message.entry }, false)
        break
      case 'refused': {
        const mine = leader ? undefined : find(ctx, message.clientId)
        if (mine) {
          // Handed over as it showed, before `send()` settled it: this tab sends it now instead.
          ctx.sending.delete(message.clientId)
          enqueue(ctx, mine)
        }
        break
      }
      case 'discarded':
        discard(ctx, message.clientId, false)
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
