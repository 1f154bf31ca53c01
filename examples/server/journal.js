// @ts-check
import fs from 'node:fs'
import path from 'node:path'

/**
 * An append-only file of JSON records, one per line. `append` returns only after the line is on
 * disk (`fsync`), so whatever the server acknowledged survives a crash or a restart.
 *
 * @typedef {object} Journal
 * @property {unknown[]} records Every record read when the journal was opened, oldest first.
 * @property {(record: unknown) => void} append Write one record and flush it to disk; throws if the disk refuses.
 * @property {() => void} close Release the file.
 */

/**
 * Open (or create) the journal at `file` and read it.
 *
 * A crash in the middle of a write leaves a torn last line without its newline: it was never
 * acknowledged, so it is dropped and cut off the file (otherwise the next record would be glued to
 * it). Any other line that is not JSON means the file was damaged by something else; the journal
 * refuses to guess and throws, naming the line.
 *
 * @param {string} file
 * @returns {Journal}
 *
 * @example
 * const journal = openJournal('/var/lib/confab/journal.jsonl')
 * for (const record of journal.records) apply(record)
 * journal.append({ k: 'visitor', visitor })
 */
export function openJournal(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const existed = fs.existsSync(file)
  const { records, goodBytes, needsNewline } = existed
    ? read(file)
    : { records: [], goodBytes: 0, needsNewline: false }

  const fd = fs.openSync(file, 'a')
  let size = goodBytes
  if (existed && fs.fstatSync(fd).size !== goodBytes) fs.ftruncateSync(fd, goodBytes)
  if (needsNewline) write(Buffer.from('\n'))
  // A new file is durable only once its directory entry is: flush the folder too (not possible on
  // Windows, where opening a folder fails; nothing to do there).
  if (!existed) {
    try {
      const dir = fs.openSync(path.dirname(file), 'r')
      try {
        fs.fsyncSync(dir)
      } finally {
        fs.closeSync(dir)
      }
    } catch {}
  }

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
  return {
    records,
    append(record) {
      if (!open) throw new Error(`journal ${file} is closed`)
      write(Buffer.from(JSON.stringify(record) + '\n'))
    },
    close() {
      if (!open) return
      open = false
      fs.closeSync(fd)
    }
  }
}

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
