/**
 * The shortcode suggestions' ids, known to the composer's field (which points at the active one,
 * `aria-activedescendant`) and to the list, which loads with the picker's code.
 */
export const SUGGESTIONS = 'cf-emoji-suggestions'
export const suggestion = (index: number): string => `${SUGGESTIONS}-${index}`
