import { safeUrl } from '../../../render/url.js'
import type { ChatMessage } from '../../../store/index.js'
import type { CardsPart } from '../../../transports/types.js'
import { fill } from '../../strings.js'
import type { UiProps } from '../props.js'
import { Actions } from './actions.js'

/** Arrow keys scroll a carousel by about one card; Tab reaches each card's buttons (and scrolls to them). */
function scroll(event: KeyboardEvent) {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
  const row = event.currentTarget as HTMLElement
  if (!step) return
  event.preventDefault()
  // Left and right as the keys say, in either direction of text; gliding unless less motion is asked for.
  const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches
  row.scrollBy({ left: step * ((row.firstElementChild as HTMLElement | null)?.offsetWidth ?? row.clientWidth), behavior: still ? 'instant' : 'smooth' })
}

/**
 * Cards with a title, a description, an image and buttons: side by side in a row that scrolls
 * sideways (by touch, snapping to each card; by keyboard, with the arrow keys once the row has
 * focus), or one under the other.
 */
export function Cards({ client, strings, message, part }: Pick<UiProps, 'client' | 'strings'> & { message: ChatMessage; part: CardsPart }) {
  const carousel = part.layout === 'carousel'
  return (
    <div
      class={`cards ${carousel ? 'carousel' : 'stack'}`}
      role={carousel ? 'region' : undefined}
      aria-label={carousel ? fill(strings.cards, part.items.map((card) => card.title).join(', ')) : undefined}
      tabIndex={carousel ? 0 : undefined}
      onKeyDown={carousel ? scroll : undefined}
      data-testid="cards"
    >
      {part.items.map((card, index) => {
        const src = card.imageUrl && safeUrl(card.imageUrl, 'media')
        return (
          <div class="box card" role="group" aria-label={card.title} key={index} data-testid="card">
            {src && <img src={src} alt={card.imageAlt ?? ''} loading="lazy" />}
            <b>{card.title}</b>
            {card.description && <p>{card.description}</p>}
            {!!card.actions?.length && <Actions client={client} message={message} actions={card.actions} />}
          </div>
        )
      })}
    </div>
  )
}
