// What an upload is, from its bytes alone (no I/O): the declared Content-Type and file name are not
// trusted. Binary formats are recognised by their signatures (file-type); anything else is plain text
// only when it is UTF-8 without binary data bytes (WHATWG MIME Sniffing §7.1, "binary data byte").
import { fileTypeFromBuffer } from 'file-type';
import sanitizeFilename from 'sanitize-filename';
import { DomainError } from '../kernel/index.ts';

export interface AttachmentLimits {
  maxBytes: number;
  /** MIME types accepted, as sniffed. */
  types: readonly string[];
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 10 * 1024 * 1024,
  types: [
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'audio/wav', 'audio/mpeg', 'video/mp4',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
};

export const MAX_NAME_BYTES = 200;

/** 0x00-0x08, 0x0B, 0x0E-0x1A, 0x1C-0x1F. */
const isBinaryDataByte = (b: number) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.some(isBinaryDataByte)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The content's MIME type: a recognised signature, else text/plain for UTF-8 text, else application/octet-stream. */
export async function sniffMime(bytes: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime;
  return isPlainText(bytes) ? 'text/plain' : 'application/octet-stream';
}

/** A file name safe to store and to send back: no path, no control or reserved characters, NFC, at most 200 bytes; 'attachment' when nothing is left. */
export function safeName(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).at(-1) ?? '';
  let clean = sanitizeFilename(base, { replacement: '_' }).trim().replace(/^\.+/, '');
  while (Buffer.byteLength(clean) > MAX_NAME_BYTES) clean = clean.slice(0, -1);
  return /[^_.\s]/.test(clean) ? clean : 'attachment';
}

/**
 * Checks an upload against the limits and answers its sniffed type: empty is a 400, larger than
 * `maxBytes` a 413, a type not listed a 415, each with a message saying what is accepted.
 */
export async function checkUpload(bytes: Uint8Array, limits: AttachmentLimits): Promise<string> {
  if (bytes.length === 0) throw new DomainError('SB_TICKETS_ATTACHMENT_EMPTY', 400, 'the attachment is empty');
  if (bytes.length > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const mime = await sniffMime(bytes);
  if (!limits.types.includes(mime)) {
    throw new DomainError('SB_TICKETS_ATTACHMENT_TYPE', 415, `attachments of type ${mime} are not accepted; accepted: ${limits.types.join(', ')}`, { mime, accepted: [...limits.types] });
  }
  return mime;
}

export const tooLarge = (maxBytes: number): DomainError =>
  new DomainError('SB_TICKETS_ATTACHMENT_TOO_LARGE', 413, `an attachment may be at most ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(1)} MiB)`, { maxBytes });
