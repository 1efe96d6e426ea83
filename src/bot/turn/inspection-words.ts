import type { Reply } from '../../messaging/index.ts';
import { addToInspectionRequest } from '../../services/activities/index.ts';
import { YES_NO } from '../dialog/wording.ts';
import type { TurnScope } from './scope.ts';

// 视察 as deputies say it (山西 第二十二条; 大同 第十二条, S17). "我想去看看城关镇的污水处理厂": a wish to see a
// place is offered as a 视察 request, asked first. "下周吧", "下个月初", "越快越好" just after a request: when
// the deputy would like to go, said on its own; it goes into that request for the staff who arrange it,
// never read as a new errand.

const SEE = '(?:看看|看一看|看一下|瞧瞧|走走|转转|走访|考察一下|考察|调研一下)';
/**
 * "我想去看看城关镇的污水处理厂", "俺打算到开发区的工地转转", "我想去学校看看": going to see a place; the verb
 * before it is group 1, the place group 2, a verb after it group 3 (one of the two is needed).
 */
const TO_SEE_A_PLACE = new RegExp(
  `^(?:我|俺|本人)?(?:想|要|打算|准备|希望|计划)(?:去|到)?(?:实地)?(${SEE})?([^，。,.!！?？]{0,30}?(?:厂|站|场|工地|学校|医院|市场|项目|园区|社区|企业|公司|养老院|敬老院|中心|基地|水库|小区|村))(${SEE})?(?:吧|呢|啊|呀)?[。.！!]?$`,
);

/** Null unless the message is a wish to go and see a place: then a 视察 request is offered, 是 / 否. */
export function offerInspection(t: TurnScope, text: string): Reply | null {
  const m = TO_SEE_A_PLACE.exec(text.trim().replace(/\s+/g, ''));
  if (!m || (m[1] === undefined && m[3] === undefined)) return null;
  const content = `${m[1] ?? '看看'}${m[2]!}`;
  const question = `您是想申请视察“${content}”吗？`;
  t.conv.confirm = {
    commandId: 'inspection.request',
    word: '提交视察申请',
    args: { content },
    question,
    expiresAt: t.conversations.expiry(),
  };
  return {
    text: `${question}代表视察由代表工作机构联系安排（山西 第二十二条）。回复“是”提交视察申请，回复“否”不提交。`,
    buttons: YES_NO,
  };
}

const WHEN =
  '(?:(?:下下?|这|本)个?(?:周|星期|礼拜)[一二三四五六日天]?|下个?月(?:初|中|底|中旬|上旬|下旬)?|这个?月(?:底|中|下旬)|月(?:初|底|中)|年(?:前|后|底)|节(?:前|后)|过了年|明天|后天|大后天|(?:周|星期|礼拜)[一二三四五六日天]|\\d{1,2}月(?:\\d{1,2}[日号])?|\\d{1,2}[日号]|越快越好|越早越好|尽快|哪天都行|什么时候都行|啥时候都行|随时|工作日|周末)';
/** A when and nothing else ("下周吧", "时间就定在下个月初", "最好是周三上午"); the when is group 1. */
const WHEN_ONLY = new RegExp(
  `^(?:时间|日子|日期)?(?:就|最好|尽量|希望|想)?(?:是|在|定在|安排在|放在)?\\s*(${WHEN}(?:上午|下午)?(?:左右|前后|以前|之前|以后|之后)?)(?:吧|啊|呀|哈|都行|都可以|就行|行不|可以吗|最好|比较好|合适)*[。.！!～~]*$`,
);

/** Null unless the message is only a when, just after the deputy's 视察 request. */
export async function inspectionWhen(t: TurnScope, text: string): Promise<Reply | null> {
  const id = t.conv.inspection?.value;
  const when = id === undefined ? null : WHEN_ONLY.exec(text.trim().replace(/\s+/g, ''));
  if (id === undefined || !when) return null;
  const out = await addToInspectionRequest(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    id,
    words: `希望的时间：${when[1]}`,
  });
  return { text: out.text };
}
