// How apply and roster name a roster read from a path or from standard input.

/** The name a roster read from FILE goes by in messages. */
export function rosterName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}
