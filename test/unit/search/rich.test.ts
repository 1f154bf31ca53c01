import { describe, expect, it } from 'vitest'
import { plainText, searchableText } from '../../../src/content/plain.js'
import { createSearchIndex, snippet } from '../../../src/search/index.js'
import { found, highlighted, indexOf, message } from './helpers.js'

const boots = message('Have a look at these', {
  parts: [
    {
      type: 'cards',
      layout: 'carousel',
      items: [
        { title: 'Trail boots', description: 'Waterproof leather', actions: [{ type: 'link', id: 'shop', label: 'Open the shop', url: 'https://shop.example/boots' }] },
        { title: 'City sandals' }
      ]
    }
  ],
  replies: [{ type: 'reply', id: 'later', label: 'Maybe tomorrow' }],
  actions: [{ type: 'host', id: 'buy', label: 'Checkout now', name: 'buy' }]
})
const answers = message('Order number: A-77\nTopics: Billing, Delivery', {
  parts: [
    {
      type: 'form-response',
      fields: [
        { name: 'colour', label: 'Colour', value: 'burgundy' },
        { name: 'topics', label: 'Topics', value: ['billing', 'returns'] }
      ]
    }
  ]
})
const attachments = message('Files for you', {
  parts: [
    { type: 'file', url: 'https://cdn.example/a.pdf', name: 'Warranty terms.pdf' },
    { type: 'image', url: 'https://cdn.example/b.png', alt: 'Scratched lid' },
    { type: 'location', latitude: 45.76, longitude: 4.83, name: 'Lyon depot', address: 'Rue Garibaldi' }
  ]
})
const rating = message('★★★★☆ 4 out of 5\nFriendly courier', { parts: [{ type: 'rating-response', score: 4, comment: 'Friendly courier' }] })
const marked = message('Your **order** is _shipped_: read [the tracking guide](https://docs.example/track?id=42) or see `status`')

describe('searching rich messages', () => {
  const index = () => indexOf([boots, answers, attachments, rating, marked])

  it.each([
    ['a card title', 'sandals', boots],
    ['a card description', 'waterproof', boots],
    ["a card button's label", 'open shop', boots],
    ["a quick reply's label", 'tomorrow', boots],
    ["a button's label", 'checkout', boots],
    ['a form answer', 'burgundy', answers],
    ["a multiselect answer's value", 'returns', answers],
    ['a file name', 'warranty terms', attachments],
    ["an image's alt text", 'scratched', attachments],
    ["a location's name and address", 'garibaldi lyon', attachments],
    ["a rating's comment", 'courier', rating],
    ["a link's label", 'tracking guide', marked]
  ])('finds %s', (_what, query, expected) => {
    expect(index().search(query).map((hit) => hit.message)).toEqual([expected])
  })

  it('does not match link targets or markup', () => {
    for (const query of ['docs', 'https', 'id 42', '"**"', 'shop.example', '"docs.example/track"']) expect(found(index(), query)).toEqual([])
  })

  it('stores no term of markup or link targets', () => {
    const { terms } = index().export()
    for (const term of ['https', 'docs', 'example', '42']) expect(terms).not.toContain(term)
    expect(terms).toContain('tracking')
  })

  it('finds a bare URL, which is what the person reads', () => {
    const link = message('Track it at https://parcel.example/42')
    expect(indexOf([link]).search('parcel')[0]?.message).toBe(link)
  })

  it('marks the words in plain text, which snippets are cut from', () => {
    const [hit] = index().search('shipped')
    expect(hit!.text).toBe('Your order is shipped: read the tracking guide or see status')
    expect(highlighted(index(), 'shipped')).toEqual(['shipped'])
    const cut = snippet(hit!.text, hit!.ranges)
    expect(cut.text).not.toMatch(/[*_`[\]()]|https/)
    expect(cut.text.slice(...cut.ranges[0]!)).toBe('shipped')
  })

  it('marks words of a card in the text after the message’s own', () => {
    const [hit] = index().search('sandals')
    expect(hit!.text.split('\n')).toEqual(['Have a look at these', 'Checkout now', 'Maybe tomorrow', 'Trail boots', 'Waterproof leather', 'Open the shop', 'City sandals'])
    expect(highlighted(index(), 'sandals')).toEqual(['sandals'])
  })

  it('indexes a message again when only its parts changed', () => {
    const search = indexOf([boots])
    search.add([{ ...boots, parts: [{ type: 'cards', layout: 'list', items: [{ title: 'Wool slippers' }] }] }])
    expect(found(search, 'sandals')).toEqual([])
    expect(found(search, 'slippers')).toEqual(['Have a look at these'])
    expect(search.size).toBe(1)
  })

  it('forgets the words of a removed rich message', () => {
    const search = index()
    search.remove([boots])
    expect(found(search, 'sandals')).toEqual([])
    expect(search.export().terms).not.toContain('sandals')
  })

  it('restores an exported index of rich messages that answers as the original', () => {
    const restored = createSearchIndex()
    expect(restored.import(JSON.parse(JSON.stringify(index().export())))).toBe(true)
    for (const query of ['sandals', 'burgundy', 'courier', 'tracking', 'https']) expect(restored.search(query)).toEqual(index().search(query))
  })

  it('names the text it reads of any message', () => {
    expect(createSearchIndex().textOf(marked)).toBe(searchableText(marked))
  })
})

describe('plain text of markdown', () => {
  it.each([
    'Plain words only',
    '  padded  ',
    '1. first',
    ' 12) twelfth',
    '- bullet',
    '+ plus',
    '#tag and # heading',
    '# heading',
    '   ## heading',
    'Order #1234 shipped',
    'snake_case_name',
    'a\\*b',
    'tilde ~~gone~~',
    '> quoted',
    'dash - in the middle',
    '3.5 kg',
    'line\r- item',
    'para\u2028> quote',
    'café 🎉 ご注文'
  ])('reads %j the same whether or not it could skip the rules', (text) => {
    // A line break at the end forces every rule to run and changes nothing else.
    expect(plainText(text)).toBe(plainText(`${text}\n`))
  })
})
