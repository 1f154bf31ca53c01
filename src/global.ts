/**
 * Types of the script tag (`dist/confab.js`, the package's `confab/embed`): the global `Confab`
 * function a page calls and the options of `Confab('boot')`. Nothing here runs; a page script that
 * is type-checked (TypeScript, or JavaScript with `// @ts-check`) refers to them with
 *
 * @example
 * /// <reference types="confab/embed" />
 * Confab('boot', { url: 'https://chat.example.com', mode: 'chat' })
 * Confab('on', 'message', (message) => showNotification(message.author.name, message.text))
 * Confab('on', 'message:received', (event) => analytics.track('Chat message received', event))
 * const id = await Confab('getVisitorId')
 */
import type { ClientEvents, Identity, IntegrationEvent, IntegrationEventType } from './client/index.js'
import type { ChatMessage } from './store/index.js'
import type { BootOptions } from './embed/commands.js'
import type { JsonValue, VisitorAttributeChanges } from './transports/types.js'
import type { Unsubscribe } from './util/emitter.js'

export type { BootOptions }

/**
 * The global `Confab(command, …args)`. Every call answers with a promise of the command's result
 * (`on` with its unsubscribe function), even before the script has loaded: the snippet's stub
 * queues the call and the script settles its promise once it ran it. Calls made before `boot` wait
 * and run in order once the widget is there; `on` and `off` take effect at once. A call that cannot
 * run (an unknown command, arguments of the wrong type, a call after `shutdown`) rejects with a
 * `ConfabError` naming the command and its arguments; nothing throws into the page.
 */
export interface ConfabCommand {
  /** Start the widget: put the launcher on the page and connect. A second `boot` does nothing. */
  (command: 'boot', options: BootOptions): Promise<void>
  /** Open, close or toggle the pane; show or hide the launcher. */
  (command: 'open' | 'close' | 'toggle' | 'show' | 'hide'): Promise<void>
  /** Send a message as the visitor, as if typed into the composer; resolves once it is sent or failed. */
  (command: 'send', text: string): Promise<ChatMessage>
  /** Identify the visitor as one of the site's users, with a token the site's backend signed (see `client.identify`). */
  (command: 'identify', identity: Identity): Promise<void>
  /** End the chat session (chat mode): the conversation closes and its traces on the device are deleted. */
  (command: 'endChat'): Promise<void>
  /**
   * Disconnect, forget the visitor on this device (in every tab) and take the widget off the page;
   * resolves once their stored data is deleted.
   */
  (command: 'shutdown'): Promise<void>
  /** The backend's id of the visitor, once the session has started. */
  (command: 'getVisitorId'): Promise<string>
  /** How many messages from agents and bots the visitor has not seen yet, in every conversation. */
  (command: 'getUnreadCount'): Promise<number>
  /**
   * Set custom attributes of the visitor for agents (a value sets its key, `null` deletes it) and tell
   * the backend which page the visitor is on: a single-page app calls `Confab('update', {})` after it
   * navigated. Resolves once the backend has them; rejects with `'invalid-argument'` naming the limit
   * broken (50 keys of `[A-Za-z0-9_.-]{1,64}`, strings of 500 characters, 4 KB as JSON).
   */
  (command: 'update', attributes?: VisitorAttributeChanges): Promise<void>
  /** Record something the visitor did (`'order:placed'`), with JSON metadata of at most 2 KB, for the agents' timeline. */
  (command: 'trackEvent', name: string, metadata?: { [key: string]: JsonValue }): Promise<void>
  /** Open the pane with `text` in the composer, not sent, the caret after it. */
  (command: 'showNewMessage', text?: string): Promise<void>
  /**
   * Speak another language, the open pane included: `en`, `es`, `fr`, `de`, `ja`, `ar` or `he`, with a
   * region or not (`fr-CA`); another falls back to the nearest the widget speaks (`pt-BR` to `en`).
   * Resolves once its text shows, or at once when the pane's code has not loaded yet (the text then
   * comes with it); rejects when the language's file could not be loaded.
   */
  (command: 'setLocale', locale: string): Promise<void>
  /**
   * Listen to the integration stream: one type of event (`message:received`, `conversation:started`
   * …) or every one (`'*'`), each told once per site however many tabs are open; returns the
   * unsubscribe function at once. See `IntegrationPayloads` for what each carries.
   */
  <T extends IntegrationEventType>(command: 'on', event: T, listener: (event: IntegrationEvent<T>) => void): Unsubscribe
  (command: 'on', event: '*', listener: (event: IntegrationEvent) => void): Unsubscribe
  /** Stop listening to the integration stream. */
  <T extends IntegrationEventType>(command: 'off', event: T, listener: (event: IntegrationEvent<T>) => void): Promise<void>
  (command: 'off', event: '*', listener: (event: IntegrationEvent) => void): Promise<void>
  /** Listen to a client event (`message`, `sent`, `failed`, `open`, `close`, `error` …); returns the unsubscribe function at once. */
  <K extends keyof ClientEvents>(command: 'on', event: K, listener: (payload: ClientEvents[K]) => void): Unsubscribe
  /** Stop listening. */
  <K extends keyof ClientEvents>(command: 'off', event: K, listener: (payload: ClientEvents[K]) => void): Promise<void>
}

declare global {
  /** Confab's command function, installed by the script tag (`dist/confab.js`) or the snippet's stub. */
  var Confab: ConfabCommand
}
