import { prepareFiles, type Attachment } from '../../media/prepare.js'
import type { UploadLimits } from '../../transports/types.js'

/**
 * Prepare what the visitor chose, dropped or pasted (see `prepareFiles`), each file on its own: the
 * files that are ready, and why each of the others was refused.
 *
 * @example
 * const { attachments, problems } = await attach([...input.files], client.$session.get()?.uploadLimits)
 */
export async function attach(files: readonly Blob[], limits?: UploadLimits): Promise<{ attachments: Attachment[]; problems: string[] }> {
  const results = await Promise.allSettled(files.map((file) => prepareFiles([file], { limits })))
  return {
    attachments: results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])),
    problems: results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []))
  }
}
