import { cleanContent } from '../content/check.js'
import { createError, isConfabError, type ConfabError, type ConfabErrorCode } from '../errors/index.js'
import type { Action, Message, Transport, VisitorContent } from '../transports/types.js'
import type { Timers } from '../util/timers.js'
import type { ClientOptions, SendDraft } from './api.js'
import { visitorContent } from './content.js'

/** How long a hook may take by default, in ms. */
export const HOOK_TIMEOUT = 3000

/** What the hooks need from the client around them. */
export interface HooksDeps {
  options: Pick<ClientOptions, 'beforeSend' | 'beforeDisplay' | 'onAction' | 'hookTimeout'>
  transport: Transport
  timers: Timers
  /** Where a hook that failed is reported (the client's `error` event). */
  report: (error: ConfabError) => void
}

/** The page's hooks, each bounded (see `createHooks`). */
export type Hooks = ReturnType<typeof createHooks>

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function'

/**
 * The page's hooks (`beforeSend`, `beforeDisplay`, `onAction`), each called so that it cannot break
 * Confab: one that throws, rejects, answers with something Confab cannot use, or takes longer than
 * `hookTimeout` (3 s by default) is reported as an `error` and counts as having changed nothing. A
 * hook that answers at once (not with a promise) is answered at once: nothing waits a task for it.
 *
 * @example
 * const hooks = createHooks({ options, transport, timers, report: (error) => emitter.emit('error', error) })
 * const answer = hooks.beforeSend({ text: 'Hi' }) // content, null (cancelled) or undefined (unchanged)
 */
export function createHooks(deps: HooksDeps) {
  const { options, timers } = deps
  const timeout = options.hookTimeout ?? HOOK_TIMEOUT

  /**
   * Call hook `name`: `read` turns its answer into the decision, and throws when it cannot; any
   * failure is reported and the decision is `undefined` (nothing changes).
   */
  function ask<T>(name: string, run: () => unknown, read: (answer: unknown) => T): T | undefined | Promise<T | undefined> {
    const failed = (what: string, cause?: unknown, code: ConfabErrorCode = isConfabError(cause) ? cause.code : 'internal'): undefined => {
      const reason = cause instanceof Error ? `: ${cause.message}` : ''
      deps.report(createError(code, `The ${name} hook ${what}${reason}; Confab went on as if it changed nothing`, { cause, retryable: false }))
      return undefined
    }
    const take = (answer: unknown) => {
      try {
        return read(answer)
      } catch (error) {
        return failed('answered with something Confab cannot use', error, 'invalid-argument')
      }
    }
    let answer: unknown
    try {
      answer = run()
    } catch (error) {
      return failed('threw', error)
    }
    if (!isThenable(answer)) return take(answer)
    return new Promise((resolve) => {
      let done = false
      const settle = (decide: () => T | undefined) => {
        if (done) return
        done = true
        timers.clearTimeout(timer)
        resolve(decide())
      }
      const timer = timers.setTimeout(() => settle(() => failed(`did not answer within ${timeout} ms`, undefined, 'timeout')), timeout)
      answer.then(
        (value) => settle(() => take(value)),
        (error) => settle(() => failed('failed', error))
      )
    })
  }

  /**
   * Ask the hook `name` (when the page gave it) about a copy of `subject`, so that a hook that edits
   * what it is handed does not change it behind Confab's back: `false` and `null` decide `null`,
   * `undefined` and `true` nothing (`undefined`), an object what `change` makes of it; anything else
   * is refused.
   */
  function edit<S, T>(name: string, hook: ((subject: S) => unknown) | undefined, subject: S, change: (given: Record<string, unknown>) => T) {
    return (
      hook &&
      ask(name, () => hook(structuredClone(subject)), (answer) => {
        if (answer === false || answer === null) return null
        if (answer === undefined || answer === true) return undefined
        if (typeof answer !== 'object') throw createError('invalid-argument', 'it must answer with a message, null or false')
        return change(answer as Record<string, unknown>)
      })
    )
  }

  return {
    /**
     * `beforeSend`'s decision on a message the visitor is about to send: its content changed (checked
     * by the content rules as `send()` checks it; its files and what it answers stay), `null` when it
     * is cancelled, `undefined` when it goes as it is.
     */
    beforeSend: (draft: SendDraft) =>
      edit('beforeSend', options.beforeSend, draft, (given) => {
        const { files, replyTo } = draft
        const changed: VisitorContent = { text: given.text as string }
        if (given.parts !== undefined) changed.parts = given.parts as VisitorContent['parts']
        if (given.metadata !== undefined) changed.metadata = given.metadata as VisitorContent['metadata']
        if (replyTo) changed.replyTo = replyTo
        // Files need no words with them, as with `send()`.
        const blank = !!files?.length && typeof changed.text === 'string' && changed.text.trim() === ''
        const checked: SendDraft = visitorContent(blank ? { ...changed, text: '-' } : changed, deps.transport)
        if (blank) checked.text = ''
        if (files) checked.files = files
        return checked
      }),

    /**
     * `beforeDisplay`'s decision on a message from someone else: the message as it is to be shown
     * (its content changed and cleaned as the backend's is), `null` when it is hidden, `undefined`
     * when it shows as it is.
     */
    beforeDisplay: (message: Message) =>
      edit('beforeDisplay', options.beforeDisplay, message, (given) => {
        const { content, problems } = cleanContent(given, deps.transport.capabilities.content ?? [])
        if (problems.length) throw createError('invalid-argument', problems.map((problem) => problem.message).join('; '))
        const { text: _text, parts: _parts, replies: _replies, actions: _actions, blockComposer: _block, replyTo: _replyTo, metadata: _metadata, ...rest } = message
        return { ...rest, ...content } as Message
      }),

    /** Hand a `host` action to `onAction`; resolves once the page has taken it (or failed to, reported). */
    async action(action: Extract<Action, { type: 'host' }>, message: Message): Promise<void> {
      const hook = options.onAction
      if (hook) await ask('onAction', () => hook(action, message), () => undefined)
    }
  }
}
