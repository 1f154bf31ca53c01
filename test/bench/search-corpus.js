// A deterministic corpus of support conversations for the search benchmark: threads in English,
// French, German (accents) and Japanese (no spaces), emoji here and there, order numbers, tracking
// codes and names for a long tail of rare words. Shared by the Node and the Chromium halves.
import { seededRandom } from '../support/random.js'

const PRODUCTS = ['Café Grinder Pro', 'espresso machine', 'Crème Brûlée Kit', 'wireless headphones', 'smart watch', 'standing desk',
  'winter jacket', 'running shoes', 'phone case', 'Bluetooth speaker', 'air purifier', 'robot vacuum', 'gift card', 'yoga mat',
  'kettle', 'backpack', 'Müsli box', 'Zoë sneakers', 'Thermos bottle', 'laptop stand']
const NAMES = ['José', 'Zoë', 'Françoise', 'Jürgen', 'Amélie', 'Søren', 'Chloé', 'Björn', 'Noémie', 'Łukasz', 'Anna', 'Tom', 'Priya',
  'Kenji', 'Yuki', 'Mohammed', 'Sarah', 'Lucas', 'Élodie', 'Günther', 'Inès', 'Marco', 'Olivia', 'Hana']
const CITIES = ['Lyon', 'München', 'Zürich', 'Köln', 'Montréal', 'Genève', 'Düsseldorf', 'Besançon', 'Osaka', 'Tokyo', 'London',
  'Berlin', 'Paris', 'Québec', 'Malmö', 'Kraków', 'São Paulo', 'Reykjavík']
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const JOURS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi']
const TAGE = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag']
const YOUBI = ['月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日', '日曜日']
const SHOUHIN = ['コーヒーメーカー', 'ワイヤレスイヤホン', 'スマートウォッチ', '電気ケトル', 'リュックサック', 'ランニングシューズ', '空気清浄機', 'ギフトカード']
const EMOJI = ['🎉', '🙏', '😊', '😡', '👍', '📦', '❤️', '😅', '🚚', '🤔', '👋🏽', '🇫🇷']

