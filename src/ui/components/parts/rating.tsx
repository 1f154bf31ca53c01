import { useRef, useState } from 'preact/hooks'
import type { ConfabError } from '../../../errors/index.js'
import type { ChatMessage } from '../../../store/index.js'
import type { RatingPart, RatingResponsePart } from '../../../transports/types.js'
import { counted } from '../../strings.js'
import type { UiProps } from '../props.js'
import { useFocusOnAnswer } from './answered.js'

const SCORES = [1, 2, 3, 4, 5]

/** A score as stars, for the eye (a reader hears the words beside it). */
const stars = (score: number) => {
  const filled = Math.max(0, Math.min(5, Math.round(score) || 0))
  return '★'.repeat(filled) + '☆'.repeat(5 - filled)
}

/**
 * A rating request: five stars as a group of radio buttons, each named by its score, an optional
 * comment and a button that sends them (`client.rate`). Once the thread holds the visitor's rating
 * (`answer`), it shows it, read-only.
 */
export function Rating({
  client,
  strings,
  locale,
  message,
  part,
  answer
}: Pick<UiProps, 'client' | 'strings' | 'locale'> & { message: ChatMessage; part: RatingPart; answer?: ChatMessage }) {
  const [problem, setProblem] = useState<string>()
  const given = answer?.parts?.find((p): p is RatingResponsePart => p.type === 'rating-response')
  const form = useRef<HTMLFormElement>(null)
  const done = useFocusOnAnswer(form, !!given)
  const submit = (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    client.rate(message, Number(data.get('score')), String(data.get('comment') ?? '') || undefined).then(
      () => setProblem(undefined),
      (error: ConfabError) => setProblem(error.message)
    )
  }
  return (
    <form class="box rating" ref={form} onSubmit={submit} data-testid="rating">
      <fieldset disabled={!!given}>
        <legend>{part.question ?? strings.ratingQuestion}</legend>
        <div class="stars">
          {SCORES.map((score) => (
            <label key={score}>
              <input class="sr" type="radio" name="score" value={score} required defaultChecked={given?.score === score} />
              <span aria-hidden="true">★</span>
              <span class="sr">{counted(strings.stars, score, locale)}</span>
            </label>
          ))}
        </div>
        {given ? (
          <p class="done" ref={done} tabIndex={-1} data-testid="rating-given">
            {counted(strings.stars, given.score, locale)}
            {given.comment && (
              <>
                <br />
                {given.comment}
              </>
            )}
          </p>
        ) : (
          <>
            {part.comment && (
              <label class="field">
                <span>{strings.ratingComment}</span>
                <textarea name="comment" rows={2} maxLength={1000} />
              </label>
            )}
            <button type="submit" class="cta">
              {strings.rate}
            </button>
          </>
        )}
      </fieldset>
      {problem && !given && (
        <p class="error" role="alert" data-testid="rating-error">
          {problem}
        </p>
      )}
    </form>
  )
}

/** The visitor's rating in the thread: the stars, the score in words, the comment. */
export function RatingAnswer({ strings, locale, part }: Pick<UiProps, 'strings' | 'locale'> & { part: RatingResponsePart }) {
  return (
    <p class="given" data-testid="rating-response">
      <span aria-hidden="true">{stars(part.score)} </span>
      {counted(strings.stars, part.score, locale)}
      {part.comment && (
        <>
          <br />
          {part.comment}
        </>
      )}
    </p>
  )
}
