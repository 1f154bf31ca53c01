import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, type Client } from '../../src/client/index.js'
import type { ChatMessage, OutgoingFile } from '../../src/store/index.js'
import { createMemoryTransport } from '../../src/testing/index.js'
import type { UploadLimits } from '../../src/transports/types.js'
import { MessageItem } from '../../src/ui/components/message-item.js'
import { loadMedia } from '../../src/ui/media/load.js'
import { Outgoing } from '../../src/ui/media/files.js'
import { paneStrings } from '../../src/ui/pane/strings.js'
import { defaultStrings } from '../../src/ui/strings.js'
import { createRichBackend, withUploads } from '../support/rich-backend.js'
import { conversation, press } from './setup.js'

// What the visitor sees of media in happy-dom: images, files, sound and video in the thread, the
// viewer, their own files while they upload and the files in the composer. What needs real
// decoding, drawing, layout or key handling (a GIF's still frame, pasting and dropping real images,
// keys that press buttons) is checked in Chromium (test/e2e/media.test.ts).

const LIMITS: UploadLimits = { maxBytes: 1_000_000, types: ['image/*', 'application/pdf'] }

/** A rich backend whose transports take uploads within `limits` (null: the session names none; false: no uploads). */
function uploading(limits: UploadLimits | null | false = LIMITS) {
  const rich = createRichBackend()
  return { ...rich, transport: () => withUploads(rich.transport(), limits) }
}

const strings = { ...defaultStrings, ...paneStrings }

/** What {@link inShadow} rendered, taken off the page after each test. */
const rendered: (() => void)[] = []

/** Render `node` in a shadow root, as the widget renders; returns the root. */
function inShadow(node: preact.ComponentChild) {
  const host = document.body.appendChild(document.createElement('div'))
  const root = host.attachShadow({ mode: 'open' })
  const mount = root.appendChild(document.createElement('div'))
  render(node, mount)
  const unmount = () => render(null, mount)
  rendered.push(() => {
    unmount()
    host.remove()
  })
  return { root, unmount }
}

afterEach(() => {
  for (const remove of rendered.splice(0)) remove()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const pdf = { type: 'file', url: 'https://files.example/inv.pdf', name: 'invoice.pdf', size: 1_250_000, mediaType: 'application/pdf' } as const

describe('images in the thread', () => {
  it('load lazily, decode off the main thread, and have their size reserved', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'A photo', parts: [{ type: 'image', url: 'https://img.example/a.png', width: 400, height: 300 }] })
    const img = message.querySelector<HTMLImageElement>('[data-testid="image"] img')!
    expect([img.getAttribute('loading'), img.getAttribute('decoding')]).toEqual(['lazy', 'async'])
    expect([img.getAttribute('width'), img.getAttribute('height'), img.style.aspectRatio]).toEqual(['400', '300', '400 / 300'])
    expect(message.querySelector('.img')!.classList.contains('unsized')).toBe(false)
  })

  it('of unknown size hold a placeholder box', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'A photo', parts: [{ type: 'image', url: 'https://img.example/a.png' }] })
    expect(message.querySelector('.img')!.classList.contains('unsized')).toBe(true)
  })

  it('are described by their alt text, else their file name, else as an image', async () => {
    const view = await conversation()
    const message = await view.say({
      text: 'Photos',
      parts: [
        { type: 'image', url: 'https://img.example/1.png', alt: 'A red box', name: 'box.png' },
        { type: 'image', url: 'https://img.example/2.png', name: 'bike\u202Egpj.exe' },
        { type: 'image', url: 'https://img.example/3.png' }
      ]
    })
    expect([...message.querySelectorAll('img')].map((img) => img.getAttribute('alt'))).toEqual(['A red box', 'bikegpj.exe', 'Image'])
  })

  it('are buttons that open them large, which the keyboard reaches (Enter and Space press a button)', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'A photo', parts: [{ type: 'image', url: 'https://img.example/a.png' }] })
    const button = message.querySelector<HTMLElement>('[data-testid="image"]')!
    expect(button.tagName).toBe('BUTTON')
    expect(button.getAttribute('aria-haspopup')).toBe('dialog')
  })
})

