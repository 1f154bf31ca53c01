/**
 * The widget's lazily loaded code (see `load.ts`): the pane, what screen readers hear of new
 * messages, and the chime for them, which are only wanted after the pane's code has been preloaded
 * anyway.
 */
export { Announcer } from '../components/announcer.js'
export { Pane } from '../components/pane.js'
export { createChime } from '../sound.js'
