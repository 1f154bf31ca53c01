import { useEffect, useRef, useState } from 'preact/hooks'
import type { FormValues } from '../../../client/index.js'
import type { ConfabError } from '../../../errors/index.js'
import type { ChatMessage } from '../../../store/index.js'
import type { FormPart, FormResponsePart } from '../../../transports/types.js'
import type { UiProps } from '../props.js'
import { useFocusOnAnswer } from './answered.js'

/** Gives each form's error an id of its own in the widget's shadow root. */
let forms = 0

/** What `submitForm` refused: the field it names (if any) and why, in its words. */
interface Problem {
  field?: string
  text: string
}

/**
 * A form to fill in: a labelled input per field (a text box, a list for one choice, checkboxes
 * for several), checked by the browser as it is typed and by the client on submit, whose refusal
 * shows next to the form, announced, with focus on the field it names. Once the thread holds the
 * visitor's answer (`answer`), the form shows it, read-only.
 */
export function Form({
  client,
  strings,
  message,
  part,
  answer
}: Pick<UiProps, 'client' | 'strings'> & { message: ChatMessage; part: FormPart; answer?: ChatMessage }) {
  const [id] = useState(() => `cf-form-${++forms}`)
  const [problem, setProblem] = useState<Problem>()
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => form.current?.querySelector<HTMLElement>('[aria-invalid]')?.focus(), [problem])
  const given = answer?.parts?.find((p): p is FormResponsePart => p.type === 'form-response')
  const done = useFocusOnAnswer(form, !!given)
  const valueOf = (name: string) => [given?.fields.find((f) => f.name === name)?.value ?? []].flat()
  const submit = (event: Event) => {
    event.preventDefault()
    const data = new FormData(form.current!)
    const values: FormValues = {}
    for (const field of part.fields) {
      values[field.name] = field.type === 'multiselect' ? data.getAll(field.name).map(String) : String(data.get(field.name) ?? '')
    }
    client.submitForm(message, values).then(
      () => setProblem(undefined),
      (error: ConfabError) => setProblem({ field: (error.data as { field?: string } | undefined)?.field, text: error.message })
    )
  }
  const error = `${id}-error`
  return (
    <form class="box form" ref={form} onSubmit={submit} data-testid="form">
      <fieldset disabled={!!given}>
        {part.fields.map((field) => {
          const invalid = problem?.field === field.name
          const described = invalid ? error : undefined
          const value = valueOf(field.name)
          const label = (
            <>
              {field.label}
              {field.required && <span aria-hidden="true"> *</span>}
            </>
          )
          if (field.type === 'multiselect') {
            return (
              <fieldset class="field" key={field.name} aria-describedby={described}>
                <legend>{label}</legend>
                {field.options?.map((option) => (
                  <label class="check" key={option.value}>
                    <input type="checkbox" name={field.name} value={option.value} defaultChecked={value.includes(option.value)} aria-invalid={invalid || undefined} />
                    {option.label}
                  </label>
                ))}
              </fieldset>
            )
          }
          const common = { name: field.name, required: field.required, 'aria-invalid': invalid || undefined, 'aria-describedby': described }
          return (
            <label class="field" key={field.name}>
              <span>{label}</span>
              {field.type === 'select' ? (
                <select {...common}>
                  <option value="">{field.placeholder ?? ''}</option>
                  {field.options?.map((option) => (
                    <option key={option.value} value={option.value} selected={value.includes(option.value)}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...common}
                  // One of text, email, number; preact types each `type` apart.
                  type={field.type as 'text'}
                  placeholder={field.placeholder}
                  maxLength={field.type === 'number' ? undefined : (field.maxLength ?? 1000)}
                  min={field.min}
                  max={field.max}
                  step={field.type === 'number' ? 'any' : undefined}
                  defaultValue={value.join('')}
                />
              )}
            </label>
          )
        })}
        {given ? (
          <p class="done" ref={done} tabIndex={-1} data-testid="form-submitted">
            ✓ {strings.submitted}
          </p>
        ) : (
          <button type="submit" class="cta">
            {part.submitLabel ?? strings.submit}
          </button>
        )}
      </fieldset>
      {problem && !given && (
        <p class="error" id={error} role="alert" data-testid="form-error">
          {problem.text}
        </p>
      )}
    </form>
  )
}

/**
 * The visitor's answers to a form, one line per field: each choice by its label when the form is
 * in the thread (`form`), else as sent.
 */
export function FormAnswers({ part, form }: { part: FormResponsePart; form?: FormPart }) {
  const label = (name: string, value: string) => form?.fields.find((f) => f.name === name)?.options?.find((o) => o.value === value)?.label ?? value
  return (
    <dl class="answers" data-testid="form-response">
      {part.fields.map((field) => (
        <div key={field.name}>
          <dt>{field.label}</dt>
          <dd>{[field.value].flat().map((value) => label(field.name, value)).join(', ') || '—'}</dd>
        </div>
      ))}
    </dl>
  )
}
