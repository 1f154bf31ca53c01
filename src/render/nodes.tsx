import type { ComponentChildren } from 'preact'
import { parseMarkdown, type Block, type Inline } from './markdown.js'

/** The parsed blocks of the texts shown last: the thread renders every message again on each change. */
const parsed = new Map<string, Block[]>()
const KEEP = 300

function blocksOf(text: string): Block[] {
  let blocks = parsed.get(text)
  if (!blocks) {
    blocks = parseMarkdown(text)
    if (parsed.size >= KEEP) parsed.delete(parsed.keys().next().value!)
  }
  // Moved to the end: the least recently shown text goes first.
  parsed.delete(text)
  parsed.set(text, blocks)
  return blocks
}

const inline = (nodes: Inline[]): ComponentChildren =>
  nodes.map((node) => {
    if (typeof node === 'string') return node
    switch (node.type) {
      case 'br':
        return <br />
      case 'code':
        return <code>{node.text}</code>
      case 'a':
        return (
          <a href={node.href} target="_blank" rel="noopener noreferrer">
            {inline(node.children)}
          </a>
        )
      default: {
        const Tag = node.type
        return <Tag>{inline(node.children)}</Tag>
      }
    }
  })

// Paragraphs, list items and code take `dir="auto"`: each reads in its own direction, whatever the
// pane's, so a message that mixes an Arabic paragraph with an English one shows both right. (On the
// message as a whole it would decide nothing: `auto` skips what has a `dir` of its own.)
const blocks = (list: Block[]): ComponentChildren =>
  list.map((block) => {
    switch (block.type) {
      case 'p':
        return <p dir="auto">{inline(block.children)}</p>
      case 'pre':
        return (
          <pre dir="auto">
            <code>{block.text}</code>
          </pre>
        )
      case 'blockquote':
        return <blockquote>{blocks(block.children)}</blockquote>
      default: {
        const List = block.type
        return (
          <List start={block.type === 'ol' && block.start !== 1 ? block.start : undefined}>
            {/* An item of one paragraph holds its words directly: no paragraph margins in a short list. */}
            {block.items.map((item) => (
              <li dir="auto">{item.length === 1 && item[0]!.type === 'p' ? inline(item[0]!.children) : blocks(item)}</li>
            ))}
          </List>
        )
      }
    }
  })

/**
 * A message's markdown text as preact nodes (see `parseMarkdown` for the subset): never an HTML
 * string, so markup in the text shows as typed. Links open in a new tab, without a referrer or a
 * handle on this page.
 *
 * @example
 * <Markdown text="Your order **#1234** has shipped: https://track.example/1234" />
 */
export function Markdown({ text }: { text: string }) {
  return <>{blocks(blocksOf(text))}</>
}
