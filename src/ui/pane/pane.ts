/**
 * The widget's lazily loaded code (see `load.ts`): the pane, and the chime for new messages, which
 * is only wanted after the pane's code has been preloaded anyway.
 */
export { Pane } from '../components/pane.js'
export { createChime } from '../sound.js'
