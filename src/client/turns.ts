/** A place in the order of this tab's sends (see `takeTurn`). */
export interface Turn {
  /** Settles once every earlier send has handed its message over (or given up). */
  readonly before: Promise<void>
  /** Whether every earlier send has handed its message over. */
  first(): boolean
  /** This send has handed its message over (or given up): the next may. Safe to call twice. */
  release(): void
}

/**
 * The order of this tab's sends. Messages reach their sender in the order `send()` was called,
 * however long each waits for its outbox write, its conversation or the connection: each takes its
 * turn when called and hands its message over once the turns before it have. The send queue behind
 * them is what keeps them in order on the backend.
 *
 * @example
 * const turns = createTurns()
 * const turn = turns.take()
 * await turn.before
 * handOver(message)
 * turn.release()
 */
export function createTurns() {
  /** Settles once the last send so far has handed its message over. */
  let last: Promise<void> = Promise.resolve()
  /** The sends that have not handed their message over yet, oldest first. */
  let open: Turn[] = []
  return {
    /** Take the next turn. */
    take(): Turn {
      const before = last
      let done!: () => void
      const mine = new Promise<void>((resolve) => (done = resolve))
      last = before.then(() => mine)
      const turn: Turn = {
        before,
        first: () => open[0] === turn,
        release() {
          const index = open.indexOf(turn)
          if (index >= 0) open.splice(index, 1)
          done()
        }
      }
      open.push(turn)
      return turn
    },
    /** The session stopped: sends still waiting for it do not hold up the next one's. */
    reset(): void {
      last = Promise.resolve()
      open = []
    }
  }
}