describe('a GIF where the visitor asked for less motion', () => {
  const reduce = (matches: boolean) => vi.stubGlobal('matchMedia', (query: string) => ({ matches: matches && query.includes('reduce'), media: query }))

  it('shows still behind a Play button, and moves once asked to', async () => {
    reduce(true)
    const view = await conversation()
    const message = await view.say({ text: 'Dance', parts: [{ type: 'image', url: 'https://img.example/dance.gif', width: 200, height: 100 }] })
    expect(message.querySelector('.img')!.classList.contains('still')).toBe(true)
    expect(message.querySelector('.img canvas')).not.toBeNull()
    const play = message.querySelector<HTMLButtonElement>('[data-testid="play"]')!
    expect(play.textContent).toBe('Play')
    play.click()
    await vi.waitFor(() => expect(message.querySelector('.img')!.classList.contains('still')).toBe(false))
    expect(play.textContent).toBe('Pause')
  })

  it('is known by its type when its address does not say', async () => {
    reduce(true)
    const view = await conversation()
    const message = await view.say({ text: 'Dance', parts: [{ type: 'image', url: 'https://img.example/x?id=1', mediaType: 'image/gif' }] })
    expect(message.querySelector('[data-testid="play"]')).not.toBeNull()
  })

  it('moves as usual for everyone else', async () => {
    reduce(false)
    const view = await conversation()
    const message = await view.say({ text: 'Dance', parts: [{ type: 'image', url: 'https://img.example/dance.gif' }] })
    expect(message.querySelector('.still, canvas, [data-testid="play"]')).toBeNull()
  })
})

describe('the image viewer', () => {
  /** A conversation whose bot sent a photo; its image button, focused. */
  async function photo() {
    const view = await conversation()
    const message = await view.say({ text: 'A photo', parts: [{ type: 'image', url: 'https://img.example/a.png', name: 'receipt.png', width: 800, height: 600 }] })
    const button = message.querySelector<HTMLButtonElement>('[data-testid="image"]')!
    button.focus()
    return { ...view, button }
  }

  /** Open the viewer as a click or a key pressing the button does; resolves with the dialog. */
  async function open(view: Awaited<ReturnType<typeof photo>>) {
    view.button.click()
    await vi.waitFor(() => expect(view.find('viewer')).not.toBeNull())
    return view.find<HTMLDialogElement>('viewer')!
  }

  it('shows the image large in a modal dialog, with its name and a link that downloads it', async () => {
    const view = await photo()
    const dialog = await open(view)
    expect(dialog.tagName).toBe('DIALOG')
    expect(dialog.open).toBe(true)
    expect(dialog.getAttribute('aria-label')).toBe('receipt.png')
    expect(dialog.querySelector('img')!.getAttribute('src')).toBe('https://img.example/a.png')
    const link = dialog.querySelector('a')!
    expect([link.getAttribute('href'), link.getAttribute('download'), link.getAttribute('rel')]).toEqual(['https://img.example/a.png', 'receipt.png', 'noopener noreferrer'])
  })

  it('takes focus to its close button', async () => {
    const view = await photo()
    await open(view)
    expect(view.root.activeElement).toBe(view.find('viewer-close'))
  })

  it('closes with Escape, leaving the pane open, and gives focus back to the image', async () => {
    const view = await photo()
    const dialog = await open(view)
    expect(press(view.root.activeElement!, 'Escape')).toBe(false)
    await vi.waitFor(() => expect(view.find('viewer')).toBeNull())
    expect(dialog.open).toBe(false)
    expect(view.find('pane')).not.toBeNull()
    expect(view.root.activeElement).toBe(view.button)
  })

  it('closes with its close button, giving focus back to the image', async () => {
    const view = await photo()
    await open(view)
    view.find('viewer-close')!.click()
    await vi.waitFor(() => expect(view.find('viewer')).toBeNull())
    expect(view.root.activeElement).toBe(view.button)
  })

  it('keeps Tab going round its own controls', async () => {
    const view = await photo()
    const dialog = await open(view)
    const close = view.find('viewer-close')!
    const download = dialog.querySelector('a')!
    expect(press(close, 'Tab')).toBe(false)
    expect(view.root.activeElement).toBe(download)
    expect(press(download, 'Tab', { shiftKey: true })).toBe(false)
    expect(view.root.activeElement).toBe(close)
  })
})

