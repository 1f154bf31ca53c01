import { describe, expect, it } from 'vitest'
import { createSearchIndex } from '../../../src/search/index.js'
import { found, highlighted, indexOf, message } from './helpers.js'

describe('matching', () => {
  it('finds an accented word typed without its accent', () => {
    expect(found(indexOf([message('Un Café, merci')]), 'cafe')).toEqual(['Un Café, merci'])
  })

  it('finds a word typed in capitals with its accent', () => {
    expect(found(indexOf([message('Un café, merci')]), 'CAFÉ')).toEqual(['Un café, merci'])
  })

  it('finds a word by the letters typed so far', () => {
    expect(found(indexOf([message('Your delivery is late')]), 'deliv')).toEqual(['Your delivery is late'])
  })

  it('stops completing the last word once a space follows it', () => {
    expect(found(indexOf([message('Your delivery is late')]), 'deliv ')).toEqual([])
  })

  it('completes only the last word', () => {
    expect(found(indexOf([message('Your delivery is late')]), 'deliv late')).toEqual([])
  })

  it('needs every word of the query', () => {
    const index = indexOf([message('refund to my card'), message('refund by bank transfer'), message('card declined')])
    expect(found(index, 'refund card')).toEqual(['refund to my card'])
  })

  it('matches a quoted phrase only with its words in that order, side by side', () => {
    const index = indexOf([message('Your order shipped today'), message('I shipped the order back'), message('shipped order')])
    expect(found(index, '"order shipped"')).toEqual(['Your order shipped today'])
  })

  it('matches a phrase across punctuation', () => {
    expect(found(indexOf([message('The order... shipped!')]), '"order shipped"')).toHaveLength(1)
  })

  it('finds Japanese words inside a sentence without spaces', () => {
    expect(found(indexOf([message('ご注文の配送は明日です')]), '配送')).toEqual(['ご注文の配送は明日です'])
  })

  it('finds any run of Japanese characters, not only dictionary words', () => {
    const index = indexOf([message('ご注文の配送は明日です')])
    expect(found(index, '送は明')).toHaveLength(1)
    expect(found(index, '明')).toHaveLength(1)
    expect(found(index, '明後日')).toEqual([])
  })

  it('finds words and Japanese without Intl.Segmenter', () => {
    const index = indexOf([message('Delivery: ご注文の配送は明日です')], { segmenter: undefined })
    expect(found(index, 'deliv')).toHaveLength(1)
    expect(found(index, '配送')).toHaveLength(1)
  })

  it('finds a Thai word inside a sentence without spaces', () => {
    expect(found(indexOf([message('สวัสดีครับ')]), 'ครับ')).toHaveLength(1)
  })

  it('finds a word glued to emoji and punctuation', () => {
    expect(found(indexOf([message('🎉great!!')]), 'great')).toEqual(['🎉great!!'])
  })

  it('finds nothing for a query of emoji only', () => {
    expect(found(indexOf([message('🎉 party')]), '🎉')).toEqual([])
  })

  it('keeps to one conversation when asked', () => {
    const index = indexOf([message('refund', { conversationId: 'a' }), message('refund', { conversationId: 'b' })])
    expect(index.search('refund', { conversationId: 'b' }).map((hit) => hit.message.conversationId)).toEqual(['b'])
  })

  it('returns at most the limit', () => {
    const index = indexOf(Array.from({ length: 30 }, () => message('refund please')))
    expect(index.search('refund')).toHaveLength(20)
    expect(index.search('refund', { limit: 3 })).toHaveLength(3)
  })
})

describe('ranking', () => {
  it('ranks a message that repeats the word above one that mentions it once', () => {
    const index = indexOf([message('a refund for the order I placed'), message('refund refund refund please'), message('no match')])
    expect(found(index, 'refund ')[0]).toBe('refund refund refund please')
  })

  it('weighs a rare word more than a common one', () => {
    const index = indexOf([message('order warranty'), ...Array.from({ length: 20 }, () => message('order status'))])
    const rare = index.search('warranty ')[0]!
    const common = index.search('order ', { limit: 50 }).find((hit) => hit.message.text === 'order warranty')!
    expect(rare.score).toBeGreaterThan(common.score)
  })

  it('ranks the whole word above a longer word that starts with it', () => {
    const index = indexOf([message('carton arrived', { createdAt: 2 }), message('car arrived', { createdAt: 1 })])
    expect(found(index, 'car')).toEqual(['car arrived', 'carton arrived'])
  })

  it('puts the newer message first when relevance is equal', () => {
    const index = indexOf([message('refund sent', { createdAt: 100 }), message('refund sent', { createdAt: 300, id: 'newer' }), message('refund sent', { createdAt: 200 })])
    expect(index.search('refund').map((hit) => hit.message.createdAt)).toEqual([300, 200, 100])
  })
})

