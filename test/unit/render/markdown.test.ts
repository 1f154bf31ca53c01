import { describe, expect, it } from 'vitest'
import { MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH, parseInline, parseMarkdown, type Block, type Inline } from '../../../src/render/markdown.js'
import { safeUrl } from '../../../src/render/url.js'

const p = (...children: Inline[]): Block => ({ type: 'p', children })
const link = (href: string, ...children: Inline[]): Inline => ({ type: 'a', href, children })

/** How deep inline elements nest in `nodes`. */
const inlineDepth = (nodes: Inline[]): number =>
  Math.max(0, ...nodes.map((node) => (typeof node === 'object' && 'children' in node ? 1 + inlineDepth(node.children) : 0)))

/** How deep blocks nest in `blocks`, with the inline depth of the deepest paragraph. */
const blockDepth = (blocks: Block[]): number =>
  Math.max(
    0,
    ...blocks.map((block) =>
      block.type === 'blockquote' ? 1 + blockDepth(block.children) : block.type === 'ul' || block.type === 'ol' ? 1 + Math.max(...block.items.map(blockDepth)) : 0
    )
  )

/** Everything a person reads in the blocks, in order. */
const words = (blocks: Block[]): string => {
  const inline = (nodes: Inline[]): string =>
    nodes.map((node) => (typeof node === 'string' ? node : 'children' in node ? inline(node.children) : 'text' in node ? node.text : '\n')).join('')
  return blocks
    .map((block) =>
      block.type === 'p' ? inline(block.children) : block.type === 'pre' ? block.text : block.type === 'blockquote' ? words(block.children) : block.items.map(words).join('\n')
    )
    .join('\n')
}

describe('inline markdown', () => {
  it('reads bold, italic, strikethrough and code', () => {
    expect(parseInline('**b** *i* _j_ __c__ ~~s~~ `x`')).toEqual([
      { type: 'strong', children: ['b'] },
      ' ',
      { type: 'em', children: ['i'] },
      ' ',
      { type: 'em', children: ['j'] },
      ' ',
      { type: 'strong', children: ['c'] },
      ' ',
      { type: 's', children: ['s'] },
      ' ',
      { type: 'code', text: 'x' }
    ])
  })

  it('nests a strong inside an em from one run of three', () => {
    expect(parseInline('***both***')).toEqual([{ type: 'em', children: [{ type: 'strong', children: ['both'] }] }])
  })

  it('leaves underscores inside words alone', () => {
    expect(parseInline('snake_case_name and 2*3*4')).toEqual(['snake_case_name and 2', { type: 'em', children: ['3'] }, '4'])
  })

  it('keeps marks that close nothing as text', () => {
    expect(parseInline('a * b ** c ~d~ ~~~e~~~')).toEqual(['a * b ** c ~d~ ~~~e~~~'])
  })

  it('keeps everything inside code as typed', () => {
    expect(parseInline('`**not bold** <b>`')).toEqual([{ type: 'code', text: '**not bold** <b>' }])
    expect(parseInline('`` a ` b ``')).toEqual([{ type: 'code', text: 'a ` b' }])
  })

  it('undoes backslash escapes', () => {
    expect(parseInline('\\*not italic\\* \\[x\\]')).toEqual(['*not italic* [x]'])
  })

  it('makes each new line a line break', () => {
    expect(parseInline('one\ntwo')).toEqual(['one', { type: 'br' }, 'two'])
  })

  it('reads links with allowed schemes', () => {
    expect(parseInline('[docs](https://example.com/a_(b)) [mail](mailto:a@example.com) [call](tel:+331234)')).toEqual([
      link('https://example.com/a_(b)', 'docs'),
      ' ',
      link('mailto:a@example.com', 'mail'),
      ' ',
      link('tel:+331234', 'call')
    ])
  })

  it('shows a link of any other scheme, or relative, as the text it is', () => {
    for (const text of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html,<script>alert(1)</script>)', '[x](/relative)', '[x](vbscript:msgbox)']) {
      expect(parseInline(text)).toEqual([text])
    }
  })

  it('reads an image as a link to it, named by its alt text', () => {
    expect(parseInline('![a cat](https://img.example/cat.png)')).toEqual([link('https://img.example/cat.png', 'a cat')])
  })

  it('links bare URLs, without the punctuation that ends the sentence', () => {
    expect(parseInline('See https://example.com/a_b. Or (www.example.org), http://x.example/q?a=1!')).toEqual([
      'See ',
      link('https://example.com/a_b', 'https://example.com/a_b'),
      '. Or (',
      link('https://www.example.org/', 'www.example.org'),
      '), ',
      link('http://x.example/q?a=1', 'http://x.example/q?a=1'),
      '!'
    ])
  })

  it('does not link a URL inside a word, nor a scheme alone', () => {
    expect(parseInline('xhttps://a.example https:// www.')).toEqual(['xhttps://a.example https:// www.'])
  })

  it('keeps emphasis around a bare URL outside of it', () => {
    expect(parseInline('*https://a.example/x*')).toEqual([{ type: 'em', children: [link('https://a.example/x', 'https://a.example/x')] }])
  })

  it('makes a markdown link whose label is a URL one link', () => {
    expect(parseInline('[https://a.example](https://b.example)')).toEqual([link('https://b.example/', 'https://a.example')])
  })

  it('does not nest links', () => {
    expect(parseInline('[a [b](https://b.example) c](https://a.example)')).toEqual([
      '[a ',
      link('https://b.example/', 'b'),
      ' c](',
      link('https://a.example/', 'https://a.example'),
      ')'
    ])
  })

  it('shows HTML as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)> <script>alert(1)</script>')).toEqual(['<img src=x onerror=alert(1)> <script>alert(1)</script>'])
  })
})

