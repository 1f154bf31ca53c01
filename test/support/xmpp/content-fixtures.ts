import type { MessageContent, VisitorContent } from '../../../src/transports/types.js'

/** Markup characters, an entity, a CDATA end, quotes, new lines and an emoji: what escaping must carry through unchanged. */
const TRICKY = `<b>&amp; ]]> "quoted" 'single'\n  two spaces 👩‍💻`

/**
 * What an agent or bot may send, using every part type agents send, quick replies of both kinds,
 * buttons of every kind, `blockComposer`, `replyTo` and `metadata` (valid by `checkContent`).
 */
export const AGENT_CONTENT: MessageContent = {
  text: `**Your order** ships today. ${TRICKY}\n- one\n- two\n\n> quoted [guide](https://example.com/guide?a=1&b=2)`,
  parts: [
    { type: 'image', url: 'https://cdn.example.com/parcel.png?size=2&x=<y>', alt: `A parcel ${TRICKY}`, width: 640, height: 480, mediaType: 'image/png', name: 'parcel.png', size: 12345 },
    { type: 'file', url: 'https://cdn.example.com/invoice.pdf', name: 'Invoice <2026>.pdf', size: 99, mediaType: 'application/pdf' },
    { type: 'location', latitude: 48.8584, longitude: -2.2945, name: 'Pick-up point', address: '5 Av. Anatole <France>, Paris' },
    {
      type: 'cards',
      layout: 'carousel',
      items: [
        {
          title: 'Pro plan',
          description: `Everything ${TRICKY}`,
          imageUrl: 'https://cdn.example.com/pro.png',
          imageAlt: 'Pro',
          actions: [
            { type: 'host', id: 'buy-pro', label: 'Buy for €25', name: 'buy', data: { amount: 2500, currency: 'EUR', nested: { list: [1, 'two', null, true] } } },
            { type: 'link', id: 'pro-docs', label: 'Details', url: 'https://example.com/pro?x=1&y=2' }
          ]
        },
        { title: 'Basic plan', actions: [{ type: 'postback', id: 'pick-basic', label: 'Pick', payload: 'PLAN_BASIC' }] }
      ]
    },
    {
      type: 'form',
      fields: [
        { name: 'order', label: 'Order number', type: 'text', required: true, placeholder: 'e.g. 1234', maxLength: 20 },
        { name: 'email', label: 'Email', type: 'email' },
        { name: 'count', label: 'How many?', type: 'number', min: 1, max: 9 },
        { name: 'size', label: 'Size', type: 'select', required: true, options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large <XL>' }] },
        { name: 'extras', label: 'Extras', type: 'multiselect', options: [{ value: 'wrap', label: 'Gift wrap' }, { value: 'card', label: 'Card' }] }
      ],
      submitLabel: 'Look it up'
    },
    { type: 'rating', question: 'How did we do?', comment: true }
  ],
  replies: [
    { type: 'reply', id: 'yes', label: 'Yes <please>' },
    { type: 'reply', id: 'no', label: 'No', payload: 'NO_THANKS' },
    { type: 'postback', id: 'human', label: 'Talk to a person', payload: 'HANDOFF' }
  ],
  actions: [
    { type: 'link', id: 'track', label: 'Track it', url: 'https://example.com/track/1' },
    { type: 'host', id: 'checkout', label: 'Checkout', name: 'checkout' },
    { type: 'postback', id: 'later', label: 'Later', payload: 'LATER' }
  ],
  blockComposer: true,
  replyTo: { messageId: 'earlier-1', actionId: 'pick' },
  metadata: { ticket: 'T-1', tags: ['vip', '<b>'], score: 0.5, open: true, none: null, deep: { a: { b: [1, { c: 'd' }] } } }
}

/** What a visitor may send, using every part type visitors send, `replyTo` and `metadata`. */
export const VISITOR_CONTENT: VisitorContent = {
  text: `Order number: 1234\nSize: Large <XL>\n${TRICKY}`,
  parts: [
    { type: 'image', url: 'https://cdn.example.com/photo.jpg', alt: 'Broken box', width: 10, height: 20 },
    { type: 'file', url: 'https://cdn.example.com/receipt.pdf', name: 'receipt.pdf' },
    { type: 'location', latitude: -33.8568, longitude: 151.2153 },
    {
      type: 'form-response',
      fields: [
        { name: 'order', label: 'Order number', value: '1234' },
        { name: 'size', label: 'Size', value: 'l' },
        { name: 'extras', label: 'Extras', value: ['wrap'] }
      ]
    },
    { type: 'rating-response', score: 4, comment: `Quick ${TRICKY}` }
  ],
  replyTo: { messageId: 'form-message-1' },
  metadata: { page: '/checkout?step=2&x=<y>' }
}