describe('highlighting', () => {
  it('points at the matched word in the original text', () => {
    expect(highlighted(indexOf([message('Where is my delivery?')]), 'delivery')).toEqual(['delivery'])
  })

  it('points at the accented original, not the folded form', () => {
    expect(highlighted(indexOf([message('Voilà: Crème brûlée')]), 'creme brulee')).toEqual(['Crème', 'brûlée'])
  })

  it('points at the right characters when decomposed accents change the length', () => {
    expect(highlighted(indexOf([message('cafe\u0301 and cre\u0300me')]), 'creme')).toEqual(['cre\u0300me'])
  })

  it('points at the right characters after emoji', () => {
    expect(highlighted(indexOf([message('👋🏽🎉 thanks, the refund arrived')]), 'refund')).toEqual(['refund'])
  })

  it('lights up the whole word a prefix matched', () => {
    expect(highlighted(indexOf([message('Your delivery is late')]), 'deli')).toEqual(['delivery'])
  })

  it('lights up a phrase as one range', () => {
    expect(highlighted(indexOf([message('so the order shipped, order again')]), '"order shipped"')).toEqual(['order shipped'])
  })

  it('lights up a phrase far into a long message', () => {
    const text = `${'order '.repeat(2000)}order shipped`
    expect(highlighted(indexOf([message(text)]), '"order shipped"')).toEqual(['order shipped'])
  })

  it('lights up Japanese matches character for character', () => {
    expect(highlighted(indexOf([message('ご注文の配送は明日です')]), '配送')).toEqual(['配送'])
  })
})

describe('changes', () => {
  it('re-indexes an edited message and forgets its old words', () => {
    const original = message('the parcel is lost')
    const index = indexOf([original])
    index.update({ ...original, text: 'the parcel was found' })
    expect(found(index, 'lost')).toEqual([])
    expect(found(index, 'found')).toEqual(['the parcel was found'])
    expect(index.size).toBe(1)
  })

  it('treats adding a message again as an edit', () => {
    const original = message('first draft')
    const index = indexOf([original])
    index.add([{ ...original, text: 'final text' }])
    expect(found(index, 'draft')).toEqual([])
    expect(found(index, 'final')).toEqual(['final text'])
  })

  it('keeps messages with the same id in different conversations apart', () => {
    const index = indexOf([message('hello there', { id: '1', conversationId: 'a' }), message('hello again', { id: '1', conversationId: 'b' })])
    expect(index.size).toBe(2)
    index.remove([{ id: '1', conversationId: 'a' }])
    expect(found(index, 'hello')).toEqual(['hello again'])
  })

  it('keeps the word list right when a message is edited twice in one batch', () => {
    const original = message('zeta')
    const index = indexOf([original])
    index.add([{ ...original, text: 'alpha' }, { ...original, text: 'zeta omega' }])
    expect(found(index, 'alp')).toEqual([])
    expect(found(index, 'ze')).toEqual(['zeta omega'])
    expect(found(index, 'om')).toEqual(['zeta omega'])
  })

  it('removes messages by id', () => {
    const gone = message('refund requested')
    const index = indexOf([gone, message('refund sent')])
    index.remove([gone.id])
    expect(found(index, 'refund')).toEqual(['refund sent'])
    expect(index.size).toBe(1)
  })

  it('forgets a word no message holds any more, also as a prefix', () => {
    const gone = message('zeppelin')
    const index = indexOf([gone, message('zebra')])
    index.remove([gone])
    expect(found(index, 'zep')).toEqual([])
    expect(found(index, 'ze')).toEqual(['zebra'])
  })

  it('clears everything', () => {
    const index = indexOf([message('refund')])
    index.clear()
    expect(index.size).toBe(0)
    expect(found(index, 'refund')).toEqual([])
    index.add([message('refund again')])
    expect(found(index, 'refund')).toEqual(['refund again'])
  })
})

describe('export and import', () => {
  const corpus = () => [
    message('Your order shipped today 📦', { createdAt: 10 }),
    message('Un café crème, s’il vous plaît', { createdAt: 20 }),
    message('ご注文の配送は明日です', { createdAt: 30 }),
    message('refund refund, order again', { createdAt: 40 }),
    message('Die Rückerstattung über 20 € wurde überwiesen', { createdAt: 50 })
  ]
  const queries = ['order', 'ord', '"order shipped"', 'cafe creme', '配送', 'ruckerstattung', 'refund order ', 'nothing']

  it('restores an index that answers exactly like the original', () => {
    const original = indexOf(corpus())
    original.remove([original.search('crème')[0]!.message])
    const restored = createSearchIndex()
    expect(restored.import(JSON.parse(JSON.stringify(original.export())))).toBe(true)
    expect(restored.size).toBe(original.size)
    for (const query of queries) expect(restored.search(query)).toEqual(original.search(query))
  })

  it('keeps phrase positions in messages longer than a thousand words', () => {
    const long = message(`${'word '.repeat(1100)}order shipped`)
    const original = indexOf([long])
    const restored = createSearchIndex()
    restored.import(JSON.parse(JSON.stringify(original.export())))
    expect(restored.search('"word order"')).toEqual(original.search('"word order"'))
    expect(restored.export()).toEqual(original.export())
  })

  it('goes on indexing after an import', () => {
    const restored = createSearchIndex()
    restored.import(indexOf(corpus()).export())
    restored.add([message('order lost')])
    expect(found(restored, 'order ')).toHaveLength(3)
  })

  it('refuses data of another format version, such as an index of raw text (version 1)', () => {
    const index = indexOf([message('kept')])
    expect(index.import({ v: 1, terms: ['kept'], docs: [message('stale')], tokens: [[0]] } as never)).toBe(false)
    expect(index.import({ v: 3 } as never)).toBe(false)
    expect(found(index, 'kept')).toEqual(['kept'])
  })
})
