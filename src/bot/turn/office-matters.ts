import type { Reply } from '../../messaging/index.ts';
import { type OfficeMatter, passWordToOffice } from '../../services/congresses/index.ts';
import { seatPlacesText } from '../../services/roster/index.ts';
import { asksSeatPlaces, officeMatterOf } from '../language/office-matters.ts';
import type { TurnScope } from './scope.ts';

// A deputy asking what only the office can do: told what the office does and that their words went to it;
// the staff receive the words as written (services/congresses/office-word.ts). And what the office holds of
// them: "我是哪个小组的", "组长是谁", "联络站在哪".

const WHAT_THE_OFFICE_DOES: Readonly<Record<OfficeMatter, string>> = {
  代表证: '代表证的补办、更换由代表工作机构办理，这里办不了。',
  联系方式: '联系方式由代表工作机构登记，这里不能直接修改。',
  // 山西 第四十八条: a resignation is made in writing, to the standing committee between sessions.
  辞去代表职务:
    '辞去代表职务要书面提出：闭会期间向本级人大常委会提出，开会期间向大会主席团提出（山西 第四十八条），这里不能办理。',
  会议材料: '会议材料由代表工作机构发放，这里暂时不能发文件。',
};

/** Null unless a deputy asks what only the office can do. */
export async function officeMatter(t: TurnScope, text: string): Promise<Reply | null> {
  const about = officeMatterOf(text);
  if (!about) return null;
  const told = await passWordToOffice(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    inboundId: t.ctx.inboundId,
    about,
    words: text.trim(),
  });
  const passed = told > 0 ? '您的话已原样转告代表工作机构，他们会和您联系。' : '请直接联系代表工作机构办理。';
  return { text: `${WHAT_THE_OFFICE_DOES[about]}${passed}` };
}

/** Null unless a deputy asks which group or station they are in, or who leads it. */
export async function seatPlaces(t: TurnScope, text: string): Promise<Reply | null> {
  if (!asksSeatPlaces(text)) return null;
  const places = await seatPlacesText(t.ctx.deps, t.ctx.sender.personId);
  return places ? { text: places } : null;
}
