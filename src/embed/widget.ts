import { createHttpTransport } from '../transports/http/index.js'
import { createWidget, type Drawn, type Widget } from '../ui/widget.js'
import { toWidgetOptions, type BootOptions } from './commands.js'

/**
 * The widget of `Confab('boot', options)`: talking through `options.transport` when the page gave
 * one, else through Confab's HTTP protocol at `options.url` (the command runner checked that one
 * of them is there); taking over the launcher the loader `drawn` when there is one. Options the
 * widget refuses (a colour that is not one) take that launcher off the page: nothing would answer it.
 */
export function bootWidget(options: BootOptions, drawn?: Drawn): Widget {
  try {
    return createWidget({ ...toWidgetOptions(options), transport: options.transport ?? createHttpTransport({ url: options.url! }) }, drawn)
  } catch (refused) {
    drawn?.host.remove()
    throw refused
  }
}
