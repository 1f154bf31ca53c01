import type { VNode } from 'preact'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Client } from '../../client/index.js'
import { lastSeen, type ChatMessage } from '../../store/index.js'
import type { FormPart } from '../../transports/types.js'
import { useThread } from '../thread.js'
import { useFrameStore } from '../use-frame-store.js'
import { createSizes, heightOf, layOut, scrollFor, spotAt, uncovered, windowAt, type Sizes } from '../virtual.js'
import { MessageItem, seenLine, type ItemProps } from './message-item.js'
import type { PaneProps, UiProps } from './props.js'
import { readable, useReadMarks } from './use-read-marks.js'

/** Within this many pixels of an edge counts as "at" it. */
const NEAR = 48
/** A message's height (gap included) guessed before the thread has measured any. */
const GUESS = 64
/** The view's height guessed before the log is laid out. */
const VIEW = 720

const isAtBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < NEAR

/** What a message is rendered under: its `clientId` stays the same once the backend confirms it. */
const keyOf = (message: ChatMessage) => message.clientId ?? message.id

/** The keys of each list of messages shown, worked out once per list. */
const keysOf = new WeakMap<readonly ChatMessage[], string[]>()

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

/** The measured sizes of each client's messages, for as long as the page lives: a thread reopens measured. */
const measured = new WeakMap<Client, Sizes>()

/** What a message was last drawn with, and the element that drew it: the same values give the same element, which preact skips. */
type Row = Omit<ItemProps, 'client' | 'timers' | 'loadMedia' | 'frame'> & { node: VNode }

/**
 * The messages of the open conversation. Opens at the newest message (or where the visitor scrolled
 * to in this page) and follows new ones while the visitor reads the newest; while they read older
 * ones, the view stays put and a "new messages" button takes them down. Loads older pages when they
 * scroll to the top, keeping what they read in place. Once a chat has ended it says why and offers
 * a new one. The message a search jumped to (`$highlight`) is marked and scrolled to the middle.
 *
 * Only the messages in and near the view are in the DOM, between two spacers that stand for the
 * others (the arithmetic is in `virtual.ts`). Each message is measured as it is first drawn, and
 * again by a `ResizeObserver` when it changes (an image loading, a form answered); one never drawn
 * counts as the mean of those measured. The reader's place is kept by the message at the top of the
 * view, so that whatever changes above it (older pages, better measures) leaves what they read where
 * it was. A message is drawn again only when it, or what the thread decides for it, changes.
 *
 * What the customer sees is marked read (see `useReadMarks`); the visitor's last message the agents
 * have read shows "Seen", announced once as it appears or moves.
 */
