/**
 * An `IntersectionObserver` for happy-dom, which has none that reports: it measures each observed
 * element's box against its root's (with the boxes `layOutLogs` gives the thread) and reports the
 * elements whose visible share changed on each `check()`: call it where a browser would report,
 * after the thread drew and after scrolling.
 */
export function fakeIntersections() {
  const view = window as unknown as { IntersectionObserver: unknown }
  const original = view.IntersectionObserver
  const observers = new Set<FakeObserver>()

  class FakeObserver {
    private readonly targets = new Map<Element, number>()
    constructor(
      private readonly callback: (entries: IntersectionObserverEntry[]) => void,
      private readonly options: IntersectionObserverInit = {}
    ) {
      observers.add(this)
    }
    observe(target: Element) {
      this.targets.set(target, -1)
    }
    unobserve(target: Element) {
      this.targets.delete(target)
    }
    disconnect() {
      this.targets.clear()
      observers.delete(this)
    }
    takeRecords() {
      return []
    }
    check() {
      const root = (this.options.root as Element | null) ?? null
      const bounds = root?.getBoundingClientRect() ?? new DOMRect(0, 0, innerWidth, innerHeight)
      const entries: IntersectionObserverEntry[] = []
      for (const [target, before] of this.targets) {
        const box = target.getBoundingClientRect()
        const top = Math.max(box.top, bounds.top)
        const bottom = Math.min(box.bottom, bounds.bottom)
        const visible = target.isConnected && box.height > 0 ? Math.max(0, bottom - top) : 0
        const ratio = box.height > 0 ? visible / box.height : 0
        if (ratio === before) continue
        this.targets.set(target, ratio)
        entries.push({
          target,
          isIntersecting: visible > 0,
          intersectionRatio: ratio,
          intersectionRect: new DOMRect(box.left, top, box.width, visible),
          boundingClientRect: box,
          rootBounds: bounds,
          time: performance.now()
        })
      }
      if (entries.length) this.callback(entries)
    }
  }

  view.IntersectionObserver = FakeObserver
  return {
    /** Report what changed for every observer, as after a layout. */
    check: () => observers.forEach((observer) => observer.check()),
    restore: () => (view.IntersectionObserver = original)
  }
}
