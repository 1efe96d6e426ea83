import type { AnswerFields } from '../db/repositories/suggestions.ts';
import { findDate } from '../src/bot/language/argument-parsers.ts';
import { splitLeadingOrgan } from '../src/services/suggestions/index.ts';

// An answer written in chat, by staff (答复) or by an organ's contact: the fields offices use, from their
// labels and the words people use for them; text before any label is what was done.

// Each field's labels as offices write them, longest first where one holds another (下一步计划 before 计划,
// 已办理情况 before 已办理): a label is only read whole, so "下一步计划：…" never leaves 下一步 behind as work done.
const LABEL_WORDS: [keyof ParsedParts, string[]][] = [
  [
    'done',
    ['已办理情况', '已办理事项', '办理情况', '办理结果', '落实情况', '已办理', '已办', '已落实', '已解决'],
  ],
  [
    'planned',
    [
      '下一步工作计划',
      '下一步计划',
      '下一步打算',
      '下一步工作',
      '下一步措施',
      '下步计划',
      '下步工作',
      '工作计划',
      '办理计划',
      '计划办理',
      '计划',
      '拟办',
      '下一步',
      '正在办理',
    ],
  ],
  ['plannedBy', ['落实时限', '完成时限', '办结时限', '时限']],
  ['cannot', ['暂不能办理', '不能办理', '不能办', '无法办理', '不能解决']],
  ['cannotReason', ['原因', '理由']],
  ['signedBy', ['签发人', '签发领导', '签发']],
  ['organ', ['承办单位', '答复单位', '单位']],
  ['contact', ['联系人', '联系电话', '联系方式']],
  ['docNo', ['文号']],
];
const FIELD_OF = new Map(LABEL_WORDS.flatMap(([field, words]) => words.map((w) => [w, field] as const)));
// A label may carry the ordinal a 公文 numbers its parts with (一、 （二） 3.), which is no part of any field.
const LABEL_RE = new RegExp(
  `(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\\d]{1,3}[)）]|\\d{1,2}[、.．])?\\s*(${[
    ...FIELD_OF.keys(),
  ]
    .sort((a, b) => b.length - a.length)
    .join('|')})\\s*[:：]`,
  'g',
);

const ONE_LABEL = new RegExp(LABEL_RE.source);
/** The text names a part of an answer by its label ("下一步计划：…", "联系人：…"). */
export const hasAnswerLabel = (text: string): boolean => ONE_LABEL.test(withContactColon(text));

/** "联系人 王五 138…" (a word of its own, no colon): clerks often leave the colon out of this label. */
const CONTACT_NO_COLON = /(?<=^|[\s，,。；;])(联系人|联系电话|联系方式)(?![:：])\s*(?=[^\s:：])/g;

/** The contact labels written without a colon, given one, so they are read as labels. */
export const withContactColon = (text: string): string => text.replace(CONTACT_NO_COLON, '$1：');

// Words with no label are what was done, unless they say it is only planned ("列入明年计划") or cannot be
// done and why ("因资金原因今年暂时无法解决"): the deputy is never told a plan or a refusal was done.
const PLANNED = /列入|纳入|计划|拟于|拟在|将于|准备|下一步|逐步|正在(?:协调|推进|办理|研究)/;
const CANNOT = /无法|不能|暂不具备|不具备条件|难以|不予/;
const BECAUSE = /^(?:因为?|由于)(.+?)[，,、]?(?=今年|目前|暂时|暂|近期|无法|不能|难以)/;
/** A clause that begins with a plan: "计划明年…", "下一步将…", "并列入…". */
const PLAN_FIRST = '(?:并|还|另外|同时)?(?:列入|纳入|计划|拟于|拟在|将于|准备|下一步|下步|逐步)';
const PLAN_CLAUSE = new RegExp(`^${PLAN_FIRST}`);
const CLAUSES = new RegExp(`[。；;！!\\n]+|[，,](?=${PLAN_FIRST})`);
/** A lead-in at the end of a clause (经研究，列入明年计划): it belongs to the plan after it, not to work done. */
const LEAD_IN = /(?:^|[，,])(经[^，,]{1,8})[，,]?$/;

