import type { ReadableAtom } from 'nanostores'
import type { Unsubscribe } from '../util/emitter.js'

/** The badge as it reads before the page's own title. */
const badge = (count: number) => `(${count > 99 ? '99+' : count}) `

/**
 * Put the unread count before the page's title, `(2) Order #1042 – Shop`, while `$count` is above
 * zero, and give the page its own title back, exactly, once it is zero or the badge stops. The count
 * is the client's, the same in every tab of the site, so every tab shows the same badge. A page that
 * sets its own title meanwhile (a single-page app moving between views) keeps the badge on its new
 * title, and gets that one back.
 *
 * @example
 * const stop = badgeTitle(document, client.$unreadTotal)
 */
export function badgeTitle(doc: Document, $count: ReadableAtom<number>): Unsubscribe {
  /** The page's own title, while the badge shows. */
  let own: string | undefined
  /** The title this set, while the badge shows. */
  let badged: string | undefined

  // The `<title>` element's text as written: `document.title` strips and collapses white space.
  const element = () => doc.head?.querySelector('title')
  const title = () => element()?.textContent ?? doc.title
  const write = (text: string) => {
    const found = element()
    if (found) found.textContent = text
    else doc.title = text
  }

  const apply = () => {
    const count = $count.get()
    // Set by the page since: its new title is the one to badge and to give back.
    if (badged === undefined || title() !== badged) own = title()
    if (count > 0) {
      badged = badge(count) + own
      if (title() !== badged) write(badged)
    } else {
      restore()
    }
  }

  const restore = () => {
    if (badged !== undefined && title() === badged) write(own!)
    badged = own = undefined
  }

  const stop = $count.subscribe(apply)
  // The page changing its title: a `<title>` element's text, or one added or replaced.
  const Observer = doc.defaultView?.MutationObserver
  // Not a title another script badged: two badges would answer each other for ever.
  const observer = Observer && new Observer(() => badged !== undefined && title() !== badged && !/^\(\d+\+?\) /.test(title()) && apply())
  observer?.observe(doc.head ?? doc.documentElement, { subtree: true, childList: true, characterData: true })
  return () => {
    stop()
    observer?.disconnect()
    restore()
  }
}
