/**
 * The rules for what a message holds besides plain text: markdown blocks, parts (images, files,
 * locations, cards, forms, ratings), buttons and quick replies, and the composer while it waits for
 * an answer or takes files. Part of the pane's stylesheet (`styles.ts`); new rules use logical properties
 * (`margin-block-start`, `padding-inline-start` …) so they hold in right-to-left pages.
 */
export const richCss = `
.bubble *,.box *{margin:0}
.bubble>*+*,.bubble li>*+*,blockquote>*+*{margin-block-start:6px}
.bubble :is(ul,ol){padding-inline-start:1.4em}
blockquote{padding-inline-start:8px;border-inline-start:3px solid #0003}
code{font:12px/1.4 ui-monospace,monospace;padding:0 3px;border-radius:4px;background:#0000000f}
pre{overflow-x:auto;padding:6px 8px;border-radius:6px;background:#0000000f}
pre code{padding:0;background:none}
.msg a:not(.act,.chip){color:inherit}
dt{font-weight:600}
.box{display:flex;flex-direction:column;gap:6px;max-width:100%;margin-block-start:6px;padding:10px 12px;border:1px solid #e5e5ea;border-radius:12px;background:#fff}
.img{position:relative;margin-block-start:6px;max-width:100%}
.img>button{position:relative;display:block;max-width:100%;padding:0;border-radius:10px}
img{display:block;max-width:100%;height:auto;border-radius:10px}
.unsized img{min-width:120px;min-height:90px;background:#0000000f}
.img canvas{position:absolute;inset:0;width:100%;height:100%;border-radius:10px}
.still img{opacity:0}
.img>.gif{position:absolute;inset-block-start:6px;inset-inline-start:6px;padding:2px 10px;border-radius:12px;background:#000a;color:#fff}
.file{display:flex;align-items:center;gap:6px;max-width:100%;margin-block-start:6px}
.type{font-size:11px;font-weight:600}
.name{min-width:0;overflow-wrap:anywhere}
.file .meta,.play .meta{margin:0;white-space:nowrap}
.play audio,.play video{display:block;max-width:100%}
.play video{max-height:240px;border-radius:8px}
.row{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px}
.acts,.chips{display:flex;flex-wrap:wrap;gap:6px;margin-block-start:6px}
.act,.chip{padding:5px 12px;border:1px solid var(--b);border-radius:16px;background:#fff;color:var(--b);text-decoration:none}
.cards{display:flex;gap:8px;max-width:100%}
.carousel{overflow-x:auto;overscroll-behavior-x:contain;scroll-snap-type:x mandatory;padding-block-end:4px}
.stack{flex-direction:column}
.carousel .card{flex:none;width:200px;scroll-snap-align:start}
.card .acts{margin-block-start:auto}
.form,.rating{width:250px}
fieldset{display:flex;flex-direction:column;gap:8px;min-width:0;padding:0;border:0}
.field{display:flex;flex-direction:column;gap:2px}
legend{padding:0 0 4px;font-weight:600}
.box :is(input:not(.sr,[type=checkbox]),select,textarea){width:100%;padding:6px 8px;border:1px solid #d1d1d6;border-radius:8px;font:inherit;color:inherit;background:#fff;resize:vertical}
.check{display:flex;align-items:center;gap:6px}
.error{color:#c62828}
.done{color:#2e7d32}
.stars{display:flex;font-size:26px;line-height:1;color:#c7c7cc}
.stars label{padding:0 2px;cursor:pointer}
.stars label:has(~label :checked),.stars label:has(:checked){color:#e8a317}
.stars label:has(:focus-visible){outline:2px solid var(--b)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.hint p{margin:0;padding:6px 12px;border-top:1px solid #e5e5ea;font-size:12px;color:#55555e;text-align:center}
:disabled{cursor:not-allowed}
.composer :disabled{opacity:.5}
.msg .jumbo{padding:0;background:none;font-size:40px;line-height:1.2}
.emo-open{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;color:#6b6b76}
.emo-open:hover,.emo-open[aria-expanded=true]{background:#f0f0f3}
.emo-failed{position:absolute;inset-inline:8px;bottom:calc(100% + 4px);border:1px solid #e5e5ea;border-radius:12px;background:#fff}
.attach{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;color:#55555e}
.problem{margin:0;padding:6px 12px;font-size:12px;white-space:pre-line}
`
