import { readFileSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/bot/language/normalize.ts';
import { readBySound, readStartBySound, SOUND_WORDS } from '../../src/bot/language/sound.ts';
import { readingsModule } from '../../tools/readings-table.ts';

// The serving process reads same-sound slips from a table made ahead of time from pinyin-pro's dictionary
// (tools/readings-table.ts), not from the dictionary itself. The table must be what the dictionary and the
// words read by sound give today, or a word added to sound.ts would be read by the wrong sounds.

describe('the table of readings', () => {
  it('is what pinyin-pro and the words read by sound make of it (npm run readings writes it again)', () => {
    const committed = readFileSync(
      new URL('../../src/bot/language/readings-table.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(readingsModule());
  });

  it('holds every character of the words read by sound, with all of its readings', () => {
    const table = readingsModule();
    const chars = [...new Set(SOUND_WORDS.join(''))];
    expect(chars.length).toBeGreaterThan(40);
    for (const ch of chars) {
      const all = pinyin(ch, { toneType: 'none', type: 'array', multiple: true })
        .map((s) => s.replace(/ü/g, 'v'))
        .join(',');
      expect(table, ch).toContain(`${ch}${all}`);
    }
  });

  it('reads slips by sound as the whole dictionary did: a character of another sound never matches', () => {
    // 意 yi, 医 yi, 衣 yi: each may stand for 议 in 建议; 猫 mao and 狗 gou are in no word's sound.
    expect(readBySound(normalize('建医 建衣 建猫')).text).toBe('建议 建议 建猫');
    // A character read two ways (调 tiao/diao, 查 cha/zha) is found by either reading.
    expect(readBySound(normalize('查巡 挑研')).text).toBe('查询 调研');
    expect(readStartBySound(normalize('tiaoyan 下周')).text).toBe('调研 下周');
    expect(readStartBySound(normalize('gouyi 下周')).text).toBe('gouyi 下周');
  });
});