describe('files in the thread', () => {
  it('show as a row that downloads them: type, name and size', async () => {
    const view = await conversation()
    const message = await view.say({ text: 'The invoice', parts: [pdf] })
    const file = message.querySelector('[data-testid="file"]')!
    expect([file.tagName, file.getAttribute('href'), file.getAttribute('download'), file.getAttribute('rel')]).toEqual(['A', pdf.url, 'invoice.pdf', 'noopener noreferrer'])
    expect(file.querySelector('.type')!.textContent).toBe('PDF')
    expect(file.querySelector('.name')!.textContent).toBe('invoice.pdf')
    expect(file.querySelector('.meta')!.textContent).toMatch(/^1\.3\s*MB$/)
  })

  it('of sound or video play in the browser’s own player, loading only their length, with a download link', async () => {
    const view = await conversation()
    const message = await view.say({
      text: 'Listen and watch',
      parts: [
        { type: 'file', url: 'https://files.example/hi.ogg', name: 'hello.ogg', mediaType: 'audio/ogg' },
        { type: 'file', url: 'https://files.example/clip.mp4', name: 'clip.mp4', mediaType: 'video/mp4', size: 2_000_000 }
      ]
    })
    const audio = message.querySelector('[data-testid="audio"] audio')!
    const video = message.querySelector('[data-testid="video"] video')!
    for (const [player, url] of [
      [audio, 'https://files.example/hi.ogg'],
      [video, 'https://files.example/clip.mp4']
    ] as const) {
      expect([player.getAttribute('src'), player.hasAttribute('controls'), player.getAttribute('preload')]).toEqual([url, true, 'metadata'])
      expect(player.parentElement!.querySelector('a[download]')!.getAttribute('href')).toBe(url)
    }
  })

  it('with hostile names show them as plain, isolated text: no markup, no bidi controls, shortened in the middle', async () => {
    const view = await conversation()
    // The longest name a backend may send (see LIMITS.name); the visitor's own files may be longer.
    const long = `${'a'.repeat(251)}.pdf`
    const message = await view.say({
      text: 'Files',
      parts: [
        { type: 'file', url: 'https://files.example/1', name: '<img src=x onerror=alert(1)><b>x</b>.pdf' },
        { type: 'file', url: 'https://files.example/2', name: 'invoice\u202Efdp.exe' },
        { type: 'file', url: 'https://files.example/3', name: long }
      ]
    })
    const names = [...message.querySelectorAll('.name')]
    expect(names.every((name) => name.tagName === 'BDI' && name.children.length === 0)).toBe(true)
    expect(message.querySelector('.file img, .file b')).toBeNull()
    expect(names[0]!.textContent).toBe('<img src=x onerror=alert(1)><b>x</b>.pdf')
    expect(names[1]!.textContent).toBe('invoicefdp.exe')
    expect(message.querySelectorAll('[data-testid="file"]')[1]!.getAttribute('download')).toBe('invoicefdp.exe')
    expect(names[2]!.textContent).toMatch(/^a{32}…aaa\.pdf$/)
    expect(names[2]!.getAttribute('title')).toBe(long)
  })
})

/** A message of the visitor's with `files`, not sent yet. */
const unsent = (files: OutgoingFile[], more: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'local-1',
  clientId: 'c-1',
  conversationId: 'conv',
  author: { role: 'visitor' },
  text: 'The damage',
  createdAt: Date.now(),
  status: 'sending',
  files,
  ...more
})

