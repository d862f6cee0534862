import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';

/** A file written as a stream: waits when the disk is slower than the producer; counts bytes. */
export class FileSink {
  private readonly stream: WriteStream;
  private written = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  get bytes(): number {
    return this.written;
  }

  async write(text: string): Promise<void> {
    this.written += Buffer.byteLength(text);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