/**
 * "已更换路灯12盏，并对线路进行了全面检修，计划明年3月底前完成全街路灯改造": what was done and what is planned
 * told in one breath, each clause where it belongs (else the deputy would read the work done as a mere
 * plan, or a plan as done); null when it is of one kind only.
 */
function donePlanned(text: string): { done: string; planned: string } | null {
  const done: string[] = [];
  const planned: string[] = [];
  for (const c of text.split(CLAUSES)) {
    const clause = c.trim().replace(/^[，,]+|[，,]+$/g, '');
    if (clause === '') continue;
    if (!PLAN_CLAUSE.test(clause)) {
      done.push(clause);
      continue;
    }
    const lead = LEAD_IN.exec(done.at(-1) ?? '');
    if (!lead) planned.push(clause);
    else {
      const before = done.pop()!.slice(0, lead.index);
      if (before !== '') done.push(before);
      planned.push(`${lead[1]}，${clause}`);
    }
  }
  return planned.length === 0 || done.length === 0
    ? null
    : { done: done.join('，'), planned: planned.join('，') };
}

function kindOfUnlabelled(head: string): Partial<AnswerFields> {
  const because = BECAUSE.exec(head);
  if (CANNOT.test(head) && because) {
    return { cannot: head.slice(because[0].length).trim(), cannotReason: because[1]!.trim() };
  }
  if (CANNOT.test(head)) return { done: head };
  return donePlanned(head) ?? (PLANNED.test(head) ? { planned: head } : { done: head });
}

/** What labels may name: the fields, the organ answering, its contact and the 文号. */
type ParsedParts = AnswerFields & { organ: string; contact: string; docNo: string };

export interface ParsedAnswer {
  organ?: string;
  fields: AnswerFields;
  /** 联系人：… and 文号：…, kept apart so they never run on in the field before them. */
  contact?: string;
  docNo?: string;
}

/**
 * "市交通局：已办理：… 计划：… 落实时限：2027-03-01 不能办理：… 原因：… 签发人：…" → the fields. Text before
 * any label is what was done; a leading organ name (one of `organs`) says which organ answers.
 */
export function parseAnswerText(
  text: string,
  organs: string[],
  today: string,
): ParsedAnswer | { error: string } {
  const lead = splitLeadingOrgan(text, organs);
  const body = withContactColon(lead.rest);
  const fields: AnswerFields = {
    done: null,
    planned: null,
    plannedBy: null,
    cannot: null,
    cannotReason: null,
    signedBy: null,
  };
  const apart: { organ?: string; contact?: string; docNo?: string } = {};
  if (lead.organ !== undefined) apart.organ = lead.organ;
  const marks = [...body.matchAll(LABEL_RE)];
  const head = body
    .slice(0, marks[0]?.index ?? body.length)
    .trim()
    .replace(/[;；,，、]+$/, '');
  const add = (field: keyof Omit<AnswerFields, 'plannedBy'>, value: string) => {
    fields[field] = fields[field] ? `${fields[field]}；${value}` : value;
  };
  if (head !== '') Object.assign(fields, kindOfUnlabelled(head));
  for (const [i, m] of marks.entries()) {
    const end = marks[i + 1]?.index ?? body.length;
    const value = body
      .slice(m.index! + m[0].length, end)
      .trim()
      .replace(/[;；,，。、]+$/, '');
    const field = FIELD_OF.get(m[1]!)!;
    if (value === '') continue;
    if (field === 'organ') apart.organ = value;
    // 联系人 and 联系电话 given apart are one contact.
    else if (field === 'contact' || field === 'docNo')
      apart[field] = apart[field] ? `${apart[field]}，${value}` : value;
    else if (field === 'plannedBy') {
      const d = findDate(value, today);
      if (!d?.result.ok) return { error: `看不懂落实时限“${value}”，请写成 2027-03-01 或 2027年3月1日` };
      fields.plannedBy = d.result.value;
    } else if (field === 'done' && !CANNOT.test(value)) {
      // A plan told on after the work done under 已办理 ("…，下一步将于明年完成") is a plan.
      const dp = donePlanned(value);
      add('done', dp?.done ?? value);
      if (dp) add('planned', dp.planned);
    } else add(field, value);
  }
  return { ...apart, fields };
}
