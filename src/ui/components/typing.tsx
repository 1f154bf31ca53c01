import { fill } from '../strings.js'
import { useFrameStore } from '../use-frame-store.js'
import type { UiProps } from './props.js'

/**
 * "Anna is typing…" under the messages of the open conversation; or "Waiting for an agent…" while
 * the visitor's message is the newest and the backend knows no agent is there to read it.
 */
export function Typing({ client, strings }: UiProps) {
  const typing = useFrameStore(client.$typing)
  const active = useFrameStore(client.$active)
  const author = active ? typing[active.id] : undefined
  if (author) {
    return (
      <p class="typing" data-testid="typing">
        {/* It pulses, not the text, which keeps its contrast. */}
        <span class="dot" aria-hidden="true" />
        {fill(strings.typing, author.name ?? strings.agent)}
      </p>
    )
  }
  return active?.agentPresence === 'waiting' && active.status === 'open' && active.lastMessage?.author.role === 'visitor' ? (
    <p class="typing" data-testid="waiting">
      {strings.waiting}
    </p>
  ) : null
}
