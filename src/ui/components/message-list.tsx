import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Client } from '../../client/index.js'
import type { ChatMessage } from '../../store/index.js'
import { useThread } from '../thread.js'
import { useStore } from '../use-store.js'
import { MessageItem } from './message-item.js'
import type { UiProps } from './props.js'

/** Within this many pixels of an edge counts as "at" it. */
const NEAR = 48

const isAtBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < NEAR

/** What a message is rendered under: its `clientId` stays the same once the backend confirms it. */
const keyOf = (message: ChatMessage) => message.clientId ?? message.id

/**
 * Where a visitor reads who is not following the newest messages: the message at the top of the
 * view (`key`) and how far below the view's top edge it starts; without `top`, the message is to be
 * centred (a search hit).
 */
interface Place {
  key: string
  top?: number
}

/**
 * The place each thread was left at, per client, for as long as the page lives: reopening the pane
 * or coming back to a thread returns there. No entry: the thread opens at its newest message.
 */
const kept = new WeakMap<Client, Record<string, Place>>()

/**
 * The messages of the open conversation. Opens at the newest message (or where the visitor scrolled
 * to in this page) and follows new ones while the visitor reads the newest; while they read older
 * ones, the view stays put and a "new messages" button takes them down. Loads older pages when they
 * scroll to the top, keeping what they read in place. Once a chat has ended it says why and offers
 * a new one. The message a search jumped to (`$highlight`) is marked and scrolled to the middle.
 */
export function MessageList(props: UiProps) {
  const { client, strings } = props
  // Postbacks are never shown: every index below is of the messages shown.
  const thread = useThread(client)
  const messages = thread.shown
  const id = useStore(client.$activeId) ?? ''
  const history = useStore(client.$history)[id]
  const ended = useStore(client.$ended)
  const highlight = useStore(client.$highlight)
  const log = useRef<HTMLDivElement>(null)
  // Where the visitor reads; null while they follow the newest messages.
  const place = useRef<Place | null>(null)
  // The scroll position the list last set itself, to tell its own scrolls from the visitor's.
  const ours = useRef(NaN)
  // The newest message of the last render, to tell a message that arrived from a thread opening.
  const seen = useRef('')
  const [unseen, setUnseen] = useState(false)
  const places = kept.get(client) ?? kept.set(client, {}).get(client)!

  const rows = () => log.current!.querySelectorAll<HTMLElement>('.msg')
  const offset = (row: HTMLElement) => row.getBoundingClientRect().top - log.current!.getBoundingClientRect().top
  const follow = () => {
    place.current = null
    delete places[id]
    setUnseen(false)
  }
  // Put the view where it belongs. Run after every render and every change of the list's size: a
  // scroll before the list is laid out as a scroll box (the pane's stylesheet applies after this
  // first renders) does nothing, and neither does one while the search view hides the list.
  const settle = () => {
    const el = log.current!
    if (!el.getClientRects().length) return
    const at = place.current
    const row = at && rows()[messages.findIndex((m) => keyOf(m) === at.key)]
    if (!row) el.scrollTop = el.scrollHeight
    else if (at.top === undefined) {
      row.scrollIntoView({ block: 'center' })
      at.top = offset(row)
    } else el.scrollTop += offset(row) - at.top
    ours.current = el.scrollTop
  }
  const settleNow = useRef(settle)
  settleNow.current = settle

  useLayoutEffect(() => {
    const Observer = log.current!.ownerDocument.defaultView?.ResizeObserver
    const observer = Observer && new Observer(() => settleNow.current())
    observer?.observe(log.current!)
    return () => {
      observer?.disconnect()
      // A search hit is marked until the thread is left: coming back opens it as usual.
      client.clearHighlight()
    }
  }, [])

  // A thread opens where the visitor left it in this page, or else at its newest message.
  useLayoutEffect(() => {
    place.current = places[id] ?? null
    seen.current = ''
    setUnseen(false)
  }, [id])

  useLayoutEffect(() => {
    const newest = messages[messages.length - 1]
    const last = newest ? keyOf(newest) : ''
    // A message at the end that was not there before: the visitor's own takes them down to it;
    // others wait behind the "new messages" button while the visitor reads older ones.
    if (last && seen.current && last !== seen.current) {
      if (newest!.author.role === 'visitor') follow()
      else if (place.current) setUnseen(true)
    }
    seen.current = last
    settle()
  }, [messages, ended])

  useLayoutEffect(() => {
    const hit = messages.find((m) => m.id === highlight)
    // A search sets its hit once the message shows: a hit not shown here belongs to a thread left.
    if (!hit) client.clearHighlight()
    else {
      // Not kept for the thread (see `kept`): once the thread is left, the jump is over.
      place.current = { key: keyOf(hit) }
      settle()
    }
  }, [highlight, id])

  const onScroll = () => {
    const el = log.current!
    // Only the visitor's own scrolling moves their place (the list's own, see `settle`, does not).
    if (el.scrollTop !== ours.current && el.clientHeight) {
      if (isAtBottom(el)) follow()
      else {
        // The first message still in view, found by halving: a thread may hold thousands.
        const all = rows()
        const top = el.getBoundingClientRect().top
        let lo = 0
        let hi = all.length - 1
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (all[mid]!.getBoundingClientRect().bottom > top) hi = mid
          else lo = mid + 1
        }
        const row = all[lo]
        if (row) place.current = places[id] = { key: keyOf(messages[lo]!), top: offset(row) }
      }
    }
    ours.current = NaN
    // Older messages may be on the device even when the server has no page before (it was loaded to
    // its start once): `loadOlder` reads the device first and resolves false at the start.
    if (el.scrollTop < NEAR && history && !history.loading) void client.loadOlder()
  }

  const toNewest = () => {
    follow()
    settle()
    // The button goes away: the visitor is at the newest messages, ready for a reply.
    log.current!.parentElement!.querySelector('textarea')!.focus()
  }

  return (
    <>
      {/* Focusable, so the thread scrolls from the keyboard too: its messages may hold nothing to focus. */}
      <div class="log" role="log" aria-live="polite" tabIndex={0} ref={log} onScroll={onScroll}>
        {messages.length === 0 && !history?.loading && !ended && (
          <p class="empty" data-testid="empty">
            {strings.empty}
          </p>
        )}
        {messages.map((message) => (
          <MessageItem key={keyOf(message)} {...props} message={message} thread={thread} hit={message.id === highlight} />
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
      {/* A live region present from the start, so the button is announced as it appears. */}
      <div class="more" role="status">
        {unseen && (
          <button class="cta" data-testid="new-messages" onClick={toNewest}>
            {strings.newMessages}
          </button>
        )}
      </div>
    </>
  )
}
