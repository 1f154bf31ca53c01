/**
 * A browser's layout of the thread's log, for happy-dom (which lays nothing out): the log's children
 * one under the other, spacers as tall as their style says and each message as tall as `heightOf`
 * says, in a view `view` pixels high that scrolls and clamps like a browser's. The list then
 * measures, scrolls and centres as it would in Chromium, with sizes the test chooses.
 */
export function layOutLogs({ view, heightOf }: { view: number; heightOf: (message: HTMLElement) => number }) {
  const proto = HTMLElement.prototype
  const names = ['clientHeight', 'scrollHeight', 'scrollTop', 'getBoundingClientRect', 'scrollIntoView'] as const
  const own = names.map((name) => Object.getOwnPropertyDescriptor(proto, name))
  const inherited = Object.fromEntries(names.map((name) => [name, Object.getOwnPropertyDescriptor(Element.prototype, name) ?? Object.getOwnPropertyDescriptor(proto, name)]))
  const scrolled = new WeakMap<HTMLElement, number>()
  const isLog = (el: Element | null): el is HTMLElement => el?.getAttribute('role') === 'log'
  const px = (value: string) => parseFloat(value) || 0

  /** Where each child of `log` starts in its content, and the content's height. */
  const content = (log: HTMLElement) => {
    const style = getComputedStyle(log)
    const gap = px(style.rowGap)
    const tops = new Map<Element, number>()
    let y = px(style.paddingTop)
    for (const child of log.children) {
      tops.set(child, y)
      y += tall(child as HTMLElement) + gap
    }
    return { tops, height: y - (log.children.length ? gap : 0) + px(style.paddingBottom) }
  }
  const tall = (el: HTMLElement) => (el.dataset.testid === 'message' ? heightOf(el) : px(el.style.height))
  const scrollMax = (log: HTMLElement) => Math.max(0, content(log).height - view)
  const call = <T>(name: (typeof names)[number], el: HTMLElement, ...args: unknown[]) => (inherited[name]!.value as (...a: unknown[]) => T).apply(el, args)
  const get = <T>(name: (typeof names)[number], el: HTMLElement) => inherited[name]!.get!.call(el) as T

  Object.defineProperties(proto, {
    clientHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return isLog(this) ? view : get<number>('clientHeight', this)
      }
    },
    scrollHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return isLog(this) ? Math.max(view, content(this).height) : get<number>('scrollHeight', this)
      }
    },
    scrollTop: {
      configurable: true,
      get(this: HTMLElement) {
        return isLog(this) ? (scrolled.get(this) ?? 0) : get<number>('scrollTop', this)
      },
      set(this: HTMLElement, value: number) {
        if (isLog(this)) scrolled.set(this, Math.round(Math.max(0, Math.min(value, scrollMax(this)))))
        else inherited.scrollTop!.set!.call(this, value)
      }
    },
    getBoundingClientRect: {
      configurable: true,
      value(this: HTMLElement) {
        const log = this.parentElement
        if (isLog(this)) return new DOMRect(0, 0, 360, view)
        if (!isLog(log)) return call<DOMRect>('getBoundingClientRect', this)
        return new DOMRect(0, content(log).tops.get(this)! - log.scrollTop, 300, tall(this))
      }
    },
    scrollIntoView: {
      configurable: true,
      value(this: HTMLElement, options?: ScrollIntoViewOptions) {
        const log = this.parentElement
        if (!isLog(log)) return call('scrollIntoView', this, options)
        const top = content(log).tops.get(this)!
        log.scrollTop = options?.block === 'center' ? top + tall(this) / 2 - view / 2 : top
      }
    }
  })

  return {
    /** The log's layout as the browser had it before. */
    restore() {
      names.forEach((name, i) => (own[i] ? Object.defineProperty(proto, name, own[i]!) : delete (proto as unknown as Record<string, unknown>)[name]))
    }
  }
}

/** The visitor scrolls the log to `top`, as a wheel or the keys would. */
export function scrollLog(log: HTMLElement, top: number) {
  log.scrollTop = top
  log.dispatchEvent(new Event('scroll'))
}
