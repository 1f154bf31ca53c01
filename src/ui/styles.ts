/**
 * The widget's stylesheet, scoped by its shadow root, in two parts: the launcher's, all that the
 * script tag's loader shows on every page, and the pane's frame, which comes with the rest of the
 * widget (the pane's own is in `pane/styles.ts`). Theming goes through custom properties set on the
 * host element (or by the page's own CSS on `[data-confab]`):
 * - `--confab-brand`: launcher, header, the visitor's bubbles, focus rings. Default `#2f5bea`.
 * - `--confab-on-brand`: text on the brand colour. Default `#fff`.
 * - `--confab-z`: stacking order. Default `2147483000`, above nearly every page.
 * `data-position="left"` on the host moves the launcher and pane to the left.
 */
export const launcherCss = `
:host{all:initial!important;--b:var(--confab-brand,#2f5bea);--o:var(--confab-on-brand,#fff);--r:20px;--l:auto}
:host([data-position=left]){--r:auto;--l:20px}
*{box-sizing:border-box}
[hidden]{display:none!important}
.launcher,.pane{position:fixed;right:var(--r);left:var(--l);z-index:var(--confab-z,2147483000);font:14px/1.4 system-ui,sans-serif;color:#1c1c1e}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none}
:focus-visible{outline:2px solid var(--b);outline-offset:2px}
.launcher{bottom:20px;width:56px;height:56px;border-radius:50%;display:grid;place-items:center;background:var(--b);color:var(--o);box-shadow:0 4px 16px #0003;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d93036;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
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
 * sheet turns the motion off for those who ask for less of it).
 */
export const frameCss = `
.pane{bottom:88px;width:370px;height:min(560px,100% - 108px);display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 8px 32px #0003;overflow:hidden;animation:in .15s ease-out}
@keyframes in{from{transform:translateY(8px)}}
.empty{margin:auto;max-width:240px;text-align:center;color:#6b6b76}
.cta{flex:1;padding:8px 16px;border-radius:19px;background:var(--b);color:var(--o)}
@media (max-width:480px){.pane{inset:0;width:auto;height:auto;border-radius:0}}
`
