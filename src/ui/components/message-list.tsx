import { useLayoutEffect, useRef } from 'preact/hooks'
import { useStore } from '../use-store.js'
import { MessageItem } from './message-item.js'
import type { UiProps } from './props.js'

/** Within this many pixels of an edge counts as "at" it. */
const NEAR = 48

const isAtBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < NEAR

/**
 * The messages of the open conversation. Follows new messages while the visitor reads the newest
 * ones, loads older pages when they scroll to the top, and keeps what they read in place meanwhile.
 * Once a chat has ended it says why and offers a new one. The message a search jumped to
 * (`$highlight`) is marked and scrolled to the middle when it shows.
 */
export function MessageList(props: UiProps) {
  const { client, strings } = props
  const messages = useStore(client.$activeMessages)
  const id = useStore(client.$activeId)
  const history = useStore(client.$history)[id ?? '']
  const ended = useStore(client.$ended)
  const highlight = useStore(client.$highlight)
  const log = useRef<HTMLDivElement>(null)
  // What the last render saw, to tell "older page prepended" from "new message appended".
  const seen = useRef({ first: '', last: '', height: 0, atBottom: true })

  useLayoutEffect(() => {
    const el = log.current!
    const before = seen.current
    const first = messages[0]?.id ?? ''
    const lastMessage = messages[messages.length - 1]
    const last = lastMessage?.id ?? ''
    if (before.first && first !== before.first && last === before.last) {
      // Older messages went in above: move down by what they added, so nothing visibly jumps.
      el.scrollTop += el.scrollHeight - before.height
    } else if (before.atBottom || (last !== before.last && lastMessage?.author.role === 'visitor')) {
      el.scrollTop = el.scrollHeight
    }
    seen.current = { first, last, height: el.scrollHeight, atBottom: isAtBottom(el) }
  }, [messages, ended])

  useLayoutEffect(() => {
    const hit = log.current!.querySelector('[data-highlight]')
    // A search sets its hit once the message shows: a hit not shown here belongs to a thread left.
    if (hit) hit.scrollIntoView({ block: 'center' })
    else client.$highlight.set(null)
  }, [highlight, id])

  const onScroll = () => {
    const el = log.current!
    seen.current.atBottom = isAtBottom(el)
    // Older messages may be on the device even when the server has no page before (it was loaded to
    // its start once): `loadOlder` reads the device first and resolves false at the start.
    if (el.scrollTop < NEAR && history && !history.loading) void client.loadOlder()
  }

  return (
    <div class="log" role="log" aria-live="polite" ref={log} onScroll={onScroll}>
      {messages.length === 0 && !history?.loading && !ended && (
        <p class="empty" data-testid="empty">
          {strings.empty}
        </p>
      )}
      {messages.map((message) => (
        <MessageItem key={message.clientId ?? message.id} {...props} message={message} hit={message.id === highlight} />
      ))}
      {ended && (
        <p class="empty" data-testid="ended">
          {strings[ended]}
          <br />
          <button class="cta" data-testid="new-chat" onClick={() => client.startConversation().catch(() => undefined)}>
            {strings.newChat}
          </button>
        </p>
      )}
    </div>
  )
}
