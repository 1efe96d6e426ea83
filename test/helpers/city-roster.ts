import type { Db } from '../../db/client.ts';
import type { MandateRole } from '../../db/schema.ts';
import type { Clock } from '../../src/clock.ts';
import { seedCongress, seedOrgan, seedPeople, seedSessionAhead } from './seed.ts';

// The city congress as most chat tests seat it: its deputies, then 李四 (LiSi), who gives the staff's
// commands, then (when asked for) 市住建局 with 周科长 (WeCom ZhuJian) as its contact and a session a month
// ahead, so 请假 has something to ask leave from.

/** The city's deputies the chat tests seat, by WeCom id: their names. */
export const CITY_DEPUTIES: Readonly<Record<string, string>> = {
  ZhangSan: '张三',
  WangEr: '王二',
  WangWu: '王五',
  LiXiuYing: '李秀英',
  ZhaoLiu: '赵六',
  QianQi: '钱七',
  SunBa: '孙八',
  ZhouQi: '周七',
  ZhouJiu: '周九',
  WuShi: '吴十',
  ZhengYi: '郑一',
  // The elderly, the busy and the careless deputy, and two more who write as they speak.
  ZhangDaYe: '张大爷',
  WangMang: '王忙',
  LiMaHu: '李马虎',
  ZhaoLaoShi: '赵老师',
  QianDaJie: '钱大姐',
};

export interface CityRoster {
  /** The deputies by WeCom id (named as in CITY_DEPUTIES), seated in this order. */
  deputies: readonly string[];
  /** 李四's role (staff unless given). */
  liSi?: MandateRole;
  /** 市住建局, its contact 周科长 on WeCom as ZhuJian. */
  zhujian?: boolean;
  /** A session of the city congress a month after the clock's today. */
  sessionAhead?: boolean;
}

/** Seats the city congress's roster; the congress's id. */
export async function seedCityRoster(deps: { db: Db; clock: Clock }, roster: CityRoster): Promise<number> {
  const city = await seedCongress(deps.db);
  const named = roster.deputies.map((wecom) => {
    const name = CITY_DEPUTIES[wecom];
    if (!name) throw new Error(`no deputy ${wecom} in CITY_DEPUTIES`);
    return [name, wecom] as const;
  });
  await seedPeople(deps.db, city, named);
  await seedPeople(deps.db, city, [['李四', 'LiSi']], roster.liSi ?? 'staff');
  if (roster.zhujian)
    await seedOrgan(deps.db, '市住建局', { name: '周科长', wecom: 'ZhuJian' }, deps.clock.now());
  if (roster.sessionAhead) await seedSessionAhead(deps);
  return city;
}

/** 市交通局 (刘科长, on WeCom as JiaotongLiu) and 市公安局 (赵科长, on no platform), each with a mobile. */
export async function seedTrafficAndPolice(db: Db, at: Date): Promise<void> {
  await seedOrgan(db, '市交通局', { name: '刘科长', mobile: '13800000001', wecom: 'JiaotongLiu' }, at);
  await seedOrgan(db, '市公安局', { name: '赵科长', mobile: '13800000002' }, at);
}
