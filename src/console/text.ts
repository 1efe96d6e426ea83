// Times and small labels as staff read them, in APP_TIMEZONE.

export function dateTime(at: Date | string | null, timeZone: string): string {
  if (at === null) return '';
  const d = at instanceof Date ? at : new Date(at);
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A list's title for an item without one: the first line of its content, shortened. */
export function firstLine(text: string, max = 30): string {
  const line = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
