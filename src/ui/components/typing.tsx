import { fill } from '../strings.js'
import { useStore } from '../use-store.js'
import type { UiProps } from './props.js'

/** "Anna is typing…" under the messages of the open conversation. */
export function Typing({ client, strings }: UiProps) {
  const typing = useStore(client.$typing)
  const id = useStore(client.$activeId)
  const author = id === null ? undefined : typing[id]
  return author ? (
    <p class="typing" data-testid="typing">
      {fill(strings.typing, author.name ?? strings.agent)}
    </p>
  ) : null
}
