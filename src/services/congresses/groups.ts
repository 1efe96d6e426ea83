import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import { findCongressByName, listCongresses } from '../../../db/repositories/congresses.ts';
import {
  deleteBinding,
  findGroupsByName,
  insertGroup,
  isLeaderCandidate,
  listBindings,
  listGroupsWithBindings,
  setGroupLeader,
  upsertBinding,
} from '../../../db/repositories/groups.ts';
import { findPeopleByAnyIdIn } from '../../../db/repositories/people.ts';
import type { BindingKind, Channel, GroupKind } from '../../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Principal } from './principal.ts';

// Deputy groups and how pushes reach them: a WeCom group robot (webhook key) or an app-created chat,
// a DingTalk custom robot (webhook access token + signing secret) or the enterprise robot's
// openConversationId. 大同 第六条 (S1) reminders go to the group's leader.

const bindingValue = z.string().trim().max(512).nullable().optional();

export const groupPutSchema = z
  .object({
    congress: z.string().trim().min(1).optional(),
    kind: z.enum(['large', 'small', 'staff']).optional(),
    wecomWebhookKey: bindingValue,
    wecomChatId: bindingValue,
    dingtalkWebhookToken: bindingValue,
    dingtalkSecret: bindingValue,
    dingtalkOpenConversationId: bindingValue,
    /** A group chat WeCom's intelligent robot is in: its chatid (logged when the robot is @-mentioned there). */
    wecomBotChatId: bindingValue,
    leader: z.string().trim().max(64).nullable().optional(),
    /** The leader by id (leader.personId of GET /api/groups): one in office in the group's congress. */
    leaderPersonId: z.number().int().positive().nullable().optional(),
  })
  .strict()
  .refine((v) => v.leader === undefined || v.leaderPersonId === undefined, {
    message: '字段「leader」和「leaderPersonId」只能填一个',
  });

export type GroupPut = z.infer<typeof groupPutSchema>;

/** The fields that take a robot's webhook address: its path, and the parameter whose value is kept. */
const WEBHOOKS = {
  wecomWebhookKey: { path: '/cgi-bin/webhook/send', param: 'key' },
  dingtalkWebhookToken: { path: '/robot/send', param: 'access_token' },
} as const;

const PLAIN = /^[A-Za-z0-9._~+/=-]+$/;

/**
 * What a binding field's value means: the address kept (a webhook field takes the robot's whole address,
 * as staff paste it, or the key / access token it carries), or why it is none — `webhook`: an address that
 * is not this field's robot's (another platform's, a page's), `chars`: what no key or id holds (spaces,
 * Chinese, quotes). A webhook's host is not checked: a private WeCom deployment has its own.
 */
export function readBindingAddress(
  field:
    | 'wecomWebhookKey'
    | 'wecomChatId'
    | 'dingtalkWebhookToken'
    | 'dingtalkOpenConversationId'
    | 'wecomBotChatId',
  value: string,
): { ok: true; address: string } | { ok: false; problem: 'webhook' | 'chars' } {
  const hook = (WEBHOOKS as Partial<Record<string, { path: string; param: string }>>)[field];
  let address = value;
  if (hook && /^https?:\/\//i.test(value)) {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // not an address at all
    }
    const kept = url?.pathname.replace(/\/+$/, '') === hook.path ? url.searchParams.get(hook.param) : null;
    if (!kept) return { ok: false, problem: 'webhook' };
    address = kept;
  }
  return PLAIN.test(address) ? { ok: true, address } : { ok: false, problem: 'chars' };
}

export interface GroupView {
  id: number;
  name: string;
  kind: GroupKind;
  congress: string;
  leader: { personId: number; name: string } | null;
  members: number;
  /** Which bindings are set; never their keys or secrets. */
  bindings: {
    wecomRobot: boolean;
    wecomAppchat: boolean;
    dingtalkRobot: boolean;
    dingtalkRobotSigned: boolean;
    dingtalkConversation: boolean;
    /** A group chat WeCom's intelligent robot (智能机器人) is in. */
    wecomBot: boolean;
  };
}

