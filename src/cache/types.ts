import type { Conversation, Message, OutgoingPostback } from '../transports/types.js'

/**
 * A file the visitor attached to a message, from the moment the message is shown until it is sent.
 * Its bytes wait on the device (the outbox's file store) under its `id`; once the backend holds them,
 * `url` is set, and the message goes out with an image or file part pointing there.
 */
export interface OutgoingFile {
  /** Chosen when the file is attached (a UUID): its upload slot is asked for with it (see `UploadRequest`). */
  id: string
  /** `'image'`: sent as an image part (a photo, a GIF); `'file'`: as a file part. */
  kind: 'image' | 'file'
  /** Its name on the visitor's device. */
  name: string
  /** Bytes. */
  size: number
  /** MIME type. */
  type: string
  /** Pixels, for images: the thread reserves their space before they load. */
  width?: number
  height?: number
  /** Bytes the backend has received in the current try, while it uploads. */
  loaded?: number
  /** Where the backend serves it, once its bytes are stored. */
  url?: string
}

/**
 * A message the visitor wrote that the backend has not confirmed yet, kept until it is: `queued`
 * (waiting or being sent) or `failed` (refused; shown with Retry and Discard). With `postback`, a
 * postback waiting to go (shown nowhere): its text is the button's label.
 */
export type OutboxEntry = Message & {
  clientId: string
  status: 'queued' | 'failed'
  error?: string
  refused?: true
  postback?: Omit<OutgoingPostback, 'clientId'>
  /** Files still to upload (their bytes are in the cache's file store under their ids), or uploaded. */
  files?: OutgoingFile[]
}

/** Small facts the client keeps beside the history. */
export interface CacheMeta {
  /** Cursor of the last event applied, to resume the stream after a reload. */
  streamCursor?: string
  /** History cursors per conversation. */
  history?: Record<string, { before: string | null; after: string | null }>
  /** The conversation that was open. */
  activeId?: string | null
  /** Time of the latest activity in the chat session (chat mode), ms since the epoch. */
  lastActivity?: number
}

/** What the cache hands back on boot: enough to paint before the network answers. */
export interface CacheSnapshot {
  conversations: Conversation[]
  /** The newest messages of each conversation, oldest first. */
  messages: Record<string, Message[]>
  meta: CacheMeta
  /** Unsent messages, oldest first. */
  outbox: OutboxEntry[]
}

/** One batch of writes, applied in a single transaction. */
export interface CacheChanges {
  conversations?: Conversation[]
  messages?: Message[]
  meta?: Partial<CacheMeta>
  /** Unsent messages to keep (or to update), by client id. */
  outbox?: OutboxEntry[]
  /**
   * Client ids whose outbox entries are done: delivered (in `messages` of the same batch) or
   * discarded. The bytes of their files go with them.
   */
  unqueue?: string[]
  /**
   * The bytes of files attached to messages of `outbox` (by {@link OutgoingFile.id}): written in the
   * same transaction as their message, so a message is never kept without its files.
   */
  files?: { id: string; blob: Blob }[]
  /** Ids of files whose bytes are no longer needed (stored by the backend, or taken off their message). */
  dropFiles?: string[]
}

/**
 * One person's history on this device. `createIdbCache` keeps it in IndexedDB; `createMemoryCache`
 * keeps it for this page only. Either degrades instead of failing: reads of a broken store answer
 * empty, writes to a full one go on in memory, and `persistent` turns false.
 */
export interface Cache {
  /** Whether what is written survives a reload. */
  readonly persistent: boolean
  /** Why `persistent` is false, in words a person can read. */
  readonly reason?: string
  /** Read what is kept: conversations, the newest `messagesPerConversation` messages of each, meta. */
  load(options?: { messagesPerConversation?: number }): Promise<CacheSnapshot>
  /** Messages of a conversation older than `before` (a message shown), newest `limit` of them, oldest first. */
  older(conversationId: string, before: Pick<Message, 'createdAt' | 'seq' | 'id'>, limit: number): Promise<Message[]>
  /** Unsent messages, oldest first. */
  outbox(): Promise<OutboxEntry[]>
  /** Every message of every conversation (for building the search index). */
  all(): Promise<Message[]>
  /** The bytes of a file attached to an unsent message, while they are kept (`undefined` once gone). */
  file(id: string): Promise<Blob | undefined>
  /** Apply one batch of changes. Never rejects: failures degrade to memory and are reported. */
  write(changes: CacheChanges): Promise<void>
  /** Delete everything this cache holds, the database included. */
  destroy(): Promise<void>
  /** Release the database connection (another tab may then delete it). */
  close(): void
}
