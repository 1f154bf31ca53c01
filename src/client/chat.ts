import type { Conversation } from '../transports/types.js'
import type { ClientContext } from './context.js'
import { wipe } from './person.js'

/** Chat mode: the live session, if one is open. */
function liveChat(ctx: ClientContext): Conversation | undefined {
  if (ctx.mode !== 'chat') return undefined
  const active = ctx.stores.$active.get()
  return active?.mode === 'chat' && active.status === 'open' ? active : undefined
}

/**
 * Something happened in a conversation (a message sent or received). In chat mode this restarts the
 * inactivity countdown. The device's own clock measures it, so a skewed server clock cannot end a
 * chat early.
 */
export function touch(ctx: ClientContext, conversationId: string): void {
  if (ctx.mode !== 'chat' || liveChat(ctx)?.id !== conversationId) return
  const latest = Math.max(ctx.conn.lastActivity ?? 0, ctx.now())
  if (latest === ctx.conn.lastActivity) return
  ctx.persist.meta({ lastActivity: latest })
  armExpiry(ctx, latest)
}

/** (Re)start the countdown that ends an idle chat `chatTimeout` ms after `since`. */
export function armExpiry(ctx: ClientContext, since: number): void {
  if (ctx.conn.expiryTimer !== undefined) ctx.timers.clearTimeout(ctx.conn.expiryTimer)
  ctx.conn.lastActivity = since
  const remaining = since + ctx.chatTimeout - ctx.now()
  const generation = ctx.generation
  ctx.conn.expiryTimer = ctx.timers.setTimeout(() => {
    if (generation === ctx.generation && liveChat(ctx)) void endChat(ctx, 'expired')
  }, Math.max(0, remaining))
}

/** Whether the chat session the cache remembers has been idle past the timeout. */
export function isExpired(ctx: ClientContext, since: number | undefined): boolean {
  return ctx.mode === 'chat' && since !== undefined && ctx.now() - since >= ctx.chatTimeout
}

/** A conversation changed on the backend: a chat the agent closed has ended. */
export function conversationChanged(ctx: ClientContext, conversation: Conversation): void {
  if (ctx.mode === 'chat' && conversation.status === 'closed' && ctx.stores.$activeId.get() === conversation.id) {
    ctx.stores.$ended.set('closed')
  }
}

/**
 * End the chat session: the backend closes it (best effort: an unreachable backend must not keep
 * the customer's traces on the device), then every local trace goes, in every tab.
 */
export async function endChat(ctx: ClientContext, reason: 'ended' | 'expired'): Promise<void> {
  const chat = liveChat(ctx) ?? ctx.stores.$active.get()
  if (chat && ctx.transport.closeConversation) {
    try {
      await ctx.transport.closeConversation(chat.id)
    } catch {
      // The session ends on this device regardless; the backend closes idle chats on its own terms.
    }
  }
  await wipe(ctx, reason, true)
  ctx.stores.$ended.set(reason)
}
