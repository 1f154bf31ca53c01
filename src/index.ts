/**
 * Confab: an embeddable customer chat and messaging widget, and the headless client under it.
 * Every public symbol is named here.
 */

// Client: headless state and actions (files prepared before `send({ files })`: the entry `confab/media`)
export { createClient } from './client/index.js'
export type { Attachment, Client, ClientEvents, ClientOptions, ClientView, FormValues, Identity, Leadership, NetworkWatch, SearchOptions, SendDraft, Timers } from './client/index.js'

// Fitting into the site: the integration event stream (`client.events`) and Google Tag Manager
export { forwardToDataLayer } from './client/index.js'
export type {
  DataLayer,
  FileFacts,
  IntegrationEnvelope,
  IntegrationEvent,
  IntegrationEvents,
  IntegrationEventType,
  IntegrationPayloads,
  IntegrationSource,
  MessageFacts
} from './client/index.js'

// Message content: the rules every layer checks, and content as plain words
export { LIMITS as CONTENT_LIMITS, PART_TYPES, checkContent, cleanContent } from './content/check.js'
export type { ContentProblem } from './content/check.js'
export { formResponseText, plainText, ratingText, searchableText } from './content/plain.js'
// What a site tells its backend about the visitor: the same rules for the widget and any backend
export { VISITOR_LIMITS, checkAttributes, checkTrackedEvent, checkVisitorUpdate, mergeAttributes, pageOf } from './content/visitor.js'
// What `ClientOptions.loadSearch` loads: the search engine of the lazily loaded search chunk
export type { SearchEngine } from './search/engine.js'
// What `ClientOptions.loadUploads` loads: the upload step of the lazily loaded uploads chunk
export type { UploadsModule } from './client/uploads/load.js'
export type { SearchHit, SearchIndex, Snippet } from './search/index.js'

// Read receipts: the visitor's last message the agents have read, from `$agentRead`
export { lastSeen } from './store/index.js'

// Tabs: which tab of a site leads
export { createLeaderElection } from './tabs/leader.js'
export type { LeaderElection, LeaderElectionOptions } from './tabs/leader.js'
export type {
  ChatEndReason,
  ChatMessage,
  OutgoingFile,
  ClientStatus,
  ClientStores,
  DeliveryStatus,
  HistoryState,
  PaneState,
  SearchResult,
  SearchState,
  StorageState
} from './store/index.js'

// Widget: the ready-made UI
export { createWidget } from './ui/widget.js'
export type { ColorScheme, Counted, Plural, Strings, ThemeColors, Widget, WidgetOptions, WidgetTheme } from './ui/widget.js'
// GIFs: what the composer's picker searches (the providers are the entry `confab/gifs`)
export type { Gif, GifImage, GifPage, GifProvider, GifProviderConfig, GifProviderSource, GifSearchOptions } from './gifs/types.js'
// The format of `confab-emoji.json`, the emoji picker's data (for a file of your own: `emojiDataUrl`)
export type { EmojiData, EmojiGroupKey, EmojiRow } from './ui/emoji/types.js'

// Transports
export { createHttpTransport } from './transports/http/index.js'
export type { HttpTransportOptions, StreamKind } from './transports/http/index.js'
export { createWebSocketTransport } from './transports/websocket/index.js'
export type { WebSocketTransportOptions } from './transports/websocket/index.js'

// Writing a transport: the reconnect loop both built-in transports keep their connection with
// (offline wait, full-jitter backoff, heartbeat, status). See createReconnectLoop's example.
export { createReconnectLoop } from './transports/reconnect.js'
export type { NetworkEvents, NetworkEventType, ReconnectLink, ReconnectOptions } from './transports/reconnect.js'
export type { BackoffOptions } from './util/backoff.js'
export type {
  Action,
  ArchiveHit,
  Author,
  Card,
  CardsPart,
  FilePart,
  FormField,
  FormPart,
  FormResponsePart,
  ImagePart,
  JsonValue,
  LocationPart,
  MessageContent,
  OutgoingPostback,
  Part,
  PartType,
  RatingPart,
  RatingResponsePart,
  VisitorContent,
  AuthorRole,
  ConnectInput,
  ConnectionStatus,
  Conversation,
  ConversationInit,
  ConversationMode,
  ConversationPage,
  HistoryPage,
  HistoryQuery,
  Message,
  OutgoingMessage,
  ReadMark,
  ReadPositions,
  SubscribeOptions,
  Transport,
  TransportCapabilities,
  TransportEvent,
  Unsubscribe,
  UploadLimits,
  UploadRequest,
  UploadSlot,
  PutUploadOptions,
  PageContext,
  TrackedEvent,
  VisitorAttributeChanges,
  VisitorAttributes,
  VisitorAttributeValue,
  VisitorDetails,
  VisitorSession,
  VisitorUpdate
} from './transports/types.js'

// Device storage: `ClientOptions.cache` returns a `Cache`
export { createLocalResumeKeyStore } from './cache/resume-key.js'
export type { ResumeKeyStore } from './cache/resume-key.js'
export type { Cache, CacheChanges, CacheMeta, CacheSnapshot, OutboxEntry } from './cache/types.js'

// Errors
export { createError, isConfabError } from './errors/index.js'
export type { ConfabError, ConfabErrorCode, ConfabErrorDetails } from './errors/index.js'