const photoFile: OutgoingFile = { id: 'f1', kind: 'image', name: 'dent.jpg', size: 200_000, type: 'image/jpeg', width: 800, height: 600, loaded: 50_000 }
const pdfFile: OutgoingFile = { id: 'f2', kind: 'file', name: 'estimate.pdf', size: 80_000, type: 'application/pdf' }

describe('the visitor’s files while they upload', () => {
  /** A stand-in client with the two methods the files use. */
  const fakeClient = (blobs: Record<string, Blob> = {}) => ({ fileBlob: vi.fn(async (id: string) => blobs[id]), cancelFile: vi.fn() }) as unknown as Client & { cancelFile: ReturnType<typeof vi.fn> }

  it('show each file with a picture of it, its name, its size and its progress', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:http://localhost/thumb')
    const client = fakeClient({ f1: new Blob([new Uint8Array(10)], { type: 'image/jpeg' }), f2: new Blob(['%PDF'], { type: 'application/pdf' }) })
    const { root } = inShadow(<Outgoing client={client} strings={strings} locale="en" message={unsent([photoFile, pdfFile])} />)
    const [photo, doc] = [...root.querySelectorAll('[data-testid="outgoing-file"]')]
    await vi.waitFor(() => expect(photo!.querySelector('img.thumb')?.getAttribute('src')).toBe('blob:http://localhost/thumb'))
    expect(created).toHaveBeenCalledTimes(1)
    expect(photo!.querySelector('img.thumb')!.getAttribute('alt')).toBe('')
    expect(photo!.querySelector('.name')!.textContent).toBe('dent.jpg')
    expect(photo!.querySelector('.meta')!.textContent).toMatch(/^200\s*kB$/)
    const progress = photo!.querySelector('progress')!
    expect([progress.getAttribute('value'), progress.getAttribute('max'), progress.getAttribute('aria-label')]).toEqual(['50000', '200000', 'Uploading dent.jpg'])
    await vi.waitFor(() => expect(doc!.querySelector('.thumb')!.textContent).toBe('PDF'))
  })

  it('let go of the picture’s object URL when they leave the screen', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:http://localhost/thumb')
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const client = fakeClient({ f1: new Blob([new Uint8Array(10)], { type: 'image/jpeg' }) })
    const { root, unmount } = inShadow(<Outgoing client={client} strings={strings} locale="en" message={unsent([photoFile])} />)
    await vi.waitFor(() => expect(root.querySelector('img.thumb')).not.toBeNull())
    unmount()
    // Preact 11 runs an unmounted component's effect cleanups after the render, not in it.
    await vi.waitFor(() => expect(revoked).toHaveBeenCalledWith('blob:http://localhost/thumb'))
  })

  it('cancel one file with its Cancel button', () => {
    const client = fakeClient()
    const { root } = inShadow(<Outgoing client={client} strings={strings} locale="en" message={unsent([photoFile, pdfFile])} />)
    const cancel = root.querySelectorAll<HTMLButtonElement>('[data-testid="cancel-file"]')[1]!
    expect([cancel.textContent, cancel.getAttribute('aria-label')]).toEqual(['Cancel', 'Cancel estimate.pdf'])
    cancel.click()
    expect(client.cancelFile).toHaveBeenCalledWith('c-1', 'f2')
  })

  it('show neither progress nor Cancel once uploaded, or once the message failed', () => {
    const client = fakeClient()
    const { root } = inShadow(
      <>
        <Outgoing client={client} strings={strings} locale="en" message={unsent([{ ...pdfFile, url: 'https://files.example/f2' }])} />
        <Outgoing client={client} strings={strings} locale="en" message={unsent([photoFile], { status: 'failed' })} />
      </>
    )
    expect(root.querySelector('progress, [data-testid="cancel-file"]')).toBeNull()
  })
})

