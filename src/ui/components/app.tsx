import { useStore } from '@nanostores/preact'
import { useRef } from 'preact/hooks'
import { Launcher } from './launcher.js'
import { Pane } from './pane.js'
import type { UiProps } from './props.js'

/** The whole widget: the launcher, and the pane while it is open. */
export function App(props: UiProps) {
  const { open } = useStore(props.client.$pane)
  const launcher = useRef<HTMLButtonElement>(null)
  const close = () => {
    props.client.close()
    // Closing from inside the pane would drop focus on the page's <body>: hand it to the launcher.
    launcher.current?.focus()
  }
  return (
    <>
      <Launcher {...props} button={launcher} />
      {open && <Pane {...props} onClose={close} />}
    </>
  )
}
