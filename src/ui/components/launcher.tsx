import type { Ref } from 'preact'
import { fill } from '../strings.js'
import { useStore } from '../use-store.js'
import type { WidgetProps } from './props.js'

/**
 * The round button in the corner, with the unread badge. `onReach`: the visitor is about to use it
 * (the pointer is over it, or it has focus), time to load what opening it shows.
 */
export function Launcher({ client, strings, button, onReach }: WidgetProps & { button: Ref<HTMLButtonElement>; onReach: () => void }) {
  const { open, launcher } = useStore(client.$pane)
  const unread = useStore(client.$unreadTotal)
  return (
    <button
      ref={button}
      class="launcher"
      data-testid="launcher"
      hidden={!launcher}
      aria-expanded={open}
      aria-label={unread ? `${strings.launcher} (${fill(strings.unread, unread)})` : strings.launcher}
      onClick={client.toggle}
      onPointerEnter={onReach}
      onPointerDown={onReach}
      onFocus={onReach}
    >
      <svg width="26" height="26" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
        <path d={open ? 'M7 10l5 5 5-5z' : 'M6 4h12a2 2 0 012 2v10a2 2 0 01-2 2H8l-4 4V6a2 2 0 012-2z'} />
      </svg>
      {unread > 0 && (
        <span class="badge" data-testid="badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  )
}