describe('a message with files that failed', () => {
  const client = createClient({ transport: createMemoryTransport(), resumeKeyStore: null })
  const item = (message: ChatMessage) =>
    inShadow(<MessageItem client={client} strings={strings} locale="en" timers={globalThis} loadMedia={loadMedia} message={message} replies={false} hit={false} quiet />).root

  it('offers Retry and Discard', async () => {
    const root = item(unsent([pdfFile], { status: 'failed', error: 'The network failed' }))
    expect(root.querySelector('[data-testid="retry"]')).not.toBeNull()
    expect(root.querySelector('[data-testid="discard"]')).not.toBeNull()
  })

  it('offers no Retry when the backend refused it for good, and says why', async () => {
    const root = item(unsent([pdfFile], { status: 'failed', refused: true, error: '"estimate.pdf" is too large' }))
    expect(root.querySelector('[data-testid="retry"]')).toBeNull()
    expect(root.querySelector('[data-testid="discard"]')).not.toBeNull()
    expect(root.querySelector('.msg>.meta')!.textContent).toBe('Not sent: "estimate.pdf" is too large · Discard')
  })

  it('shows no empty bubble when the files went without a caption', () => {
    const root = item(unsent([pdfFile], { status: 'failed', text: '' }))
    expect(root.querySelector('.bubble')).toBeNull()
  })

  it('shows its files in their own bubble once their code has loaded', async () => {
    const root = item(unsent([pdfFile], { status: 'failed' }))
    await vi.waitFor(() => expect(root.querySelector('[data-testid="outgoing"]')).not.toBeNull())
  })
})