export async function listGroupViews(db: Db, by: Principal): Promise<GroupView[]> {
  const { groups, bindings } = await listGroupsWithBindings(db, by.congressId);
  const byGroup = new Map<number, { kind: BindingKind; signed: boolean }[]>();
  for (const b of bindings) {
    const list = byGroup.get(b.group_id) ?? [];
    list.push({ kind: b.kind, signed: b.secret !== null && b.secret !== '' });
    byGroup.set(b.group_id, list);
  }
  return groups.map((g) => {
    const bs = byGroup.get(g.id) ?? [];
    const has = (k: BindingKind) => bs.some((b) => b.kind === k);
    return {
      id: g.id,
      name: g.name,
      kind: g.kind,
      congress: g.congress,
      leader:
        g.leader_person_id !== null ? { personId: g.leader_person_id, name: g.leader_name ?? '' } : null,
      members: Number(g.members ?? 0),
      bindings: {
        wecomRobot: has('wecom_robot'),
        wecomAppchat: has('wecom_appchat'),
        dingtalkRobot: has('dingtalk_robot'),
        dingtalkRobotSigned: bs.some((b) => b.kind === 'dingtalk_robot' && b.signed),
        dingtalkConversation: has('dingtalk_conversation'),
        wecomBot: has('wecom_bot'),
      },
    };
  });
}

const BINDINGS: {
  field: Parameters<typeof readBindingAddress>[0];
  kind: BindingKind;
  channel: Channel;
  /** The robot a webhook field's address belongs to, as its message names it. */
  robot?: string;
}[] = [
  { field: 'wecomWebhookKey', kind: 'wecom_robot', channel: 'wecom', robot: '企业微信群机器人' },
  { field: 'wecomChatId', kind: 'wecom_appchat', channel: 'wecom' },
  { field: 'dingtalkWebhookToken', kind: 'dingtalk_robot', channel: 'dingtalk', robot: '钉钉自定义机器人' },
  { field: 'dingtalkOpenConversationId', kind: 'dingtalk_conversation', channel: 'dingtalk' },
  { field: 'wecomBotChatId', kind: 'wecom_bot', channel: 'wecom' },
];

/** Finds the group a PUT names, or decides to create it; a name in several congresses needs "congress". */
async function resolveGroup(db: Db, by: Principal, name: string, input: GroupPut) {
  let congressId: number | null = by.congressId;
  if (input.congress) {
    const c = await findCongressByName(db, input.congress);
    if (!c) throw new AppError('invalid_body', `没有名为「${input.congress}」的人大`);
    if (by.congressId !== null && c.id !== by.congressId)
      throw new AppError('forbidden', '您的令牌只能管理所属人大');
    congressId = c.id;
  }
  const found = await findGroupsByName(db, name, congressId);
  if (found.length > 1) {
    throw new AppError(
      'invalid_body',
      `有多个人大都有名为「${name}」的小组（${found.map((g) => g.congress).join('、')}），请用字段「congress」指明`,
    );
  }
  if (found[0]) {
    if (input.kind && input.kind !== found[0].kind) {
      throw new AppError(
        'conflict',
        `小组「${name}」已存在，类型为 ${found[0].kind}，不能改为 ${input.kind}`,
      );
    }
    return { group: found[0], created: false };
  }
  if (!input.kind)
    throw new AppError(
      'invalid_body',
      `还没有名为「${name}」的小组；新建时字段「kind」必须填写（large/small/staff）`,
    );
  if (congressId === null) {
    const all = await listCongresses(db);
    if (all.length !== 1) {
      throw new AppError(
        'invalid_body',
        '新建小组时字段「congress」必须填写（系统中不止一个人大，或还没有人大）',
      );
    }
    congressId = all[0]!.id;
  }
  const id = await insertGroup(db, { congressId, name, kind: input.kind });
  return {
    group: { id, congress_id: congressId, name, kind: input.kind, leader_person_id: null },
    created: true,
  };
}

