import type { Ref } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { useFrameStore } from '../use-frame-store.js'
import { Status } from './status.js'
import type { UiProps } from './props.js'

/**
 * Focus an element as it appears. A ref runs once the element is in the document, and a ref that is
 * one function (not a new arrow each render) runs only when the element mounts.
 */
const focus = (el: HTMLElement | null) => el?.focus()

/** A stroked icon; `flip`: one that points the way text goes, mirrored right to left. */
const icon = (d: string, flip?: boolean) => (
  <svg class={flip ? 'flip' : undefined} width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    <path d={d} />
  </svg>
)

/**
 * Title, the conversation mode, the connection state, the search and close buttons; in messaging
 * mode the way back to the conversation list, in chat mode "End chat" and its inline confirmation.
 */
export function Header(props: UiProps & { onClose: () => void; onSearch: () => void; searchButton: Ref<HTMLButtonElement> }) {
  const { client, strings } = props
  const chat = client.mode === 'chat'
  const active = useFrameStore(client.$active)
  const ended = useFrameStore(client.$ended)
  // The chat the visitor was asked about: a chat that ends meanwhile takes the question with it.
  const [asking, ask] = useState<string>()
  const end = useRef<HTMLButtonElement>(null)
  const open = chat && !ended && active?.status === 'open'
  const confirming = open && asking === active.id
  return (
    <>
      <div class="head">
        {!chat && active && (
          <button class="x" data-testid="back" aria-label={strings.back} onClick={() => client.openConversation(null).catch(() => undefined)}>
            {icon('M15 6l-6 6 6 6', true)}
          </button>
        )}
        <div class="titles">
          <h2>{strings.title}</h2>
          <span class="mode" data-testid="mode">
            {chat ? strings.chat : strings.messaging}
          </span>
          <Status {...props} />
        </div>
        {open && (
          <button ref={end} class="mode" data-testid="end-chat" onClick={() => ask(active.id)}>
            {strings.endChat}
          </button>
        )}
        <button class="x" ref={props.searchButton} data-testid="search-open" aria-label={strings.search} onClick={props.onSearch}>
          {icon('M11 18a7 7 0 110-14 7 7 0 010 14zm10 3l-5.6-5.6')}
        </button>
        <button class="x" data-testid="close" aria-label={strings.close} onClick={props.onClose}>
          {icon('M6 6l12 12M18 6L6 18')}
        </button>
      </div>
      {confirming && (
        // A labelled group: moving focus into it reads the question before the answers.
        <div class="bar" role="group" aria-label={strings.endAsk}>
          {strings.endAsk}
          <button
            class="cta"
            data-testid="end-chat-confirm"
            onClick={() => {
              ask(undefined)
              // The header button goes with the chat: keep focus in the pane, where the next chat starts.
              end.current!.closest('.pane')?.querySelector('textarea')?.focus()
              client.endChat().catch(() => undefined)
            }}
          >
            {strings.endChat}
          </button>
          <button
            // Asked before anything happens: the safe answer is the one under the visitor's finger.
            ref={focus}
            class="mode"
            data-testid="end-chat-cancel"
            onClick={() => {
              ask(undefined)
              end.current!.focus()
            }}
          >
            {strings.cancel}
          </button>
        </div>
      )}
    </>
  )
}
