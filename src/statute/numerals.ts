// Small numbers as people write them, in digits or Chinese numerals: a month, a day, an hour, a minute, a
// line of a list. One reader for the bot's words and the console's fields.

/** A Chinese numeral's value (两 is 2, 〇 is 零); -1 for any other character. */
export const numeralValue = (ch: string): number =>
  ch === '两' ? 2 : ch === '〇' ? 0 : '零一二三四五六七八九'.indexOf(ch);

/** A number below 100 in digits or Chinese numerals: 9, 09, 九, 十二, 二十三, 零五, 零; null for anything else. */
export function smallNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^[零〇]?([一二两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (!m || text === '') return null;
  const [, before = '', ten, after = ''] = m;
  if (ten === '') return after !== '' ? null : before === '' ? 0 : numeralValue(before);
  return (before === '' ? 1 : numeralValue(before)) * 10 + (after === '' ? 0 : numeralValue(after));
}