describe('attaching files in the composer', () => {
  /**
   * A conversation on a backend that takes uploads, with the attach button shown. happy-dom decodes
   * no image: photos go unmeasured, as in a browser without `createImageBitmap`.
   */
  async function composing(limits?: UploadLimits) {
    vi.stubGlobal('createImageBitmap', undefined)
    const view = await conversation(uploading(limits))
    await vi.waitFor(() => expect(view.find('attach')).not.toBeNull())
    return view
  }

  /** Choose `files` with the file picker. */
  const choose = (view: Awaited<ReturnType<typeof composing>>, files: File[]) => {
    const input = view.find<HTMLInputElement>('file-input')!
    Object.defineProperty(input, 'files', { value: files, configurable: true })
    input.dispatchEvent(new Event('change', { bubbles: true }))
  }

  /**
   * A drag event carrying `files`, as browsers report one: happy-dom's `DataTransfer` lists the
   * files' types where browsers list `Files`.
   */
  const dragged = (type: string, files: File[]) =>
    Object.assign(new Event(type, { bubbles: true, cancelable: true }), { dataTransfer: { types: ['Files'], files } })

  const shot = () => new File([new Uint8Array(500)], 'screenshot.png', { type: 'image/png' })
  const report = () => new File(['%PDF-1.7'], 'report.pdf', { type: 'application/pdf' })

  it('is offered by a labelled button where the transport takes uploads', async () => {
    const view = await composing()
    const attach = view.find('attach')!
    expect([attach.tagName, attach.getAttribute('aria-label')]).toEqual(['BUTTON', 'Attach files'])
    expect(view.find('file-input')!.getAttribute('accept')).toBe('image/*,application/pdf')
    expect(view.find<HTMLInputElement>('file-input')!.multiple).toBe(true)
  })

  it('keeps the place of the attach button while its code loads', async () => {
    const view = await conversation(uploading())
    expect(view.root.querySelector('.composer>.attach')).not.toBeNull()
  })

  it('is not offered where the transport takes no uploads', async () => {
    const view = await conversation(uploading(false))
    expect(view.root.querySelector('.attach')).toBeNull()
  })

  it('is not offered until the session says what it accepts', async () => {
    const view = await conversation(uploading(null))
    expect(view.root.querySelector('.attach')).toBeNull()
  })

  it('opens the file picker from the button', async () => {
    const view = await composing()
    const input = view.find<HTMLInputElement>('file-input')!
    const opened = vi.spyOn(input, 'click').mockImplementation(() => undefined)
    view.find('attach')!.click()
    expect(opened).toHaveBeenCalled()
  })

  it('shows the chosen files before sending, each with its name, size and a remove button', async () => {
    const view = await composing()
    choose(view, [shot(), report()])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(2))
    const [first, second] = view.findAll('preview')
    expect(view.find('previews')!.getAttribute('aria-label')).toBe('Files to send')
    expect(first!.querySelector('.name')!.textContent).toBe('screenshot.png')
    expect(first!.querySelector('.meta')!.textContent).toMatch(/^500\s*byte/)
    expect(second!.querySelector('[data-testid="remove"]')!.getAttribute('aria-label')).toBe('Remove report.pdf')
  })

  it('shows a file named with 10,000 characters shortened, its whole name in its title', async () => {
    const view = await composing()
    const name = `${'b'.repeat(10_000)}\u202E.pdf`
    choose(view, [new File(['%PDF'], name, { type: 'application/pdf' })])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    const shown = view.find('preview')!.querySelector('.name')!
    expect(shown.textContent).toMatch(/^b{32}…bbb\.pdf$/)
    expect(shown.getAttribute('title')).toBe(`${'b'.repeat(10_000)}.pdf`)
  })

  it('removes a file from the message, and gives focus back to the field', async () => {
    const view = await composing()
    choose(view, [shot(), report()])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(2))
    view.findAll('preview')[0]!.querySelector<HTMLButtonElement>('[data-testid="remove"]')!.click()
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    expect(view.findAll('preview')[0]!.querySelector('.name')!.textContent).toBe('report.pdf')
    expect(view.root.activeElement).toBe(view.composer)
  })

  it('sends several files in one message, with the text as their caption', async () => {
    const view = await composing()
    const send = vi.spyOn(view.client, 'send').mockResolvedValue({} as ChatMessage)
    choose(view, [shot(), report()])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(2))
    view.composer.value = 'Here they are'
    press(view.composer, 'Enter')
    expect(send).toHaveBeenCalledTimes(1)
    const [content] = send.mock.calls[0]! as unknown as [{ text: string; files: { name: string }[] }]
    expect(content.text).toBe('Here they are')
    expect(content.files.map((file) => file.name)).toEqual(['screenshot.png', 'report.pdf'])
    await vi.waitFor(() => expect(view.find('previews')).toBeNull())
    expect(view.composer.value).toBe('')
  })

  it('waits for files being prepared: Enter sends nothing meanwhile, and says why', async () => {
    const view = await composing()
    let fail!: (error: Error) => void
    vi.stubGlobal('createImageBitmap', () => new Promise((_, reject) => (fail = reject)))
    const send = vi.spyOn(view.client, 'send')
    choose(view, [new File([new Uint8Array(9)], 'big.jpg', { type: 'image/jpeg' })])
    await vi.waitFor(() => expect(view.find('preparing')?.textContent).toBe('Preparing files…'))
    expect(view.find('preparing')!.closest('[role="status"]')).not.toBeNull()
    view.composer.value = 'Look'
    press(view.composer, 'Enter')
    expect(send).not.toHaveBeenCalled()
    expect(view.composer.value).toBe('Look')
    expect(view.find<HTMLButtonElement>('send')!.disabled).toBe(true)
    fail(new Error('not an image'))
    await vi.waitFor(() => expect(view.find('preparing')).toBeNull())
    expect(view.find<HTMLButtonElement>('send')!.disabled).toBe(false)
  })

  it('sends the files: the message shows them uploading, then as its parts once sent', async () => {
    // Each file's bytes wait, three of them sent, until released.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const rich = uploading()
    const held = {
      ...rich,
      transport: () => {
        const transport = rich.transport()
        return {
          ...transport,
          putUpload: async (...[slot, file, options]: Parameters<NonNullable<typeof transport.putUpload>>) => {
            options?.onProgress?.(3)
            await gate
            return transport.putUpload!(slot, file, options)
          }
        }
      }
    }
    const view = await conversation(held)
    await vi.waitFor(() => expect(view.find('attach')).not.toBeNull())
    choose(view, [report()])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    view.composer.value = 'The report'
    press(view.composer, 'Enter')
    const mine = () => view.findAll('message').find((m) => m.textContent!.includes('The report'))!
    await vi.waitFor(() => expect(mine()?.querySelector('progress')?.getAttribute('value')).toBe('3'))
    expect(mine().querySelector('[data-testid="outgoing"] .name')!.textContent).toBe('report.pdf')
    expect(mine().querySelector('[data-testid="cancel-file"]')).not.toBeNull()
    release()
    await vi.waitFor(() => expect(mine().getAttribute('data-status')).toBe('sent'))
    expect(mine().querySelector('[data-testid="file"] .name')!.textContent).toBe('report.pdf')
    expect(mine().querySelector('.bubble')!.textContent).toBe('The report')
    expect(mine().querySelector('[data-testid="outgoing"]')).toBeNull()
  })

  it('shows why a file was refused, keeping the others and the draft', async () => {
    const view = await composing({ maxBytes: 100, types: [] })
    view.composer.value = 'My draft'
    choose(view, [shot(), new File(['tiny'], 'note.txt', { type: 'text/plain' })])
    await vi.waitFor(() => expect(view.find('composer-error')).not.toBeNull())
    expect(view.find('composer-error')!.textContent).toBe('"screenshot.png" is larger than 100 bytes')
    expect(view.find('composer-error')!.getAttribute('role')).toBe('alert')
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    expect(view.composer.value).toBe('My draft')
  })

  it('gives the draft back, files and all, when the send is refused, and says why', async () => {
    const view = await composing()
    vi.spyOn(view.client, 'send').mockRejectedValue(Object.assign(new Error('"report.pdf" is not a type accepted here: image/*.'), { code: 'invalid-argument' }))
    choose(view, [report()])
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    view.composer.value = 'See attached'
    press(view.composer, 'Enter')
    await vi.waitFor(() => expect(view.find('composer-error')?.textContent).toBe('"report.pdf" is not a type accepted here: image/*.'))
    expect(view.composer.value).toBe('See attached')
    expect(view.findAll('preview')).toHaveLength(1)
  })

  it('attaches an image pasted alone, and leaves pasted text to the field', async () => {
    const view = await composing()
    const image = new DataTransfer()
    image.items.add(shot())
    const pasted = new ClipboardEvent('paste', { clipboardData: image, bubbles: true, cancelable: true })
    expect(view.composer.dispatchEvent(pasted)).toBe(false)
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
    const text = new DataTransfer()
    text.setData('text/plain', 'Hello')
    text.items.add(shot())
    expect(view.composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: text, bubbles: true, cancelable: true }))).toBe(true)
  })

  it('shows a drop zone while files are dragged over the pane, and attaches what is dropped', async () => {
    const view = await composing()
    const drag = (type: string, target: Element) => target.dispatchEvent(dragged(type, [report()]))
    drag('dragenter', view.find('composer')!)
    await vi.waitFor(() => expect(view.find('drop-zone')).not.toBeNull())
    expect(view.find('drop-zone')!.textContent).toBe('Drop files to attach them')
    expect(drag('dragover', view.find('drop-zone')!)).toBe(false)
    expect(drag('drop', view.find('drop-zone')!)).toBe(false)
    await vi.waitFor(() => expect(view.find('drop-zone')).toBeNull())
    await vi.waitFor(() => expect(view.findAll('preview')).toHaveLength(1))
  })

  it('hides the drop zone when the files leave', async () => {
    const view = await composing()
    view.find('composer')!.dispatchEvent(dragged('dragenter', [report()]))
    await vi.waitFor(() => expect(view.find('drop-zone')).not.toBeNull())
    view.find('drop-zone')!.dispatchEvent(new Event('dragleave', { bubbles: true }))
    await vi.waitFor(() => expect(view.find('drop-zone')).toBeNull())
  })

  it('shows no drop zone for text dragged over the pane', async () => {
    const view = await composing()
    view.find('composer')!.dispatchEvent(Object.assign(new Event('dragenter', { bubbles: true }), { dataTransfer: { types: ['text/plain'], files: [] } }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(view.find('drop-zone')).toBeNull()
  })
})
