import type { EmojiStrings } from '../strings.js'

/** The English defaults of the emoji picker's text (see `EmojiStrings`): in its lazily loaded code only. */
export const emojiStrings: EmojiStrings = {
  emojiSearch: 'Search emoji',
  emojiRecent: 'Recently used',
  emojiCategories: 'Categories',
  emojiResults: 'Emoji found',
  emojiNone: 'No emoji match “{query}”',
  emojiSuggestions: 'Emoji suggestions',
  emojiSmileys: 'Smileys & emotion',
  emojiPeople: 'People & body',
  emojiAnimals: 'Animals & nature',
  emojiFood: 'Food & drink',
  emojiTravel: 'Travel & places',
  emojiActivities: 'Activities',
  emojiObjects: 'Objects',
  emojiSymbols: 'Symbols',
  emojiFlags: 'Flags'
}
