import type { AnswerFields } from '../db/repositories/suggestions.ts';
import { findDate } from '../src/bot/language/argument-parsers.ts';
import { splitLeadingOrgan } from '../src/services/suggestions/index.ts';

// An answer written in chat, by staff (答复) or by an organ's contact: the fields offices use, from their
// labels and the words people use for them; text before any label is what was done.

const LABELS: [RegExp, keyof AnswerFields | 'organ'][] = [
  [/^(?:已办理|已办|办理情况|已落实|已解决)$/, 'done'],
  [/^(?:计划|拟办|下一步|正在办理|计划办理)$/, 'planned'],
  [/^(?:落实时限|完成时限|办结时限|时限)$/, 'plannedBy'],
  [/^(?:不能办理|暂不能办理|不能办|无法办理|不能解决)$/, 'cannot'],
  [/^(?:原因|理由)$/, 'cannotReason'],
  [/^(?:签发人|签发|签发领导)$/, 'signedBy'],
  [/^(?:承办单位|答复单位|单位)$/, 'organ'],
];
const LABEL_RE =
  /(已办理|已办|办理情况|已落实|已解决|计划办理|计划|拟办|下一步|正在办理|落实时限|完成时限|办结时限|时限|暂不能办理|不能办理|不能办|无法办理|不能解决|原因|理由|签发人|签发领导|签发|承办单位|答复单位|单位)\s*[:：]/g;

// Words with no label are what was done, unless they say it is only planned ("列入明年计划") or cannot be
// done and why ("因资金原因今年暂时无法解决"): the deputy is never told a plan or a refusal was done.
const PLANNED = /列入|纳入|计划|拟于|拟在|将于|准备|下一步|逐步|正在(?:协调|推进|办理|研究)/;
const CANNOT = /无法|不能|暂不具备|不具备条件|难以|不予/;
const BECAUSE = /^(?:因为?|由于)(.+?)[，,、]?(?=今年|目前|暂时|暂|近期|无法|不能|难以)/;

function kindOfUnlabelled(head: string): Partial<AnswerFields> {
  const because = BECAUSE.exec(head);
  if (CANNOT.test(head) && because) {
    return { cannot: head.slice(because[0].length).trim(), cannotReason: because[1]!.trim() };
  }
  if (PLANNED.test(head) && !CANNOT.test(head)) return { planned: head };
  return { done: head };
}

export interface ParsedAnswer {
  organ?: string;
  fields: AnswerFields;
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
  const body = lead.rest;
  const fields: AnswerFields = {
    done: null,
    planned: null,
    plannedBy: null,
    cannot: null,
    cannotReason: null,
    signedBy: null,
  };
  let organ = lead.organ;
  const marks = [...body.matchAll(LABEL_RE)];
  const head = body
    .slice(0, marks[0]?.index ?? body.length)
    .trim()
    .replace(/[;；,，]+$/, '');
  if (head !== '') Object.assign(fields, kindOfUnlabelled(head));
  for (const [i, m] of marks.entries()) {
    const end = marks[i + 1]?.index ?? body.length;
    const value = body
      .slice(m.index! + m[0].length, end)
      .trim()
      .replace(/[;；,，。]+$/, '');
    const field = LABELS.find(([re]) => re.test(m[1]!))![1];
    if (value === '') continue;
    if (field === 'organ') organ = value;
    else if (field === 'plannedBy') {
      const d = findDate(value, today);
      if (!d?.result.ok) return { error: `看不懂落实时限“${value}”，请写成 2027-03-01 或 2027年3月1日` };
      fields.plannedBy = d.result.value;
    } else fields[field] = fields[field] ? `${fields[field]}；${value}` : value;
  }
  return { ...(organ !== undefined ? { organ } : {}), fields };
}
