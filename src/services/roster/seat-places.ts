import { listSeatPlaces } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';

// "我是哪个小组的", "我们组长是谁", "联络站在哪": where the deputy sits on the roster — the groups of 大同
// 第三条 (S1) and the station of 山西 第二十八条 — with who leads each. The station's address and hours are
// published by the station (山西 第三十条(三)), not held here.

/** The deputy's groups and station, per congress, as they read it; null when they hold no live seat. */
export async function seatPlacesText(deps: Pick<Deps, 'db'>, personId: number): Promise<string | null> {
  const seats = await listSeatPlaces(deps.db, personId);
  if (seats.length === 0) return null;
  const led = (name: string | null, leader: string | null, title: string, none: string) =>
    name ? `${name}${leader ? `（${title}：${leader}）` : ''}` : none;
  const blocks = seats.map((s) =>
    [
      `您在${s.congressName}：`,
      `代表小组：${led(s.smallGroup, s.smallGroupLeader, '组长', '还没有编入代表小组')}`,
      `代表大组：${led(s.largeGroup, s.largeGroupLeader, '组长', '还没有编入代表大组')}`,
      `代表联络站：${led(s.station, s.stationHead, '站长', '还没有编入代表联络站')}`,
    ].join('\n'),
  );
  return `${blocks.join('\n')}\n联络站的地址和开放时间以站里公布的为准，也可以问代表工作机构；编组有误请告诉代表工作机构。`;
}