const EN = [
  'Hi, I ordered the {product} on {day} and it still has not arrived.',
  "Order #{order} hasn't been delivered yet, can you check?",
  'Thanks for reaching out, {name}! Let me check the status of order #{order} for you.',
  'The tracking number is {tracking}; the package left our warehouse in {city} yesterday.',
  'Could you confirm the shipping address? We have {street} in {city} on file.',
  "I'd like a refund for the {product}, it arrived damaged.",
  'Your refund of {amount} has been processed and should appear within 5-7 business days.',
  "The {product} won't turn on after the latest firmware update. I tried resetting it twice.",
  'Please try holding the power button for 10 seconds, then plug the charger back in.',
  'Can I change the delivery date to {day}? I will not be home on {day2}.',
  "Sure, I've rescheduled the delivery for {day} between {hour} and {hour2}.",
  "My discount code {code} isn't working at checkout.",
  'I was charged twice for order #{order}, can you look into it?',
  'Is the {product} compatible with the {product2}?',
  'Great, thank you so much for your help!',
  "The order shipped this morning, you'll receive an email with the tracking link.",
  "We're sorry for the delay, the carrier reported bad weather around {city}.",
  'How do I reset my password? The reset email never arrives.',
  'Do you ship to {city}? What are the customs fees?',
  'Your subscription renews on {date}; you can cancel anytime from your account settings.',
  'I sent a photo of the damaged box, did you get it?',
  'Our support team is available every day from 8am to 8pm.',
  'The replacement {product} will ship within two business days.',
  'Can you send me an invoice for order #{order} please?',
  'I need to return the {product}, it is the wrong size.',
  'A return label has been emailed to you, drop the parcel at any post office.',
  'Is there a warranty on the {product}? Mine stopped working after three months.',
  'Yes, every product has a two year warranty; I opened a claim for you ({ticket}).',
  'Hello? Is anyone there?',
  'I have escalated your request to our logistics team in {city}.'
]
const FR = [
  "Bonjour, ma commande n° {order} n'est toujours pas arrivée.",
  'Merci pour votre message, {name} ! Je vérifie l’état de votre commande.',
  'Le colis a été expédié hier depuis notre entrepôt de {city}.',
  "Pouvez-vous changer l'adresse de livraison ? Je déménage à {city}.",
  'Le remboursement de {amount} a été effectué sur votre carte bancaire.',
  "Le {product} ne s'allume plus après la mise à jour, c'est très frustrant.",
  'Nous sommes désolés pour le retard de livraison, le transporteur a eu un problème.',
  'Est-ce que le café en grains est disponible en décaféiné ?',
  'Votre réclamation a bien été enregistrée, un conseiller vous répondra sous 48 heures.',
  "Je voudrais annuler ma commande et être remboursé, s'il vous plaît.",
  'La facture est disponible dans votre espace client, rubrique « Mes commandes ».',
  'Le numéro de suivi est {tracking}, la livraison est prévue {jour}.',
  'Mon code promo {code} ne fonctionne pas lors du paiement.',
  'Pourriez-vous livrer {jour} plutôt que {jour2} ?',
  "Le produit est arrivé cassé, voici une photo de l'emballage.",
  'Très bien, merci beaucoup pour votre aide !',
  'Notre équipe est joignable du lundi au samedi, de 9 h à 18 h.',
  "L'échange du {product} est gratuit pendant trente jours."
]
const DE = [
  'Hallo, meine Bestellung {order} ist noch nicht angekommen.',
  'Vielen Dank für Ihre Nachricht, {name}! Ich prüfe den Status Ihrer Bestellung.',
  'Das Paket wurde gestern aus unserem Lager in {city} verschickt.',
  'Können Sie die Lieferadresse ändern? Ich ziehe nach {city} um.',
  'Die Rückerstattung über {amount} wurde auf Ihre Kreditkarte überwiesen.',
  'Das Gerät lässt sich nach dem Update nicht mehr einschalten.',
  'Entschuldigen Sie die Verzögerung, der Zusteller hatte Schwierigkeiten in der Hauptstraße.',
  'Ist die Größe M noch verfügbar? Ich möchte die Jacke umtauschen.',
  'Ihre Beschwerde wurde weitergeleitet, wir melden uns innerhalb von 48 Stunden.',
  'Ich möchte meine Bestellung stornieren und mein Geld zurück.',
  'Die Rechnung finden Sie in Ihrem Kundenkonto unter „Meine Bestellungen“.',
  'Die Sendungsnummer lautet {tracking}, die Zustellung ist für {tag} geplant.',
  'Mein Gutscheincode {code} funktioniert an der Kasse nicht.',
  'Könnten Sie am {tag} statt am {tag2} liefern?',
  'Super, vielen Dank für die schnelle Hilfe!',
  'Die Ware kam beschädigt an, ich habe Fotos vom Karton gemacht.',
  'Der Umtausch ist innerhalb von dreißig Tagen kostenlos.'
]
const JA = [
  'ご注文の配送は明日です。',
  '注文番号{order}の商品がまだ届いていません。',
  'お問い合わせありがとうございます。配送状況を確認いたします。',
  '{shouhin}が破損していたので返金をお願いします。',
  '配達日を{youbi}に変更できますか？',
  '返金手続きが完了しました。カードへの反映には数日かかります。',
  'パスワードを再設定するメールが届きません。',
  'お届け先の住所を変更したいです。',
  'ご不便をおかけして申し訳ございません。',
  'クーポンコード{code}が使えません。',
  '追跡番号は{tracking}です。{youbi}にお届け予定です。',
  '{shouhin}の電源が入らなくなりました。',
  '交換品を本日発送いたしました。',
  '領収書を発行していただけますか？',
  'ありがとうございました、助かりました！'
]
const LANGUAGES = [['en', EN, 0.55], ['fr', FR, 0.15], ['de', DE, 0.15], ['ja', JA, 0.15]]

/**
 * `count` messages over `threads` conversations, oldest first within each thread, one minute apart.
 * Each thread has a language; one message in ten is in English whatever it is, one in eight has emoji.
 */
