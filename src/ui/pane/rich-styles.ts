/**
 * The rules for what a message holds besides plain text: markdown blocks, parts (images, files,
 * locations, cards, forms, ratings), buttons and quick replies, and the composer while it waits for
 * an answer or takes files. Part of the pane's stylesheet (`styles.ts`). Quotes and code take their
 * shade from the text around them, so they read in every bubble of either scheme.
 */
export const richCss = `
.bubble *,.box *{margin:0}
.bubble>*+*,.bubble li>*+*,blockquote>*+*{margin-block-start:6px}
.bubble :is(ul,ol){padding-inline-start:1.4em}
blockquote{padding-inline-start:8px;border-inline-start:3px solid color-mix(in srgb,currentColor 30%,transparent)}
code{font:12px/1.4 ui-monospace,monospace;padding:0 3px;border-radius:4px;background:color-mix(in srgb,currentColor 8%,transparent)}
pre{overflow-x:auto;padding:6px 8px;border-radius:6px;background:color-mix(in srgb,currentColor 8%,transparent)}
pre code{padding:0;background:none}
.msg a:not(.act,.chip){color:inherit}
dt{font-weight:600}
.box{display:flex;flex-direction:column;gap:6px;max-width:100%;margin-block-start:6px;padding:10px 12px;border:1px solid var(--_divider);border-radius:12px;color:var(--_text);background:var(--_surface)}
.img{position:relative;margin-block-start:6px;max-width:100%}
.img>button{position:relative;display:block;max-width:100%;padding:0;border-radius:10px}
img{display:block;max-width:100%;height:auto;border-radius:10px}
.unsized img{min-width:120px;min-height:90px;background:var(--_subtle)}
.img canvas{position:absolute;inset:0;width:100%;height:100%;border-radius:10px}
.still img{opacity:0}
.img>.gif{position:absolute;inset-block-start:6px;inset-inline-start:6px;padding:2px 10px;border-radius:12px;background:var(--_scrim);color:var(--_on-viewer)}
.file{display:flex;align-items:center;gap:6px;max-width:100%;margin-block-start:6px}
.type{font-size:11px;font-weight:600}
.name{min-width:0;overflow-wrap:anywhere}
.file .meta,.play .meta{margin:0;white-space:nowrap}
.play audio,.play video{display:block;max-width:100%}
.play video{max-height:240px;border-radius:8px}
.row{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px}
.acts,.chips{display:flex;flex-wrap:wrap;gap:6px;margin-block-start:6px}
.act,.chip{padding:5px 12px;border:1px solid var(--_accent);border-radius:16px;background:var(--_surface);color:var(--_accent);text-decoration:none}
.cards{display:flex;gap:8px;max-width:100%}
.carousel{overflow-x:auto;overscroll-behavior-x:contain;scroll-snap-type:inline mandatory;padding-block-end:4px}
.stack{flex-direction:column}
.carousel .card{flex:none;width:200px;scroll-snap-align:start}
.card .acts{margin-block-start:auto}
.form,.rating{width:250px}
fieldset{display:flex;flex-direction:column;gap:8px;min-width:0;padding:0;border:0}
.field{display:flex;flex-direction:column;gap:2px}
legend{padding:0 0 4px;font-weight:600}
.box :is(input:not(.sr,[type=checkbox]),select,textarea){width:100%;padding:6px 8px;border:1px solid var(--_border);border-radius:8px;font:inherit;color:inherit;background:var(--_surface);resize:vertical}
.check{display:flex;align-items:center;gap:6px}
.error{color:var(--_error)}
.done{color:var(--_success)}
.stars{display:flex;font-size:26px;line-height:1;color:var(--_border)}
.stars label{padding:0 2px;cursor:pointer}
.stars label:has(~label :checked),.stars label:has(:checked){color:var(--_star)}
.stars label:has(:focus-visible){outline:2px solid var(--_focus)}
.hint p{margin:0;padding:6px 12px;border-block-start:1px solid var(--_divider);font-size:12px;color:var(--_muted);text-align:center}
:disabled{cursor:not-allowed}
.composer :disabled{opacity:.5}
.msg .jumbo{padding:0;background:none;font-size:40px;line-height:1.2}
.emo-open{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;color:var(--_muted)}
.emo-open:hover,.emo-open[aria-expanded=true]{background:var(--_subtle)}
.emo-failed{position:absolute;inset-inline:8px;inset-block-end:calc(100% + 4px);border:1px solid var(--_divider);border-radius:12px;background:var(--_surface)}
.attach{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;color:var(--_muted)}
.problem{margin:0;padding:6px 12px;font-size:12px;white-space:pre-line}
`
