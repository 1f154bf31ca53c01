import { useEffect, useState } from 'preact/hooks'
import { useStore } from '../use-store.js'
import type { UiProps } from './props.js'

/**
 * How long the connection may be down before we mention it: most blips (a network switch, a server
 * restart) heal within a few seconds, and a message about them would only alarm.
 */
const GRACE = 3000

/**
 * The connection state, in words, once it has not been online for {@link GRACE} ms; cleared as soon
 * as it is back. A live region that stays in the document even when empty: screen readers announce
 * changes to a region they already know, not to one that appears along with its text.
 */
export function Status({ client, strings, timers }: UiProps) {
  const status = useStore(client.$status)
  // Closed (shut down) and idle (not connected yet) are not trouble to report.
  const text = status === 'connecting' || status === 'reconnecting' || status === 'offline' ? strings[status] : ''
  const down = !!text
  const [lasting, setLasting] = useState(false)
  // One wait per outage: going from reconnecting to offline does not start the clock again.
  useEffect(() => {
    setLasting(false)
    if (!down) return
    const timer = timers.setTimeout(() => setLasting(true), GRACE)
    return () => timers.clearTimeout(timer)
  }, [down])
  return (
    <p class="status" role="status" data-testid="status">
      {lasting && text}
    </p>
  )
}