export function makeCorpus({ count = 100_000, threads = 1_000, seed = 42 } = {}) {
  const random = seededRandom(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const digits = (n) => String(Math.floor(random() * 10 ** n)).padStart(n, '0')
  const fill = (template) =>
    template.replace(/\{(\w+?)2?\}/g, (_, slot) => {
      switch (slot) {
        case 'product': return pick(PRODUCTS)
        case 'name': return pick(NAMES)
        case 'city': return pick(CITIES)
        case 'day': return pick(DAYS)
        case 'jour': return pick(JOURS)
        case 'tag': return pick(TAGE)
        case 'youbi': return pick(YOUBI)
        case 'shouhin': return pick(SHOUHIN)
        case 'order': return `${pick(['A', 'B', 'FR', 'DE', 'JP'])}${digits(6)}`
        case 'tracking': return `1Z${digits(8)}${pick(['X', 'K', 'Q'])}${digits(2)}`
        case 'code': return `${pick(['SPRING', 'WELCOME', 'VIP', 'NOEL', 'SOMMER'])}${digits(2)}`
        case 'ticket': return `ticket T-${digits(5)}`
        case 'amount': return `${digits(2)},${digits(2)} €`
        case 'hour': return `${8 + Math.floor(random() * 10)}:00`
        case 'date': return `${1 + Math.floor(random() * 28)}/${1 + Math.floor(random() * 12)}`
        case 'street': return `${1 + Math.floor(random() * 200)} ${pick(['Rue de la Paix', 'Hauptstraße', 'Main Street', 'Allée des Érables'])}`
        default: return slot
      }
    })
  const templatesOf = () => {
    let r = random()
    for (const [, templates, weight] of LANGUAGES) if ((r -= weight) < 0) return templates
    return EN
  }
  const perThread = Math.ceil(count / threads)
  const messages = []
  const start = 1_700_000_000_000
  for (let t = 0; t < threads && messages.length < count; t++) {
    const templates = templatesOf()
    const opened = start + Math.floor(random() * 90 * 86_400_000)
    for (let i = 0; i < perThread && messages.length < count; i++) {
      const source = random() < 0.1 ? EN : templates
      const sentences = 1 + Math.floor(random() * random() * 3)
      let text = Array.from({ length: sentences }, () => fill(pick(source))).join(source === JA ? '' : ' ')
      if (random() < 0.125) {
        const emoji = pick(EMOJI)
        const r = random()
        // Emoji glued to a word, at the end, or as the whole message.
        text = r < 0.3 ? `${emoji}${text}` : r < 0.9 ? `${text} ${emoji}` : emoji
      }
      messages.push({
        id: `m${t}-${i}`,
        conversationId: `c${t}`,
        seq: i + 1,
        author: { role: i % 2 ? 'agent' : 'visitor' },
        text,
        createdAt: opened + i * 60_000
      })
    }
  }
  return messages
}

/**
 * Queries drawn from the corpus: `count` of each kind, each built from one random message so it
 * has at least one hit. Kinds: a whole word, two words of one message, the start of a word (as
 * typed), two consecutive words quoted. From Japanese text a "word" is a run of 2–4 characters.
 */
export function makeQueries(messages, { count = 300, seed = 7 } = {}) {
  const random = seededRandom(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const JAPANESE = /[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}]/u
  // Runs of Japanese characters, and words of other letters and digits.
  const WORDS = /[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}]+|(?:(?![\p{scx=Han}\p{scx=Hira}\p{scx=Kana}])[\p{L}\p{N}])+/gu
  // Words of a message as written (letters only, 3+ characters), or substrings of its Japanese runs.
  const wordsOf = (text) => {
    const found = []
    for (const [word] of text.matchAll(WORDS)) {
      if (JAPANESE.test(word)) {
        for (let i = 0; i + 2 <= word.length; i += 2) found.push(word.slice(i, i + 2 + Math.floor(random() * 3)))
      } else if (word.length >= 3 && !/\d/.test(word)) found.push(word)
    }
    return found
  }
  const draw = (make) => {
    const out = []
    while (out.length < count) {
      const query = make(pick(messages).text)
      if (query) out.push(query)
    }
    return out
  }
  return {
    word: draw((text) => {
      const words = wordsOf(text)
      return words.length ? pick(words) : null
    }),
    words: draw((text) => {
      const words = [...new Set(wordsOf(text))]
      if (words.length < 2) return null
      const a = pick(words)
      return `${a} ${pick(words.filter((w) => w !== a))}`
    }),
    prefix: draw((text) => {
      const words = wordsOf(text).filter((w) => w.length >= 5 && !JAPANESE.test(w))
      return words.length ? pick(words).slice(0, 3 + Math.floor(random() * 3)) : null
    }),
    phrase: draw((text) => {
      const words = [...text.matchAll(WORDS)]
      if (words.length === 0) return null
      const i = Math.floor(random() * words.length)
      const word = words[i][0]
      if (JAPANESE.test(word)) {
        if (word.length < 4) return null
        const at = Math.floor(random() * (word.length - 3))
        return word.slice(at, at + 4)
      }
      const next = words[i + 1]
      // Only words one space apart: "l'adresse" is one word to some engines and two to others.
      if (!next || JAPANESE.test(next[0]) || next.index !== words[i].index + word.length + 1 || text[next.index - 1] !== ' ') return null
      return `${word} ${next[0]}`
    })
  }
}
