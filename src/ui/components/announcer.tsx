import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { plainText } from '../../content/plain.js'
import type { ChatMessage } from '../../store/index.js'
import { paneStrings } from '../pane/strings.js'
import { srCss } from '../pane/styles.js'
import { adopt } from '../sheet.js'
import type { WidgetProps } from './props.js'

/**
 * Lines kept in the region once painted: each new one is read on its own (the region is not atomic,
 * and a line taken away is not read), so older ones only go once the newer ones have been drawn.
 */
const KEPT = 3

/** One line read out: the message it tells of, and what it says. */
interface Line {
  id: string
  said: string
}

/**
 * What screen readers say of new messages: once each, as `strings.said` ("Anna: Your parcel left
 * today"), for the messages agents and bots send live, whether the pane is open or closed. Not the
 * history shown on opening, a page of older messages or the thread drawing a message again as it
 * scrolls (the thread itself is not a live region), not the visitor's own messages, not system
 * notes, and only in a tab the visitor can see: every tab of the site receives the message, the one
 * in front reads it. What `beforeDisplay` hides is never read; what it changes is read as changed.
 * A visually hidden live region beside the pane, rendered once the pane's code is here.
 */
export function Announcer({ client, strings }: Pick<WidgetProps, 'client' | 'strings'>) {
  const [lines, setLines] = useState<Line[]>([])
  const region = useRef<HTMLDivElement>(null)
  // As it mounts, not after a paint: a message may arrive in the meantime.
  useLayoutEffect(() => {
    const off = adopt(region.current!.getRootNode() as ShadowRoot, srCss)
    const page = region.current!.ownerDocument
    const waits = new Set<() => void>()
    const say = (message: ChatMessage) => {
      const shown = client.shown(message)
      if (shown === null) return
      if (shown === undefined) {
        // The page's `beforeDisplay` is still deciding: read it as it will show, once it does.
        const stop = client.$shown.listen(() => {
          if (client.shown(message) === undefined) return
          stop()
          waits.delete(stop)
          say(message)
        })
        waits.add(stop)
        return
      }
      const values = { name: shown.author.name ?? strings.agent ?? paneStrings.agent, text: plainText(shown.text) }
      const said = (strings.said ?? paneStrings.said).replace(/\{(name|text)\}/g, (_, key: keyof typeof values) => values[key])
      setLines((now) => [...now, { id: shown.id, said }])
    }
    const stop = client.on('message', (message) => {
      const { role } = message.author
      if ((role === 'agent' || role === 'bot') && !page.hidden) say(message)
    })
    return () => {
      off()
      stop()
      waits.forEach((wait) => wait())
    }
  }, [])
  useEffect(() => {
    if (lines.length > KEPT) setLines((now) => now.slice(-KEPT))
  }, [lines])
  return (
    <div ref={region} class="sr" aria-live="polite" data-testid="announcer">
      {lines.map(({ id, said }) => (
        <p key={id}>{said}</p>
      ))}
    </div>
  )
}
