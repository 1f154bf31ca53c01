import { createHttpTransport } from '../transports/http/index.js'
import { createWidget, type Widget } from '../ui/widget.js'
import { toWidgetOptions, type BootOptions } from './commands.js'

/**
 * The widget of `Confab('boot', options)`: talking through `options.transport` when the page gave
 * one, else through Confab's HTTP protocol at `options.url` (the command runner checked that one
 * of them is there).
 */
export const bootWidget = (options: BootOptions): Widget =>
  createWidget({ ...toWidgetOptions(options), transport: options.transport ?? createHttpTransport({ url: options.url! }) })
