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
