/**
 * What the pane's lazily loaded code offers: the pane's content, rendered inside the frame the
 * widget shows at once (`components/app.tsx`), and the chime for new messages.
 */
export type PaneModule = typeof import('./pane.js')

/**
 * Load the pane's code; bundlers split it into its own chunk. The script tag's build swaps in
 * `load-script.ts`, which loads `confab-pane.js` instead.
 */
export const loadPane = (): Promise<PaneModule> => import('./pane.js')
