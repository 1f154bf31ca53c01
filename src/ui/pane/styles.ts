import { lightCss, PANE_TOKENS, schemeCss } from '../tokens.js'
import { richCss } from './rich-styles.js'

/**
 * Text for screen readers only (`.sr`): out of sight, in the accessibility tree. Adopted by the
 * announcer (`components/announcer.tsx`), which is on the page with the pane open or closed.
 */
export const srCss = `.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`

/**
 * The pane's stylesheet: adopted by the widget's shadow root while the pane shows, so it loads with
 * the pane's code and not with the widget, and so do the tokens (`tokens.ts`) that only the pane
 * and what loads after it use. Comes after the widget's own (`styles.ts`), whose tokens and rules
 * for the frame (`.pane`, `.empty`, `.cta`) it builds on. Under forced colours, borders take the
 * place of the fills the browser drops. On a phone, where the frame covers the screen, the pane is
 * as tall as the visual viewport and where it is (`--vh`, `--vt`, which the pane sets): the on-screen
 * keyboard does not cover the composer. The typing indicator's dot pulses, not its text, which
 * keeps its contrast.
 */
export const css = /* @__PURE__ */ lightCss(PANE_TOKENS) + /* @__PURE__ */ schemeCss(PANE_TOKENS) +
  `
.head{display:flex;align-items:center;gap:8px;padding:12px;padding-inline-start:16px;background:var(--_brand);color:var(--_on-brand)}
.head :focus-visible,.own :focus-visible{outline-color:currentColor}
.titles{flex:1;min-width:0}
h2{display:inline;margin:0;margin-inline-end:8px;font-size:16px}
.mode{font-size:12px;padding:0 6px;border:1px solid;border-radius:9px}
.head .mode{opacity:.9}
.status{margin:0;font-size:12px;opacity:.9}
.x{width:32px;height:32px;border-radius:8px;display:grid;place-items:center}
.x:hover{background:color-mix(in srgb,currentColor 18%,transparent)}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;overflow-anchor:none;padding:16px;display:flex;flex-direction:column;gap:10px}
.log:focus-visible{outline-offset:-2px}
.spacer{flex:none}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:80%}
.own{align-self:flex-end;align-items:flex-end}
.system{align-self:center;align-items:center;max-width:90%;color:var(--_muted);font-size:12px}
.bubble{padding:8px 12px;border-radius:var(--_radius);background:var(--_bubble-agent);color:var(--_on-bubble-agent);white-space:pre-wrap;overflow-wrap:anywhere}
[data-author=bot] .bubble{background:var(--_bubble-bot);color:var(--_on-bubble-bot)}
.own .bubble{background:var(--_bubble-visitor);color:var(--_on-bubble-visitor)}
.system .bubble{background:none;color:inherit;padding:0}
.failed .bubble{background:none;color:inherit;border:1px dashed var(--_error)}
.more{position:relative;display:grid;place-items:center}
.more>*{position:absolute;inset-block-end:8px;box-shadow:var(--_shadow-panel)}
[data-highlight] .bubble{outline:2px solid var(--_highlight)}
.who,.meta{font-size:11px;color:var(--_muted);margin:2px 4px}
.failed .meta{color:var(--_error)}
.meta button{padding:0;text-decoration:underline}
.typing{margin:0 16px 4px;font-size:12px;color:var(--_muted)}
.typing .dot{display:inline-block;width:6px;height:6px;margin-inline-end:6px;vertical-align:middle;border-radius:50%;background:currentColor;animation:pulse 1s ease-in-out infinite alternate}
@keyframes pulse{to{opacity:.4}}
.composer{position:relative;display:flex;align-items:flex-end;gap:8px;padding:8px;border-block-start:1px solid var(--_divider)}
textarea{flex:1;min-height:38px;max-height:120px;field-sizing:content;resize:none;padding:8px 12px;border:1px solid var(--_border);border-radius:19px;font:inherit;color:inherit;background:var(--_surface)}
.send{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;background:var(--_brand);color:var(--_on-brand)}
.gifw{display:contents}
.gifb{height:38px;flex:none;padding:0 8px;border-radius:19px;font-size:12px;font-weight:700;color:var(--_text);background:var(--_subtle)}
.gifb:disabled{opacity:.5;cursor:default}
.gifs{position:absolute;inset-inline:8px;inset-block-end:calc(100% + 4px);z-index:1;background:var(--_surface);border:1px solid var(--_divider);border-radius:12px;box-shadow:var(--_shadow-panel)}
.gifs[role=alert]{padding:8px 12px}
.bar{margin:0;padding:6px;border-block-end:1px solid var(--_divider);text-align:center;font-size:12px;color:var(--_muted)}
.bar *{margin-inline-start:8px}
.list{margin:0;list-style:none}
.conv{width:100%;display:grid;grid-template-columns:1fr auto;gap:2px 8px;text-align:start}
.conv>*{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.conv .badge{position:static}
[dir=rtl] .flip{transform:scaleX(-1)}
@media (forced-colors:active){.head{border-block-end:1px solid}.bubble,.send,.gifb,.more>*{border:1px solid}.system .bubble{border:0}}
@media (max-width:480px){.pane{inset-block-start:var(--vt,0);height:var(--vh,auto)}}
${richCss}`
