import { keyOf, type Room, type XmppContext } from './context.js'

/** How often an agent's `composing` is told again while it holds: XEP-0085 says it once, and a typing event lapses. */
const AGAIN = 3000
/** A `composing` no other state followed lapses after this (XEP-0085 suggests `paused` after 30 s of quiet). */
const HOLD = 30_000

/**
 * An agent's chat state in `room`, as typing events: `composing` is told again every 3 s (the
 * contract's refresh) until the agent's next state, message or departure, or 30 s; any other state
 * says they stopped.
 *
 * @example
 * agentTyping(ctx, room, 'anna', true)
 */
export function agentTyping(ctx: XmppContext, room: Room, nick: string, typing: boolean): void {
  const key = keyOf(room.id, nick)
  ctx.timers.clearTimeout(ctx.typing.get(key))
  ctx.typing.delete(key)
  const tell = (on: boolean) => ctx.emit({ type: 'typing', conversationId: room.id, author: { role: 'agent', id: nick, name: nick }, typing: on })
  tell(typing)
  if (!typing) return
  const until = ctx.now() + HOLD
  const again = () => {
    const on = ctx.now() < until
    tell(on)
    if (on) ctx.typing.set(key, ctx.timers.setTimeout(again, AGAIN))
    else ctx.typing.delete(key)
  }
  ctx.typing.set(key, ctx.timers.setTimeout(again, AGAIN))
}

/** Stop telling again that `nick` types in `room` (their message came: the client hides it), or that anyone does anywhere. */
export function releaseTyping(ctx: XmppContext, room?: Room, nick?: string): void {
  for (const [key, timer] of ctx.typing) {
    if (room && key !== keyOf(room.id, nick!)) continue
    ctx.timers.clearTimeout(timer)
    ctx.typing.delete(key)
  }
}
