/**
 * Run `run` in a task of its own, as soon as the browser has had a chance to handle input and paint:
 * how long work yields, so that no task holds the page's main thread long. A message to itself, not
 * `setTimeout`, which waits at least 4 ms after a few nested calls and a second in a background tab.
 *
 * @example
 * nextTask(() => client.connect())
 */
export const nextTask = (run: () => void): void => {
  const { port1, port2 } = new MessageChannel()
  port1.onmessage = () => {
    port1.close()
    run()
  }
  port2.postMessage(0)
}
