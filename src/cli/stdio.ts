/**
 * The executable's standard output and error, written with `fs.writeSync` on the file descriptor.
 *
 * Why not `process.stdout`: creating it builds a stream object (a SyncWriteStream for a file, a net.Socket for a
 * pipe, a tty.WriteStream for a terminal), which loads Node's stream, net and tty modules — ~10–15 ms of a
 * `validate` whose whole output is one line. A blocking write of the text needs none of that, and is what Node does
 * for files and terminals anyway. The stream is still used where a blocking write cannot be: when the descriptor is
 * non-blocking (EAGAIN, e.g. a pipe shared with a process that set O_NONBLOCK), that write and every later one go
 * through `process.stdout` / `process.stderr`, in order.
 *
 * A reader that closes the pipe (`imagetrust … | head -1`): EPIPE (or ECONNRESET on a socket pair) ends the run
 * quietly with status 141, as a Unix tool killed by SIGPIPE (main.ts does the same for the streams' 'error' event).
 */
import { fstatSync, statSync, writeSync, type Stats } from "node:fs";
import type { TextSink } from "./io.js";

/** 128 + SIGPIPE: the status of a run whose reader went away. */
export const EXIT_BROKEN_PIPE = 141;

/**
 * Whether a write failed because the reader went away: EPIPE for a pipe; ECONNRESET for the socket pair a Node
 * parent hands its child as "pipe" (when the reader closed with data unread).
 */
export function readerGone(code: string | undefined): boolean {
  return code === "EPIPE" || code === "ECONNRESET";
}

/** A blocking writer on `fd`, falling back to `stream()` (created only then) for the rest of the run on EAGAIN. */
export class FdSink implements TextSink {
  private fallback: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd: 1 | 2,
    private readonly stream: () => NodeJS.WriteStream,
  ) {}

  write(text: string): boolean {
    if (this.fallback) return this.fallback.write(text);
    if (text.length === 0) return true;
    let written = 0;
    let bytes: Buffer | undefined;
    try {
      // Most writes are whole on the first call; a partial one (a pipe interrupted by a signal) continues on bytes.
      written = writeSync(this.fd, text);
      if (written === Buffer.byteLength(text, "utf8")) return true;
      bytes = Buffer.from(text, "utf8");
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
      return true;
    } catch (e) {
      const all = bytes ?? Buffer.from(text, "utf8");
      return this.writeFailed(e, written === 0 ? all : all.subarray(written));
    }
  }

  /** `bytes` written as they are (blocking), or copied to the fallback stream (the caller reuses them). */
  writeBytes(bytes: Uint8Array): boolean {
    if (this.fallback) return this.fallback.write(Buffer.from(bytes));
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
      return true;
    } catch (e) {
      return this.writeFailed(e, Buffer.from(bytes.subarray(written)));
    }
  }

  /**
   * A blocking write failed: a reader that went away ends the process as SIGPIPE would; a non-blocking descriptor
   * (EAGAIN) hands `rest` and every later write to the stream made for it; anything else is thrown.
   */
  private writeFailed(e: unknown, rest: Buffer): boolean {
    const code = (e as NodeJS.ErrnoException).code;
    if (readerGone(code)) process.exit(EXIT_BROKEN_PIPE);
    if (code !== "EAGAIN") throw e;
    this.fallback = this.stream();
    return this.fallback.write(rest);
  }

  /** Backpressure: only the fallback stream ever asks for it (a blocking write has finished when it returns). */
  once(event: "drain", listener: () => void): this {
    if (this.fallback) this.fallback.once(event, listener);
    else queueMicrotask(listener);
    return this;
  }

  /** Whether everything written has left the process (always, unless the fallback stream still holds some). */
  get flushed(): boolean {
    return this.fallback === undefined || this.fallback.writableLength === 0;
  }
}

/**
 * Whether `fd` is a terminal, without loading node:tty (and with it net and stream: ~140 page faults, ~5 ms) for the
 * common cases: a terminal is a character device, so a pipe or a file is answered from fstat alone, and so is
 * /dev/null, a character device that is never a terminal (`imagetrust validate … > /dev/null`, only the exit status
 * wanted).
 */
export async function isTerminal(fd: 1 | 2): Promise<boolean> {
  let device: Stats;
  try {
    device = fstatSync(fd);
    if (!device.isCharacterDevice()) return false;
  } catch {
    return false;
  }
  try {
    const devNull = statSync("/dev/null");
    if (devNull.isCharacterDevice() && devNull.rdev === device.rdev) return false;
  } catch {
    // no /dev/null (not a Unix): ask the terminal driver
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}
