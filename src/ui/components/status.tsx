import { useStore } from '@nanostores/preact'
import { useEffect, useState } from 'preact/hooks'
import type { UiProps } from './props.js'

/** How long a reconnect may last before we mention it: most blips heal within a second or two. */
const GRACE = 2000

/** `on`, but only once it has stayed true for `ms`. */
function useLasting(on: boolean, ms: number): boolean {
  const [lasting, setLasting] = useState(false)
  useEffect(() => {
    setLasting(false)
    if (!on) return
    const timer = setTimeout(() => setLasting(true), ms)
    return () => clearTimeout(timer)
  }, [on])
  return on && lasting
}

/**
 * The connection state, in words, while it is not fine. A live region that stays in the document
 * even when empty: screen readers announce changes to a region they already know, not to one that
 * appears along with its text.
 */
export function Status({ client, strings }: UiProps) {
  const status = useStore(client.$status)
  const reconnecting = useLasting(status === 'reconnecting', GRACE)
  const text =
    status === 'connecting'
      ? strings.connecting
      : status === 'offline'
        ? strings.offline
        : reconnecting
          ? strings.reconnecting
          : ''
  return (
    <p class="status" role="status" data-testid="status">
      {text}
    </p>
  )
}
