import { FRAME_TOKENS, LAUNCHER_LIGHT, LAUNCHER_TOKENS, lightCss, schemeCss } from './tokens.js'

/**
 * The widget's stylesheet, scoped by its shadow root, in two parts: the launcher's, all that the
 * script tag's loader shows on every page, and the pane's frame with the unread badge, which come
 * with the rest of the widget (the pane's own is in `pane/styles.ts`). Colours, fonts and the like
 * are tokens (`tokens.ts`): the launcher's part declares the light values of its own, the frame
 * their other values (dark, forced colours) with its own. `--confab-z` sets the stacking order
 * (default `2147483000`, above nearly every page). The launcher sits at the inline end of the
 * bottom edge (the right in a left-to-right page), or at its start with `data-position="left"` on
 * the host: sides are logical throughout, so the widget mirrors in a right-to-left page (the page's
 * direction places the pane, whatever the direction of the language it speaks, beside its launcher). Less
 * motion, when asked for, is the launcher's rule for the whole shadow root.
 */
export const launcherCss = /* @__PURE__ */ lightCss(LAUNCHER_LIGHT) +
  `
:host{all:initial!important;--_end:20px;--_start:auto}
:host([data-position=left]){--_end:auto;--_start:20px}
*{box-sizing:border-box}
[hidden]{display:none!important}
.launcher,.pane{position:fixed;inset-inline:var(--_start) var(--_end);z-index:var(--confab-z,2147483000)}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none}
:focus-visible{outline:2px solid var(--_focus);outline-offset:2px}
.launcher{inset-block-end:20px;width:56px;height:56px;border-radius:50%;display:grid;place-items:center;background:var(--_brand);color:var(--_on-brand);box-shadow:var(--_shadow);transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
@media (forced-colors:active){.launcher{border:2px solid}}
`

/**
 * The launcher while the rest of the widget loads after the visitor asked for the pane: only the
 * script tag's loader shows it so.
 */
export const busyCss = `
.launcher[aria-busy=true]{cursor:progress}
.launcher[aria-busy=true] svg{opacity:.7;animation:busy .5s ease-in-out infinite alternate}
@keyframes busy{to{opacity:.3}}
`

/**
 * The pane's frame: what shows at once when the pane opens, before its code has loaded. It slides
 * in fully opaque, so the composer can be seen and typed into from the first frame (the launcher's
 * sheet turns the motion off for those who ask for less of it). The unread badge is the widget's
 * too: the loader shows no count. Under forced colours, borders take the place of the shadow and
 * the fills the browser drops. A pane drawn ahead while closed (`data-closed`) is laid out but not
 * seen; it slides in as it shows.
 */
export const frameCss = /* @__PURE__ */ lightCss(FRAME_TOKENS) + /* @__PURE__ */ schemeCss({ ...LAUNCHER_TOKENS, ...FRAME_TOKENS }) +
  `
.launcher,.pane{font:var(--_font-size)/1.4 var(--_font)}
.badge{position:absolute;inset-block-start:-4px;inset-inline-end:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:var(--_error);color:var(--_on-error);font-size:12px;font-weight:600;line-height:20px;text-align:center}
.pane{inset-block-end:88px;width:370px;height:min(560px,100% - 108px);display:flex;flex-direction:column;color-scheme:var(--_scheme,light);color:var(--_text);background:var(--_surface);border-radius:var(--_radius);box-shadow:var(--_shadow-pane);overflow:hidden;animation:in .15s ease-out}
@keyframes in{from{transform:translateY(8px)}}
.pane[data-closed]{visibility:hidden;animation:none}
:host(:dir(ltr)) .pane[dir=rtl],:host(:dir(rtl)) .pane[dir=ltr]{inset-inline:var(--_end) var(--_start)}
.empty{margin:auto;max-width:240px;text-align:center;color:var(--_muted)}
.cta{flex:1;padding:8px 16px;border-radius:19px;background:var(--_brand);color:var(--_on-brand)}
@media (max-width:480px){.pane{inset:0;width:auto;height:auto;border-radius:0}}
@media (forced-colors:active){.pane,.cta{border:1px solid}}
`
