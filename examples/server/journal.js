// @ts-check
import fs from 'node:fs'
import path from 'node:path'

/**
 * An append-only file of JSON records, one per line, that compacts: `append` returns only after the
 * line is on disk (`fsync`), so whatever the server acknowledged survives a crash or a restart; and
 * `compact(state)` writes the state those records built as a snapshot, after which the journal
 * starts again, so a start reads the snapshot and a short tail instead of the whole history.
 *
 * On disk, beside `journal.jsonl`, `journal.snapshot.json` is `{ "covers": n, "state": … }`: the
 * state after the first n records ever appended. A compacted journal starts with the line
 * `{ "follows": n }`: its records come after record n.
 *
 * @typedef {object} Journal
 * @property {unknown} snapshot The state of the last compaction, `undefined` before the first.
 * @property {unknown[]} records The records appended since then, as read when the journal was opened, oldest first.
 * @property {(record: unknown) => void} append Write one record and flush it to disk; throws if the disk refuses.
 * @property {() => number} tail How many records were appended since the last compaction (those read on opening included).
 * @property {(state: unknown) => void} compact Make `state` (what every record so far built) the
 *   snapshot, and start the journal again after it.
 * @property {() => void} close Release the file.
 */

/**
 * Open (or create) the journal at `file` and read it, with its snapshot.
 *
 * A crash in the middle of a write leaves a torn last line without its newline: it was never
 * acknowledged, so it is dropped and cut off the file (otherwise the next record would be glued to
 * it). Any other line that is not JSON means the file was damaged by something else; the journal
 * refuses to guess and throws, naming the line.
 *
 * Compaction writes each file whole under a temporary name, flushes it, then renames it into place
 * (a rename is atomic), snapshot first: a crash at any point leaves either the old snapshot with the
 * whole journal, or the new snapshot with a journal whose first records it already covers (they are
 * skipped by count), or the new snapshot with the new journal. Nothing acknowledged is lost, and
 * nothing is applied twice.
 *
 * @param {string} file
 * @returns {Journal}
 *
 * @example
 * const journal = openJournal('/var/lib/confab/journal.jsonl')
 * if (journal.snapshot) restore(journal.snapshot)
 * for (const record of journal.records) apply(record)
 * journal.append({ k: 'visitor', visitor })
 * if (journal.tail() > 10_000) journal.compact(state())
 */
export function openJournal(file) {
  const dir = path.dirname(file)
  const snapshotFile = file.replace(/(\.jsonl)?$/, '.snapshot.json')
  fs.mkdirSync(dir, { recursive: true })
  // Halves of a compaction that crashed before its rename: never trusted, never needed.
  for (const leftover of [file, snapshotFile]) fs.rmSync(`${leftover}.tmp`, { force: true })

  const snapshot = fs.existsSync(snapshotFile) ? readSnapshot(snapshotFile) : undefined
  const existed = fs.existsSync(file)
  const { records, goodBytes, needsNewline } = existed
    ? read(file)
    : { records: [], goodBytes: 0, needsNewline: false }
  const follows = isHeader(records[0]) ? /** @type {{ follows: number }} */ (records.shift()).follows : 0
  let covers = snapshot?.covers ?? 0
  if (covers < follows || covers - follows > records.length) {
    throw new Error(
      `${file} holds records ${follows + 1} to ${follows + records.length}, but ${snapshot ? `${snapshotFile} covers the first ${covers}` : `${snapshotFile} is missing`}: ` +
        'the two do not fit together. Restore them from the same backup, then start the server again.'
    )
  }
  // Records the snapshot already holds: a crash came between its rename and the journal's.
  records.splice(0, covers - follows)
  /** Records appended since the snapshot. */
  let tail = records.length

  let fd = fs.openSync(file, 'a')
  let size = goodBytes
  if (existed && fs.fstatSync(fd).size !== goodBytes) fs.ftruncateSync(fd, goodBytes)
  if (needsNewline) write(Buffer.from('\n'))
  // A new file is durable only once its directory entry is.
  if (!existed) syncDir(dir)

  /** @param {Buffer} bytes */
  function write(bytes) {
    try {
      let done = 0
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done)
      fs.fsyncSync(fd)
    } catch (error) {
      // Undo a partial line, so the next append does not start in the middle of it.
      try {
        fs.ftruncateSync(fd, size)
      } catch {}
      throw error
    }
    size += bytes.length
  }

  let open = true
  const ensureOpen = () => {
    if (!open) throw new Error(`journal ${file} is closed`)
  }
  return {
    snapshot: snapshot?.state,
    records,
    tail: () => tail,
    append(record) {
      ensureOpen()
      write(Buffer.from(JSON.stringify(record) + '\n'))
      tail++
    },
    compact(state) {
      ensureOpen()
      const covered = covers + tail
      replace(snapshotFile, JSON.stringify({ covers: covered, state }))
      const header = JSON.stringify({ follows: covered }) + '\n'
      replace(file, header)
      fs.closeSync(fd)
      fd = fs.openSync(file, 'a')
      size = Buffer.byteLength(header)
      tail = 0
      // The next compaction counts from here.
      covers = covered
    },
    close() {
      if (!open) return
      open = false
      fs.closeSync(fd)
    }
  }
}

/**
 * Put `text` in `file` whole or not at all: written and flushed under a temporary name, then
 * renamed over it, then the folder flushed so the rename itself is durable.
 * @param {string} file
 * @param {string} text
 */
function replace(file, text) {
  const temporary = `${file}.tmp`
  const fd = fs.openSync(temporary, 'w')
  try {
    fs.writeSync(fd, text)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temporary, file)
  syncDir(path.dirname(file))
}

/**
 * Flush a folder, so the files created or renamed in it stay after a crash. (Not possible on
 * Windows, where opening a folder fails; nothing to do there.)
 * @param {string} dir
 */
export function syncDir(dir) {
  try {
    const fd = fs.openSync(dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  } catch {}
}

/**
 * @param {string} file
 * @returns {{ covers: number, state: unknown }}
 */
function readSnapshot(file) {
  let snapshot
  try {
    snapshot = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file} cannot be read as JSON (${/** @type {Error} */ (error).message}): restore it from a backup.`)
  }
  if (!Number.isSafeInteger(snapshot?.covers) || snapshot.covers < 0 || !('state' in snapshot)) {
    throw new Error(`${file} is not a journal snapshot ({ "covers": n, "state": … }): restore it from a backup.`)
  }
  return snapshot
}

/**
 * The first line of a compacted journal: `{ "follows": n }`.
 * @param {unknown} record
 */
const isHeader = (record) =>
  typeof record === 'object' && record !== null && Object.keys(record).length === 1 && Number.isSafeInteger(/** @type {{ follows?: unknown }} */ (record).follows)

/**
 * @param {string} file
 * @returns {{ records: unknown[], goodBytes: number, needsNewline: boolean }}
 */
function read(file) {
  const bytes = fs.readFileSync(file)
  /** @type {unknown[]} */
  const records = []
  let start = 0
  let line = 1
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    const text = bytes.subarray(start, end).toString('utf8')
    if (text.trim() !== '') {
      try {
        records.push(JSON.parse(text))
      } catch {
        if (newline !== -1) {
          throw new Error(
            `${file}, line ${line}, is not valid JSON: the journal was damaged. ` +
              'Repair or remove that line, then start the server again.'
          )
        }
        return { records, goodBytes: start, needsNewline: false }
      }
    }
    if (newline === -1) return { records, goodBytes: bytes.length, needsNewline: true }
    start = newline + 1
    line++
  }
  return { records, goodBytes: bytes.length, needsNewline: false }
}
