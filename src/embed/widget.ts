import { createHttpTransport } from '../transports/http/index.js'
import { createWidget, type Drawn, type Widget } from '../ui/widget.js'
import { toWidgetOptions, type BootOptions } from './commands.js'

/**
 * The widget of `Confab('boot', options)`: talking through `options.transport` when the page gave
 * one, else through Confab's HTTP protocol at `options.url` (the command runner checked that one
 * of them is there); taking over the launcher the loader `drawn` when there is one.
 */
export const bootWidget = (options: BootOptions, drawn?: Drawn): Widget =>
  createWidget({ ...toWidgetOptions(options), transport: options.transport ?? createHttpTransport({ url: options.url! }) }, drawn)
