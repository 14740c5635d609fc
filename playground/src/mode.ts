/** Whether the text is a policy.json rather than a .trust program (JSON starts with `{`). */
export function isPolicyJson(text: string): boolean {
  return /^\s*\{/.test(text);
}
