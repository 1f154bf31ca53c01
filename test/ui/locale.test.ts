import { afterEach, describe, expect, it, vi } from 'vitest'
import { setup, typeAndEnter } from './setup.js'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Open the pane with the launcher; resolves with the composer once the pane shows. */
async function openPane(view: ReturnType<typeof setup>) {
  view.find('launcher')!.click()
  await view.ready()
  await vi.waitFor(() => expect(view.find('composer')).not.toBeNull())
  return view.find<HTMLTextAreaElement>('composer')!
}

/** The visitor says something, and an agent answers; resolves once both show. */
async function exchange(view: ReturnType<typeof setup>, composer: HTMLTextAreaElement, mine: string, theirs: string) {
  typeAndEnter(composer, mine)
  await vi.waitFor(() => expect(view.backend.conversations()).toHaveLength(1))
  view.backend.reply(view.backend.conversations()[0]!.id, theirs, { role: 'agent', name: 'Anna' })
  await vi.waitFor(() => expect(view.findAll('message')).toHaveLength(2))
}

describe('the widget’s language', () => {
  it('is French with locale: fr', async () => {
    const view = setup({ locale: 'fr' })
    const composer = await openPane(view)
    const pane = view.find('pane')!
    expect([pane.getAttribute('lang'), pane.getAttribute('dir'), pane.getAttribute('aria-label')]).toEqual(['fr', 'ltr', 'Assistance'])
    expect(composer.placeholder).toBe('Écrivez votre message…')
    expect(view.find('send')!.getAttribute('aria-label')).toBe('Envoyer')
    const launcher = view.find('launcher')!
    expect([launcher.getAttribute('aria-label'), launcher.getAttribute('lang')]).toEqual(['Discuter avec nous', 'fr'])
  })

  it('follows the visitor’s languages when the site chose none', async () => {
    const view = setup({ languages: ['pt-BR', 'de-AT'] })
    const composer = await openPane(view)
    expect(view.find('pane')!.getAttribute('lang')).toBe('de-AT')
    expect(composer.placeholder).toBe('Nachricht schreiben…')
  })

  it('is English for a language it does not speak', async () => {
    const view = setup({ languages: ['pt-BR'] })
    const composer = await openPane(view)
    expect(view.find('pane')!.getAttribute('lang')).toBe('en')
    expect(composer.placeholder).toBe('Write a message…')
  })

  it('switches live with setLocale: the open pane, its thread and the launcher', async () => {
    const view = setup({ languages: ['en'] })
    const composer = await openPane(view)
    await exchange(view, composer, 'Hello', 'Hi, how can I help?')
    expect(view.findAll('message')[0]!.querySelector('.meta')!.textContent).toContain('Sent')
    await view.widget.setLocale('fr')
    await vi.waitFor(() => expect(composer.placeholder).toBe('Écrivez votre message…'))
    expect(view.findAll('message')[0]!.querySelector('.meta')!.textContent).toContain('Envoyé')
    expect(view.find('pane')!.getAttribute('lang')).toBe('fr')
    expect(view.find('launcher')!.getAttribute('aria-label')).toBe('Discuter avec nous')
  })

  it('turns the pane right to left in Arabic, and mirrors the icons that point', async () => {
    const view = setup({ languages: ['en'] })
    const composer = await openPane(view)
    await exchange(view, composer, 'Hello', 'مرحبا')
    await view.widget.setLocale('ar')
    await vi.waitFor(() => expect(view.find('pane')!.getAttribute('dir')).toBe('rtl'))
    expect(view.find('send')!.querySelector('svg')!.getAttribute('class')).toBe('flip')
  })

  it('lets each message read in its own direction, whatever the pane’s', async () => {
    const view = setup({ languages: ['en'] })
    const composer = await openPane(view)
    await exchange(view, composer, 'Hello', 'مرحبا، كيف يمكنني مساعدتك؟')
    for (const message of view.findAll('message')) expect(message.querySelector('.bubble p')!.getAttribute('dir')).toBe('auto')
    expect(composer.getAttribute('dir')).toBe('auto')
  })

  it('counts unread messages in the language’s plural forms', async () => {
    const view = setup({ locale: 'ar' })
    await openPane(view)
    view.find('close')!.click()
    await view.widget.send('مرحبا')
    const id = view.backend.conversations()[0]!.id
    view.backend.reply(id, 'أهلًا')
    view.backend.reply(id, 'كيف يمكنني المساعدة؟')
    await vi.waitFor(() => expect(view.find('badge')?.textContent).toBe('2'))
    expect(view.find('launcher')!.getAttribute('aria-label')).toBe('تحدّث معنا (رسالتان غير مقروءتين)')
  })
})

describe('the page’s strings', () => {
  it('win over the language’s own', async () => {
    const view = setup({ locale: 'fr', strings: { title: 'Assistance Acme' } })
    const composer = await openPane(view)
    expect(view.find('pane')!.querySelector('h2')!.textContent).toBe('Assistance Acme')
    expect(composer.placeholder).toBe('Écrivez votre message…')
  })

  it('stay over a language set later', async () => {
    const view = setup({ languages: ['en'], strings: { placeholder: 'Ask Acme…' } })
    const composer = await openPane(view)
    await view.widget.setLocale('de')
    await vi.waitFor(() => expect(view.find('send')!.getAttribute('aria-label')).toBe('Senden'))
    expect(composer.placeholder).toBe('Ask Acme…')
  })

  it('that miss their placeholder are reported, and the language’s own text shows', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const view = setup({ locale: 'de', strings: { unread: 'neu', launcher: 'Fragen Sie Acme' } })
    await openPane(view)
    view.find('close')!.click()
    await view.widget.send('Hallo')
    view.backend.reply(view.backend.conversations()[0]!.id, 'Guten Tag!')
    await vi.waitFor(() => expect(view.find('badge')?.textContent).toBe('1'))
    expect(view.find('launcher')!.getAttribute('aria-label')).toBe('Fragen Sie Acme (1 ungelesen)')
    expect(warn).toHaveBeenCalledWith('Confab: strings.unread must be text with {count}; its default shows')
  })
})
