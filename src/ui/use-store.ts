import type { ReadableAtom } from 'nanostores'
import { useEffect, useState } from 'preact/hooks'

/**
 * A store's value, the component rendering again when it changes; changes within one task render
 * once. `useStore` of `@nanostores/preact` without its `keys` and `ssr` options: the widget uses
 * neither, and `keys` would bring nanostores' key-listening helpers into `confab.js`.
 *
 * @example
 * const { open } = useStore(client.$pane)
 */
export function useStore<T>(store: ReadableAtom<T>): T {
  const [, render] = useState({})
  const [seen] = useState(store.get())
  useEffect(() => {
    // A change between the render and now: listen() reports only the ones to come.
    if (seen !== store.get()) render({})
    let timer: ReturnType<typeof setTimeout> | undefined
    const unlisten = store.listen(() => {
      // A sync that stores a page of messages renders once, not once per message.
      timer ??= setTimeout(() => {
        timer = undefined
        render({})
      })
    })
    return () => {
      unlisten()
      clearTimeout(timer)
    }
  }, [store])
  return store.get()
}