export async function putGroup(
  deps: { db: Db; clock: Clock },
  by: { principal: Principal; actor: string; requestId: string | null },
  rawName: string,
  input: GroupPut,
): Promise<{ group: GroupView; created: boolean }> {
  const name = rawName.trim();
  if (name === '' || name.length > 100)
    throw new AppError('bad_request', '小组名称不能为空，且不超过 100 字');
  const at = deps.clock.now();
  const { groupId, created } = await deps.db.transaction().execute(async (trx) => {
    const { group, created } = await resolveGroup(trx, by.principal, name, input);
    const existing = await listBindings(trx, group.id);
    const changed: string[] = [];
    for (const b of BINDINGS) {
      const v = input[b.field] as string | null | undefined;
      if (v === undefined) continue;
      changed.push(b.field);
      if (v === null || v === '') {
        await deleteBinding(trx, group.id, b.kind);
        continue;
      }
      const read = readBindingAddress(b.field, v);
      if (!read.ok)
        throw new AppError(
          'invalid_body',
          read.problem === 'webhook'
            ? `字段「${b.field}」不是${b.robot}的 Webhook 地址，也不是其中的 ${WEBHOOKS[b.field as keyof typeof WEBHOOKS].param}`
            : `字段「${b.field}」含有不允许的字符`,
        );
      const address = read.address;
      // Replacing the DingTalk robot keeps its secret unless a new one is given.
      const keepSecret =
        b.kind === 'dingtalk_robot' ? (existing.find((e) => e.kind === b.kind)?.secret ?? null) : null;
      await upsertBinding(
        trx,
        { groupId: group.id, channel: b.channel, kind: b.kind, address, secret: keepSecret },
        at,
      );
    }
    if (input.dingtalkSecret !== undefined) {
      changed.push('dingtalkSecret');
      const robot = (await listBindings(trx, group.id)).find((e) => e.kind === 'dingtalk_robot');
      if (!robot) {
        throw new AppError(
          'invalid_body',
          '字段「dingtalkSecret」是钉钉自定义机器人的加签密钥，请同时填写 dingtalkWebhookToken',
        );
      }
      const secret = input.dingtalkSecret === '' ? null : input.dingtalkSecret;
      await upsertBinding(
        trx,
        { groupId: group.id, channel: 'dingtalk', kind: 'dingtalk_robot', address: robot.address, secret },
        at,
      );
    }
    let leaderChange: { before: number | null; after: number | null } | null = null;
    if (input.leaderPersonId !== undefined) {
      changed.push('leader');
      // Checked in the group's own congress: someone of another congress, or nobody, gets the same answer.
      if (input.leaderPersonId !== null && !(await isLeaderCandidate(trx, group.id, input.leaderPersonId)))
        throw notALeader(group.kind);
      await setGroupLeader(trx, group.id, input.leaderPersonId, at);
      leaderChange = { before: group.leader_person_id, after: input.leaderPersonId };
    }
    if (input.leader !== undefined) {
      changed.push('leader');
      let leaderId: number | null = null;
      if (input.leader) {
        // Only someone who holds a seat in the group's own congress: a person of another congress is
        // "not found" exactly as one who exists nowhere, so the answer tells nothing of them.
        const people = await findPeopleByAnyIdIn(trx, input.leader, group.congress_id);
        if (people.length === 0)
          throw new AppError(
            'invalid_body',
            `找不到负责人「${input.leader}」（按企业微信账号、钉钉账号或手机查找）`,
          );
        if (people.length > 1)
          throw new AppError('invalid_body', `「${input.leader}」对应了不止一个人，请换用其他账号`);
        leaderId = people[0]!.id;
        // Found by an id of theirs, but a leader holds a seat in force of the group's kind, as when chosen.
        if (!(await isLeaderCandidate(trx, group.id, leaderId))) throw notALeader(group.kind);
      }
      await setGroupLeader(trx, group.id, leaderId, at);
      leaderChange = { before: group.leader_person_id, after: leaderId };
    }
    // The audit row names what changed, never a key or a secret.
    await writeAudit(trx, {
      actor: by.actor,
      action: created ? 'group.create' : 'group.update',
      subjectType: 'group',
      subjectId: group.id,
      detail: { name, kind: group.kind, changed },
      requestId: by.requestId,
      // Who led before and after; bindings are named in `changed` only, their addresses being secrets.
      ...(leaderChange && {
        before: { leaderPersonId: leaderChange.before },
        after: { leaderPersonId: leaderChange.after },
      }),
    });
    return { groupId: group.id, created };
  });
  const views = await listGroupViews(deps.db, by.principal);
  const group = views.find((g) => g.id === groupId);
  if (!group) throw new AppError('internal', '小组已保存，但读取失败');
  return { group, created };
}

/** Why the leader asked for cannot lead the group: not in office there, or not of the group's kind. */
function notALeader(kind: GroupKind): AppError {
  return new AppError(
    'invalid_body',
    kind === 'staff'
      ? '所选的负责人不是本人大在任的工作人员，负责人没有改动，本次也没有保存其他修改。'
      : '所选的负责人不是本人大的在任代表，负责人没有改动，本次也没有保存其他修改。',
  );
}
