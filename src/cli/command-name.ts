/** The command an argv names: its first argument that is not an option (undefined for none). */
export function commandName(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith("-"));
}
