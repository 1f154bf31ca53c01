/**
 * What tabs of one site tell each other.
 * - `wipe`: a person's local data was deleted (shutdown, End chat, expiry, another user signed in);
 *   every tab showing that person forgets it at once.
 */
export type TabMessage = { type: 'wipe'; person: string; reason: 'shutdown' | 'ended' | 'expired' | 'switched' }

/** A channel between the tabs of one site, or a silent one where `BroadcastChannel` is missing. */
export interface TabChannel {
  post(message: TabMessage): void
  listen(listener: (message: TabMessage) => void): () => void
  close(): void
}

/**
 * Open the site's tab channel. `BroadcastChannel` only reaches same-origin tabs of this browser
 * profile, so nothing leaves the device; messages from other versions are checked before use.
 */
export function createTabChannel(site: string, Channel: typeof BroadcastChannel | undefined = globalThis.BroadcastChannel): TabChannel {
  const listeners = new Set<(message: TabMessage) => void>()
  let channel: BroadcastChannel | undefined
  if (Channel) {
    channel = new Channel(`confab:${site}`)
    // Node's BroadcastChannel keeps the process alive while open; a listener for wipes must not.
    ;(channel as BroadcastChannel & { unref?: () => void }).unref?.()
    channel.onmessage = (event: MessageEvent) => {
      const data = event.data as TabMessage | null
      if (data?.type === 'wipe' && typeof data.person === 'string') for (const listener of listeners) listener(data)
    }
  }
  return {
    post: (message) => channel?.postMessage(message),
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      channel?.close()
      channel = undefined
    }
  }
}