describe('block markdown', () => {
  it('separates paragraphs by a blank line', () => {
    expect(parseMarkdown('one\n\ntwo')).toEqual([p('one'), p('two')])
  })

  it('reads bullet and numbered lists, nested by indenting', () => {
    expect(parseMarkdown('- a\n- b\n  - c\n\n3. x\n4. y')).toEqual([
      { type: 'ul', start: 1, marker: '-', items: [[p('a')], [p('b'), { type: 'ul', start: 1, marker: '-', items: [[p('c')]] }]] },
      { type: 'ol', start: 3, marker: '.', items: [[p('x')], [p('y')]] }
    ])
  })

  it('ends a list at a line that is not indented, as chat is written', () => {
    expect(parseMarkdown('Pick one:\n- a\n- b\nThanks')).toEqual([
      p('Pick one:'),
      { type: 'ul', start: 1, marker: '-', items: [[p('a')], [p('b')]] },
      p('Thanks')
    ])
  })

  it('does not start a list at a number other than 1 inside a sentence', () => {
    expect(parseMarkdown('Call me at\n2. or later')).toEqual([p('Call me at', { type: 'br' }, '2. or later')])
  })

  it('reads quotes, nested, and ends them at a line without ">"', () => {
    expect(parseMarkdown('> a\n> > b\nc')).toEqual([{ type: 'blockquote', children: [p('a'), { type: 'blockquote', children: [p('b')] }] }, p('c')])
  })

  it('keeps a fenced code block as typed', () => {
    expect(parseMarkdown('```js\nlet a = **1**\n  <b>\n```\nafter')).toEqual([{ type: 'pre', text: 'let a = **1**\n  <b>' }, p('after')])
  })

  it('ends an unclosed code block with the message', () => {
    expect(parseMarkdown('~~~\ncode')).toEqual([{ type: 'pre', text: 'code' }])
  })

  it('reads a fence with backticks after it on the line as inline code', () => {
    expect(parseMarkdown('```code```')).toEqual([p({ type: 'code', text: 'code' })])
  })
})

