/**
 * The emoji data the build writes to `dist/confab-emoji.json` (see `scripts/emoji-data.js`), which
 * `load.ts` imports from beside the npm build's modules: there is no such file in src/.
 */
declare module '*/confab-emoji.json' {
  const data: import('./types.js').EmojiData
  export default data
}
