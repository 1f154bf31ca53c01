import type { MessageContent } from '../../src/transports/types.js'

/** Content an agent or a bot may send, with every part type and action type. */
export const AGENT_CONTENT: MessageContent = {
  text: 'Which plan? **Pro** is the most popular.',
  parts: [
    { type: 'image', url: 'https://cdn.example/plan.png', alt: 'Plans', width: 640, height: 480, mediaType: 'image/png' },
    { type: 'file', url: 'https://cdn.example/terms.pdf', name: 'terms.pdf', size: 1234, mediaType: 'application/pdf' },
    { type: 'location', latitude: 48.85, longitude: 2.35, name: 'Shop', address: '1 Rue de Rivoli' },
    {
      type: 'cards',
      layout: 'carousel',
      items: [
        {
          title: 'Basic',
          description: '€10 a month',
          imageUrl: 'https://cdn.example/basic.png',
          actions: [
            { type: 'link', id: 'basic-more', label: 'Details', url: 'https://shop.example/basic' },
            { type: 'host', id: 'basic-buy', label: 'Buy', name: 'buy', data: { amount: 1000, currency: 'EUR' } }
          ]
        }
      ]
    },
    {
      type: 'form',
      fields: [
        { name: 'order', label: 'Order number', type: 'text', required: true },
        { name: 'size', label: 'Size', type: 'select', options: [{ value: 's', label: 'Small' }] }
      ],
      submitLabel: 'Look up'
    },
    { type: 'rating', question: 'How did we do?', comment: true }
  ],
  replies: [
    { type: 'reply', id: 'yes', label: 'Yes' },
    { type: 'postback', id: 'talk', label: 'Talk to a person', payload: 'HANDOFF' }
  ],
  actions: [{ type: 'link', id: 'docs', label: 'Guide', url: 'https://shop.example/guide' }],
  blockComposer: true,
  metadata: { campaign: 'spring', nested: { n: [1, 2] } }
}

/** Content a visitor may send, with every part type a visitor may send. */
export const VISITOR_CONTENT: MessageContent = {
  text: 'Here you go',
  parts: [
    { type: 'image', url: 'https://cdn.example/photo.jpg' },
    { type: 'file', url: 'https://cdn.example/receipt.pdf', name: 'receipt.pdf' },
    { type: 'location', latitude: -33.9, longitude: 151.2 },
    { type: 'form-response', fields: [{ name: 'order', label: 'Order number', value: 'A-1' }, { name: 'size', label: 'Size', value: ['s'] }] },
    { type: 'rating-response', score: 4, comment: 'Quick' }
  ],
  replyTo: { messageId: 'm_x', actionId: 'yes' },
  metadata: { page: '/pricing' }
}
