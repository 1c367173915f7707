import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fieldError } from './validation.ts';

/** Uploads are license and request files: small, and of a few known kinds. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const UPLOAD_EXTENSIONS = ['lic', 'req', 'txt', 'xml', 'dat', 'bin', 'key', 'json', 'zip'] as const;

/** Refuses a body over the limit before reading it (413 with a message a partner understands). */
export const uploadLimit = bodyLimit({
  maxSize: MAX_UPLOAD_BYTES + 64 * 1024,
  onError: (c) => c.json({ message: `A file is at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`, errors: { file: 'File too large' } }, 413),
});

export interface UploadedFile {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Uint8Array<ArrayBuffer>;
}

/**
 * Reads the `file` field of a multipart form. The name is reduced to its last path segment
 * and safe characters (a name like "../../etc/passwd" or "a\u0000.lic" cannot travel), the kind is
 * checked by extension, and an empty or oversized file is refused.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's context
export async function readUpload(c: Context<any, any, any>, options: { required: boolean }): Promise<UploadedFile | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    if (options.required) throw fieldError('file', 'Send the file as multipart/form-data in the field "file"');
    return undefined;
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw fieldError('file', 'The upload could not be read; send it again');
  }
  const file = form.file;
  if (file === undefined || file === '') {
    if (options.required) throw fieldError('file', 'Choose the file to upload');
    return undefined;
  }
  if (!(file instanceof File)) throw fieldError('file', 'The field "file" must be a file');
  const fileName = safeFileName(file.name);
  const extension = path.extname(fileName).slice(1).toLowerCase();
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extension)) {
    throw fieldError('file', `Upload a license or request file (${UPLOAD_EXTENSIONS.map((e) => `.${e}`).join(', ')})`);
  }
  if (file.size === 0) throw fieldError('file', 'The file is empty');
  if (file.size > MAX_UPLOAD_BYTES) throw fieldError('file', `A file is at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  const content = new Uint8Array(await file.arrayBuffer());
  return { fileName, contentType: 'application/octet-stream', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content };
}

export function safeFileName(name: string) {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\w.\- ()]+/g, '_')
    .replace(/^\.+/, '')
    .slice(-120);
  return cleaned || 'upload.bin';
}

/** Download headers that never let a browser render an uploaded file as a page. */
export function attachmentHeaders(fileName: string) {
  return {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${safeFileName(fileName)}"`,
    'x-content-type-options': 'nosniff',
  };
}
