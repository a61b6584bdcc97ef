// Attachment bytes as files under <root>/<tenant id>/<ticket id>/<attachment id>; the stored name is the
// attachment's id, never the uploader's file name (that is kept, sanitized, in tickets_attachment).
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomToken } from '../kernel/index.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class AttachmentFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  #path(tenantId: string, ticketId: string, id?: string): string {
    for (const part of [tenantId, ticketId, ...(id === undefined ? [] : [id])]) {
      if (!ID.test(part)) throw new Error(`attachment path part ${JSON.stringify(part)} is not an id`);
    }
    return id === undefined ? join(this.root, tenantId, ticketId) : join(this.root, tenantId, ticketId, id);
  }

  /** Writes the file whole or not at all (a temporary file renamed into place). */
  async write(tenantId: string, ticketId: string, id: string, bytes: Uint8Array): Promise<void> {
    const dir = this.#path(tenantId, ticketId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${id}.${randomToken(6)}.tmp`);
    await writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
    await rename(temp, this.#path(tenantId, ticketId, id));
  }

  read(tenantId: string, ticketId: string, id: string): Promise<Buffer> {
    return readFile(this.#path(tenantId, ticketId, id));
  }

  async remove(tenantId: string, ticketId: string, id: string): Promise<void> {
    await rm(this.#path(tenantId, ticketId, id), { force: true });
  }
}
