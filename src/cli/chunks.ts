// Output written as it is made: pieces gathered into chunks of at least 64 KiB (few, large writes),
// each handed to a sink that may wait (standard output's back-pressure, a file). What stays
// unwritten at any moment is one chunk, whatever the size of the whole output.
import type { IO } from './io.js';

export const CHUNK = 64 * 1024;

export type ChunkSink = (chunk: string) => unknown;
/** Where chunks end up: text, or bytes in an encoding other than UTF-8 (export --encoding). */
export type ByteSink = (chunk: string | Uint8Array) => unknown;

export class ChunkedOutput {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: ChunkSink, private readonly chunk = CHUNK) {}

  /** Adds a piece; hands a chunk to the sink (and waits for it) once enough has gathered. */
  write = async (text: string): Promise<void> => {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunk) await this.flush();
  };

  /** Hands what has gathered to the sink. Call it once the output is complete. */
  async flush(): Promise<void> {
    if (!this.size) return;
    const chunk = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.sink(chunk);
  }
}

type Writable = IO['stdout'] & { once?: (event: string, fn: () => void) => unknown; off?: (event: string, fn: () => void) => unknown };

/**
 * A sink writing to a stream (standard output): when the stream says its buffer is full, the next
 * chunk waits for 'drain'. A closed pipe (EPIPE) is handled where it always was (io.ts).
 */
export function streamSink(stream: Writable): ByteSink {
  return (chunk) => {
    if (stream.write(chunk) !== false || typeof stream.once !== 'function') return;
    return new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['drain', 'close', 'error']) stream.off?.(event, done);
        resolve();
      };
      for (const event of ['drain', 'close', 'error']) stream.once!(event, done);
    });
  };
}