describe('hostile markdown', () => {
  const hostile: Record<string, string> = {
    '10,000 nested brackets': '['.repeat(10_000) + 'x' + ']'.repeat(10_000),
    '10,000 link openers': '[a]('.repeat(10_000),
    '10,000 nested quotes': '>'.repeat(10_000) + ' x',
    '10,000 nested list markers': '- '.repeat(10_000) + 'x',
    '10,000 numbered list markers': '1. '.repeat(10_000) + 'x',
    '10,000 stars': '*'.repeat(10_000),
    '10,000 emphasis openers': '*a '.repeat(5_000) + 'b* '.repeat(5_000),
    '10,000 backticks apart': '`a'.repeat(10_000),
    '200 KB of text': 'Hello **there**, see https://example.com and `code`.\n'.repeat(4_000),
    '200 KB of one URL run': 'https://a.example/,'.repeat(11_000),
    'a staircase of indented lists': Array.from({ length: 500 }, (_, i) => `${' '.repeat(i * 2)}- level ${i}`).join('\n')
  }

  for (const [name, text] of Object.entries(hostile)) {
    it(`parses ${name} without throwing, nesting no deeper than the limits`, () => {
      const blocks = parseMarkdown(text)
      expect(blockDepth(blocks)).toBeLessThan(MAX_BLOCK_DEPTH)
      const paragraphs: Inline[][] = []
      const collect = (list: Block[]) =>
        list.forEach((b) => (b.type === 'p' ? paragraphs.push(b.children) : b.type === 'blockquote' ? collect(b.children) : b.type === 'pre' ? 0 : b.items.forEach(collect)))
      collect(blocks)
      for (const children of paragraphs) expect(inlineDepth(children)).toBeLessThanOrEqual(2 * MAX_INLINE_DEPTH)
    })
  }

  it('keeps the markers past the nesting limit as text', () => {
    const blocks = parseMarkdown('>'.repeat(20) + ' x')
    expect(blockDepth(blocks)).toBe(MAX_BLOCK_DEPTH - 1)
    expect(words(blocks)).toBe('>'.repeat(20 - (MAX_BLOCK_DEPTH - 1)) + ' x')
  })

  it('loses no character of unmatched brackets', () => {
    const text = '['.repeat(10_000) + 'x' + ']'.repeat(10_000)
    expect(words(parseMarkdown(text))).toBe(text)
  })
})

describe('safeUrl', () => {
  it('lets through http, https, mailto and tel links, as the browser reads them', () => {
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b')
    expect(safeUrl('mailto:a@example.com')).toBe('mailto:a@example.com')
    expect(safeUrl('tel:+331234')).toBe('tel:+331234')
  })

  it('refuses other schemes however they are spelt, and relative URLs', () => {
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'blob:https://a.example/1', '/path', '//evil.example']) {
      expect(safeUrl(url), url).toBeUndefined()
    }
  })

  it('lets only http and https be media', () => {
    expect(safeUrl('https://img.example/a.png', 'media')).toBe('https://img.example/a.png')
    expect(safeUrl('mailto:a@example.com', 'media')).toBeUndefined()
    expect(safeUrl('blob:https://a.example/1', 'media')).toBeUndefined()
  })

  it('lets an image part be a blob: URL, and nothing else be one', () => {
    expect(safeUrl('blob:https://a.example/1f0c', 'image')).toBe('blob:https://a.example/1f0c')
    expect(safeUrl('https://img.example/a.png', 'image')).toBe('https://img.example/a.png')
    for (const url of ['data:image/svg+xml,<svg/>', 'javascript:alert(1)', 'filesystem:https://a.example/x']) expect(safeUrl(url, 'image'), url).toBeUndefined()
    expect(safeUrl('blob:https://a.example/1f0c')).toBeUndefined()
  })
})