export function MessageList(props: UiProps & Pick<PaneProps, 'loadMedia' | 'frame'>) {
  const { client, strings, locale, timers } = props
  // Postbacks are never shown: every index below is of the messages shown.
  const thread = useThread(client)
  const messages = thread.shown
  const id = useFrameStore(client.$activeId) ?? ''
  const history = useFrameStore(client.$history, (all) => all[id])
  const ended = useFrameStore(client.$ended)
  const highlight = useFrameStore(client.$highlight)
  const agentRead = useFrameStore(client.$agentRead, (all) => all[id])
  const seenMessage = lastSeen(messages, agentRead)
  const log = useRef<HTMLDivElement>(null)
  const above = useRef<HTMLDivElement>(null)
  const below = useRef<HTMLDivElement>(null)
  const places = kept.get(client) ?? kept.set(client, {}).get(client)!
  // Where the visitor reads; null while they follow the newest messages.
  const place = useRef<Place | null>(places[id] ?? null)
  // The scroll position the list last set itself, to tell its own scrolls from the visitor's.
  const ours = useRef(NaN)
  // The newest message of the last render, to tell a message that arrived from a thread opening.
  const seen = useRef('')
  const [unseen, setUnseen] = useState(false)
  const [, redraw] = useState({})
  const sizes = measured.get(client) ?? measured.set(client, createSizes(GUESS)).get(client)!
  /**
   * What a render hands its effects and the observer: the layout; the messages drawn, `first` to
   * `last`, their rows, and their elements by key once in the DOM; the view's height; the log's
   * padding and gap; the message holding the focus.
   */
  const drawn = useRef({
    layout: layOut([], sizes),
    first: 0,
    last: -1,
    rows: new Map<string, Row>(),
    elements: new Map<string, Element>(),
    view: 0,
    pad: 0,
    focused: ''
  }).current

  let keys = keysOf.get(messages)
  if (!keys) keysOf.set(messages, (keys = messages.map(keyOf)))
  if (keys !== drawn.layout.keys) drawn.layout = layOut(keys, sizes)
  /** Where the top of a view `view` high is in the layout: at the reader's place, else at the bottom. */
  const viewTop = (view: number) => {
    const at = place.current
    return scrollFor(drawn.layout, at ? drawn.layout.keys.indexOf(at.key) : -1, view, at?.top)
  }
  const view = drawn.view || VIEW
  const y = viewTop(view)
  // Messages drawn stay drawn while they cover the view with some to spare; past that, a view's
  // height is drawn on either side, so a reader scrolling meets messages drawn.
  let first = keys.indexOf(drawn.rows.keys().next().value ?? '')
  let last = first + drawn.rows.size - 1
  if (last >= keys.length || uncovered(drawn.layout, y, view, first, last)) [first, last] = windowAt(drawn.layout, y, view, view)
  const rows = new Map<string, Row>()
  for (let i = first; i <= last; i++) {
    const message = messages[i]!
    const key = keys[i]!
    const answered = message.replyTo && thread.byId.get(message.replyTo.messageId)
    const wanted: Omit<Row, 'node'> = {
      strings,
      locale,
      message,
      response: thread.answers.get(message.id),
      form: answered?.parts?.find((part): part is FormPart => part.type === 'form'),
      replies: thread.replies === message.id,
      hit: message.id === highlight,
      seen: message === seenMessage,
      seenAt: message === seenMessage ? agentRead?.at : undefined
    }
    const old = drawn.rows.get(key)
    const same = old && (Object.keys(wanted) as (keyof typeof wanted)[]).every((name) => old[name] === wanted[name])
    rows.set(key, same ? old : { ...wanted, node: <MessageItem key={key} client={client} timers={timers} loadMedia={props.loadMedia} frame={props.frame} {...wanted} /> })
  }
  drawn.rows = rows
  drawn.first = first
  drawn.last = last

  const follow = () => {
    place.current = null
    delete places[id]
    setUnseen(false)
  }

  /**
   * Measure what was drawn, size the spacers and put the view where it belongs. Runs after every
   * render and whenever the log or a message changes size. Nothing is measured or scrolled before
   * the log is laid out as a scroll box (the pane's stylesheet applies after this first renders), nor
   * while the search view hides it. When the messages drawn no longer cover the view
   * it asks for another render: at once after a render; on the next frame from the observer, since
   * elements drawn inside its callback could not be reported to it before the frame is painted.
   */
  const settle = (later: boolean) => {
    const el = log.current!
    const style = getComputedStyle(el)
    if (style.display !== 'flex') return
    const gap = parseFloat(style.rowGap) || 0
    drawn.pad = (parseFloat(style.paddingTop) || 0) + gap
    drawn.view = el.clientHeight
    // Another width wraps every message anew, and sizes count the gap after each: measures taken
    // with others no longer hold.
    if (el.clientWidth !== sizes.width || gap !== sizes.gap) {
      sizes.clear()
      sizes.width = el.clientWidth
      sizes.gap = gap
    }
    const view = drawn.view || VIEW
    let grew = false
    for (const [key, element] of drawn.elements) {
      if (sizes.has(key)) continue
      const { height } = element.getBoundingClientRect()
      if (height) grew = sizes.set(key, height + gap) || grew
    }
    if (grew) drawn.layout = layOut(drawn.layout.keys, sizes)
    const { layout } = drawn
    if (above.current) {
      above.current.style.height = `${layout.starts[drawn.first]}px`
      below.current!.style.height = `${heightOf(layout) - layout.starts[drawn.last + 1]!}px`
    }
    const at = place.current
    // A hit far from what was drawn is drawn on the next render: until then the layout says where it is.
    const hit = at && at.top === undefined && drawn.elements.get(at.key)
    if (!at) el.scrollTop = el.scrollHeight
    else if (!hit) el.scrollTop = drawn.pad + viewTop(view)
    else {
      hit.scrollIntoView({ block: 'center' })
      at.top = hit.getBoundingClientRect().top - el.getBoundingClientRect().top
    }
    ours.current = el.scrollTop
    // Where the view now is as the layout has it (as the render that follows will have it).
    if (uncovered(drawn.layout, viewTop(view), view, drawn.first, drawn.last)) {
      if (later) requestAnimationFrame(() => redraw({}))
      else redraw({})
    }
  }
  const settleNow = useRef(settle)
  settleNow.current = settle
  const reads = useReadMarks(client, log)
  // "Seen" is said once as the agents' reading moves it, not for what the thread opened (or loaded) with.
  const seenId = seenMessage?.id
  const announced = useRef({ id, read: agentRead, seen: seenId })
  const [said, say] = useState('')
  useEffect(() => {
    const before = announced.current
    announced.current = { id, read: agentRead, seen: seenId }
    if (before.id !== id) say('')
    else if (agentRead !== before.read && seenId && seenId !== before.seen) say(seenLine(strings, locale, agentRead?.at))
  }, [id, agentRead, seenId])
  const observer = useRef<ResizeObserver | undefined>(undefined)

  useLayoutEffect(() => {
    const el = log.current!
    const Observer = el.ownerDocument.defaultView?.ResizeObserver
    observer.current =
      Observer &&
      new Observer((entries) => {
        let moved = false
        for (const { target } of entries) {
          const key = keyOfElement.get(target)
          const { height } = target.getBoundingClientRect()
          // The log itself: its width or height changed (settling measures again what it must).
          if (target === el) moved = true
          else if (key && height) moved = sizes.set(key, height + sizes.gap) || moved
        }
        if (moved) {
          drawn.layout = layOut(drawn.layout.keys, sizes)
          settleNow.current(true)
        }
      })
    observer.current?.observe(el)
    return () => {
      observer.current?.disconnect()
      // A search hit is marked until the thread is left: coming back opens it as usual.
      client.clearHighlight()
    }
  }, [])

  // Once the pane's stylesheet applies (the pane adopts it after this list's first render): the
  // observer says so too, where there is one.
  useEffect(() => settleNow.current(false), [])

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
  }, [messages])

  useLayoutEffect(() => {
    const hit = messages.find((m) => m.id === highlight)
    // A search sets its hit once the message shows: a hit not shown here belongs to a thread left.
    if (!hit) client.clearHighlight()
    // Not kept for the thread (see `kept`): once the thread is left, the jump is over.
    else if (place.current?.key !== keyOf(hit) || place.current.top !== undefined) {
      place.current = { key: keyOf(hit) }
      redraw({})
    }
  }, [highlight, id])

  // After every render: the elements drawn are watched for changes of size, then measured and placed.
  useLayoutEffect(() => {
    const elements = new Map<string, Element>()
    let element = above.current?.nextElementSibling
    for (const key of drawn.rows.keys()) {
      elements.set(key, element!)
      if (!drawn.elements.has(key) || drawn.elements.get(key) !== element) {
        keyOfElement.set(element!, key)
        observer.current?.observe(element!)
        const { message } = drawn.rows.get(key)!
        if (readable(message)) reads.current?.watch(element!, message)
      }
      element = element!.nextElementSibling
    }
    for (const [key, gone] of drawn.elements) {
      if (elements.get(key) === gone) continue
      observer.current?.unobserve(gone)
      reads.current?.unwatch(gone)
    }
    drawn.elements = elements
    settle(false)
    // The message holding the focus was scrolled far away: the focus stays in the log, so the keys go on scrolling it.
    const root = log.current!.getRootNode() as ShadowRoot
    if (drawn.focused && !elements.has(drawn.focused) && !root.activeElement) {
      drawn.focused = ''
      log.current!.focus({ preventScroll: true })
    }
  })

  const onScroll = () => {
    const el = log.current
    // A scroll the browser had queued as the thread went away (the pane closed, another thread opened).
    if (!el) return
    // Only the visitor's own scrolling moves their place (the list's own, see `settle`, does not).
    if (el.scrollTop !== ours.current && el.clientHeight) {
      if (isAtBottom(el)) follow()
      else {
        const spot = spotAt(drawn.layout, el.scrollTop - drawn.pad)
        const key = drawn.layout.keys[spot.index]
        if (key) place.current = places[id] = { key, top: spot.top }
      }
    }
    ours.current = NaN
    if (uncovered(drawn.layout, el.scrollTop - drawn.pad, drawn.view || VIEW, drawn.first, drawn.last)) redraw({})
    // Older messages may be on the device even when the server has no page before (it was loaded to
    // its start once): `loadOlder` reads the device first and resolves false at the start.
    if (el.scrollTop < NEAR && history && !history.loading) void client.loadOlder()
  }

  // Home and End go all the way at once: the browser's own animation aims at an end it measured as it
  // started, and the list's corrections as messages are measured on the way would leave it short.
  // Page Up, Page Down and the arrows scroll by a distance, which the corrections do not change.
  const onKeyDown = (event: KeyboardEvent) => {
    const el = log.current!
    const { key } = event
    if (event.target !== el || (key !== 'Home' && key !== 'End') || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    event.preventDefault()
    el.scrollTop = key === 'Home' ? 0 : el.scrollHeight
  }

  const toNewest = () => {
    follow()
    settle(false)
    // The button goes away: the visitor is at the newest messages, ready for a reply.
    log.current!.parentElement!.querySelector('textarea')!.focus()
  }

  /** The message whose element holds `node`, if any. */
  const rowOf = (node: Node | null) => {
    while (node && node.parentNode !== log.current) node = node.parentNode
    return (node && keyOfElement.get(node as Element)) ?? ''
  }

  return (
    <>
      {/*
        Focusable, so the thread scrolls from the keyboard too: its messages may hold nothing to
        focus. Not a live region (`aria-live="off"` over the log role's "polite"): it draws messages
        again as the visitor scrolls, and paints history on opening. New messages from others are
        read out once by the announcer (see `announcer.tsx`).
      */}
      <div
        class="log"
        role="log"
        aria-live="off"
        tabIndex={0}
        ref={log}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onFocusIn={(event) => (drawn.focused = rowOf(event.target as Node))}
        onFocusOut={(event) => {
          const left = event.target as Node
          // Focus that moved elsewhere lets go; focus lost with its element (drawn no more) does not.
          queueMicrotask(() => left.isConnected && rowOf(left) === drawn.focused && (drawn.focused = ''))
        }}
      >
        {messages.length === 0 && !history?.loading && !ended && (
          <p class="empty" data-testid="empty">
            {strings.empty}
          </p>
        )}
        {messages.length > 0 && <div class="spacer" ref={above} />}
        {[...rows.values()].map((row) => row.node)}
        {messages.length > 0 && <div class="spacer" ref={below} />}
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
      <p class="sr" role="status" data-testid="seen-status">
        {said}
      </p>
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

/** The message each drawn element shows, for the observer and focus. */
const keyOfElement = new WeakMap<Element, string>()
