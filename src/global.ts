/**
 * Types of the script tag (`dist/confab.js`, the package's `confab/embed`): the global `Confab`
 * function a page calls and the options of `Confab('boot')`. Nothing here runs; a page script that
 * is type-checked (TypeScript, or JavaScript with `// @ts-check`) refers to them with
 *
 * @example
 * /// <reference types="confab/embed" />
 * Confab('boot', { url: 'https://chat.example.com', mode: 'chat' })
 * Confab('on', 'message', (message) => showNotification(message.author.name, message.text))
 */
import type { ClientEvents, Identity } from './client/index.js'
import type { BootOptions } from './embed/commands.js'
import type { Unsubscribe } from './util/emitter.js'

export type { BootOptions }

/**
 * The global `Confab(command, …args)`. Commands called before `boot` (or before the script has
 * loaded, through the snippet's stub) wait and run in order once the widget is there; `on` and
 * `off` take effect at once.
 */
export interface ConfabCommand {
  /** Start the widget: put the launcher on the page and connect. A second `boot` does nothing. */
  (command: 'boot', options: BootOptions): void
  /** Open, close or toggle the pane; show or hide the launcher. */
  (command: 'open' | 'close' | 'toggle' | 'show' | 'hide'): void
  /** Send a message as the visitor, as if typed into the composer. */
  (command: 'send', text: string): void
  /** Identify the visitor as one of the site's users, with a token the site's backend signed (see `client.identify`). */
  (command: 'identify', identity: Identity): void
  /** End the chat session (chat mode): the conversation closes and its traces on the device are deleted. */
  (command: 'endChat'): void
  /**
   * Disconnect, forget the visitor on this device (in every tab) and take the widget off the page;
   * when booted, resolves once their stored data is deleted.
   */
  (command: 'shutdown'): Promise<void> | undefined
  /** Listen to a client event (`message`, `sent`, `failed`, `open`, `close`, `error` …); returns the unsubscribe function. */
  <K extends keyof ClientEvents>(command: 'on', event: K, listener: (payload: ClientEvents[K]) => void): Unsubscribe
  /** Stop listening. */
  <K extends keyof ClientEvents>(command: 'off', event: K, listener: (payload: ClientEvents[K]) => void): void
}

declare global {
  /** Confab's command function, installed by the script tag (`dist/confab.js`) or the snippet's stub. */
  var Confab: ConfabCommand
}
