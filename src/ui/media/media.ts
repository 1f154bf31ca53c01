/**
 * The media module, loaded on first use (see `load.ts`): the viewer that shows an image large, the
 * files the composer will send, the visitor's files while they upload, and the preparation of
 * photos on the device.
 */
export { Attach, DropZone } from './attach.js'
export { Outgoing, Previews } from './files.js'
export { Viewer } from './viewer.js'
