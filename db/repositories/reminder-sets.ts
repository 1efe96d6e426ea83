import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { BindingKind } from '../schema.ts';

// The set-based reminder run (jobs/reminder-ledger.ts): a job's reminders are a query over the whole
// roster; the run stages what is new in temporary tables (dropped at commit) and writes the ledger rows,
// their digests and the digests' index in a few statements, whatever the size of the roster. Call every
// function here inside one transaction, after lockReminderRun.

/** One reminder a query yields: rule, period, target key ('person:1'), text, due and event day, sort. */
export interface CandidateRow {
  rule: string;
  period: string;
  target: string;
  text: string;
  due_on: string;
  event_on: string;
  sort: number;
}

/** A few reminders a job worked out itself, as a query (a JSON recordset, one parameter). */
export function candidatesFromList(
  rows: { rule: string; period: string; target: string; text: string; dueOn: string; eventOn: string }[],
): RawBuilder<CandidateRow> {
  const json = JSON.stringify(
    rows.map((r, i) => ({
      rule: r.rule,
      period: r.period,
      target: r.target,
      text: r.text,
      due_on: r.dueOn,
      event_on: r.eventOn,
      sort: i,
    })),
  );
  return sql<CandidateRow>`select r.rule, r.period, r.target, r.text, r.due_on, r.event_on, r.sort
    from jsonb_to_recordset(${json}::jsonb)
      as r(rule text, period text, target text, text text, due_on text, event_on text, sort bigint)`;
}

/** A JSON value as a query parameter (a list of ids, a recordset of a rule's instances). */
export const jsonParam = (v: unknown): RawBuilder<unknown> => sql`${JSON.stringify(v)}::jsonb`;

/** Ids given as a JSON array, as a set to test membership: `x in ${idSet(ids)}`. */
export const idSet = (ids: readonly number[]): RawBuilder<unknown> =>
  sql`(select value::int from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * The group binding kinds the service can send through, in the order of preference, as a text array: a
 * binding's place in it orders a group's chats, and a kind missing from it (the intelligent robot's chat
 * with no robot configured) is never used. The caller passes usableGroupKinds of the notices domain.
 */
const kindOrder = (kinds: readonly BindingKind[]): RawBuilder<unknown> =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))`;

/**
 * The staff targets of the given congresses (congress_id, target, pos): the congress's first staff group
 * with a binding of one of `kinds` (usableGroupKinds), else each person with an active staff, approver or
 * admin mandate. A staff group bound only through a chat the service cannot send to reaches nobody, so it
 * does not count.
 */
export function staffTargetsOf(
  congressIds: readonly number[],
  kinds: readonly BindingKind[],
): RawBuilder<unknown> {
  const ids = idSet(congressIds);
  const usable = sql`b.kind::text = any(${kindOrder(kinds)})`;
  return sql`(
    select sg.congress_id, 'group:' || sg.id as target, 0::bigint as pos
    from (select distinct on (g.congress_id) g.congress_id, g.id
          from groups g join group_bindings b on b.group_id = g.id
          where g.kind = 'staff' and g.congress_id in ${ids} and ${usable}
          order by g.congress_id, g.id) sg
    union all
    select p.congress_id, 'person:' || p.person_id, p.person_id::bigint
    from (select distinct m.congress_id, m.person_id from mandates m
          where m.congress_id in ${ids} and m.role in ('staff', 'approver', 'admin') and m.status = 'active') p
    where not exists (select 1 from groups g join group_bindings b on b.group_id = g.id
                      where g.kind = 'staff' and g.congress_id = p.congress_id and ${usable})
  )`;
}

/** Active deputies of the given congresses: a person holds one mandate per congress (a unique key). */
export const activeDeputiesOf = (congressIds: readonly number[]): RawBuilder<unknown> =>
  sql`(select m.congress_id, m.person_id from mandates m
       where m.congress_id in ${idSet(congressIds)} and m.role = 'deputy' and m.status = 'active')`;

/**
 * Runs `f` while holding the reminder run's lock (a session advisory lock of the schema): reminder runs
 * take turns across instances, so two never race for one target's digest, while the parts of one run
 * (disjoint targets, see stageNewReminders) write side by side. The lock is tried, not waited for on the
 * server, so a run that waits holds no connection another run's parts need. Readers are not blocked.
 */
export async function withReminderRunLock<T>(db: Db, f: () => Promise<T>, retryMs = 200): Promise<T> {
  const key = sql`hashtext(current_schema() || ':reminder-run')`;
  for (;;) {
    const held = await db.connection().execute(async (conn) => {
      const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
      if (!r.rows[0]?.ok) return { ok: false as const };
      try {
        return { ok: true as const, value: await f() };
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn);
      }
    });
    if (held.ok) return held.value;
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

/** Settings for a reminder run's transaction. */
export async function prepareReminderRun(db: Db): Promise<void> {
  // Set-sized statements look expensive to the planner, which then compiles them (JIT) for seconds before
  // running them for milliseconds.
  await sql`set local jit = off`.execute(db);
  // A day's run sorts and groups a few hundred thousand rows: in memory, not in temporary files.
  await sql`set local work_mem = '128MB'`.execute(db);
  await sql`set local default_statistics_target = 10`.execute(db);
}

/** A job's reminders, as queries; the ledger records which job wrote each. */
export interface JobCandidates {
  job: string;
  sets: readonly RawBuilder<CandidateRow>[];
}

/**
 * The part of a run a target is written in: by a hash of its key, persons, groups and organs alike, so the
 * parts come out the same size (a province's day has one group per ten deputies). The one digest that
 * overflows a message, the staff group's, lands in either part; each part packs its own.
 */
const partOf = (target: RawBuilder<unknown>, of: number): RawBuilder<number> =>
  sql<number>`(abs(hashtext(${target})::bigint) % ${of}::int)`;

/**
 * Stages the candidates of every job given not yet in the ledger whose event is still ahead (today
 * included), each (rule, period, target) once (the first by source and sort); returns how many. With
 * `part`, only the targets of that part (see partOf): parts of one run are disjoint by target, so each
 * part's digests and ledger rows are its own. Nothing is
 * sorted here: candidates are tested against the ledger and the day as they come, and duplicates (rare: a
 * group leader who is also on the staff list) are looked for by hashing and dropped only when there are any.
 */
export async function stageNewReminders(
  db: Db,
  jobs: readonly JobCandidates[],
  today: string,
  part: { index: number; of: number } = { index: 0, of: 1 },
): Promise<number> {
  await sql`create temp table rem_new (
      ord bigserial, src int, sort bigint, job text, rule text collate "C",
      period text collate "C", target text collate "C", text text, due_on date, event_on date
    ) on commit drop`.execute(db);
  const sources = jobs.flatMap((j) => j.sets.map((q) => ({ job: j.job, q })));
  if (sources.length === 0) return 0;
  const all = sql.join(
    sources.map(
      ({ job, q }, i) => sql`select ${sql.lit(i)}::int as src, ${job}::text as job,
        s.rule::text collate "C" as rule, s.period::text collate "C" as period,
        s.target::text collate "C" as target, s.text::text as text, s.due_on::date as due_on,
        s.event_on::date as event_on, s.sort::bigint as sort from (${q}) s`,
    ),
    sql` union all `,
  );
  // A hash anti-join: the ledger is read once into a hash table and each candidate looked up in it,
  // rather than a sort of both sides or an index descent per candidate (the planner, misled by the
  // candidates' JSON recordsets, would pick either). For this statement only.
  await sql`set local enable_mergejoin = off`.execute(db);
  await sql`set local enable_nestloop = off`.execute(db);
  const r = await sql`insert into rem_new (src, sort, job, rule, period, target, text, due_on, event_on)
    select u.src, u.sort, u.job, u.rule, u.period, u.target, u.text, u.due_on, u.event_on
    from (${all}) u
    where u.event_on >= ${today}::date
      and (${part.of}::int = 1 or ${partOf(sql`u.target`, part.of)} = ${part.index}::int)
      and not exists (select 1 from reminder_ledger l
                      where l.rule = u.rule and l.period = u.period and l.target = u.target
                        -- The same target is in the same part: each part hashes only its share of the ledger.
                        and (${part.of}::int = 1 or ${partOf(sql`l.target`, part.of)} = ${part.index}::int))`.execute(
    db,
  );
  await sql`set local enable_mergejoin = on`.execute(db);
  await sql`set local enable_nestloop = on`.execute(db);
  const staged = Number(r.numAffectedRows ?? 0);
  if (staged === 0) return 0;
  // Temporary tables have no statistics until analysed: without them the joins below plan as nested loops.
  await sql`analyze rem_new`.execute(db);
  const twice =
    await sql`select 1 from rem_new group by rule, period, target having count(*) > 1 limit 1`.execute(db);
  if (twice.rows.length === 0) return staged;
  const dropped = await sql`delete from rem_new a using rem_new b
    where a.rule = b.rule and a.period = b.period and a.target = b.target
      and (b.src, b.sort, b.ord) < (a.src, a.sort, a.ord)`.execute(db);
  return staged - Number(dropped.numAffectedRows ?? 0);
}

/**
 * Stages where each target of the new reminders is reached, with its digest key ('digest:<target>:
 * <sendDate>:<channel>:<kind>'): a person on each channel they are known on, an organ's contact (WeCom
 * first), a group once per channel through the first of its bindings in `kinds` (usableGroupKinds: the
 * order groupRoute takes, the intelligent robot's chat only while the robot is configured). `first` marks
 * the address the ledger names as the reminder's message (a person's DingTalk before WeCom).
 */
export async function stageAddresses(db: Db, sendDate: string, kinds: readonly BindingKind[]): Promise<void> {
  await sql`create temp table rem_dest on commit drop as
    select t.target, a.pref, 'digest:' || t.target || ':' || ${sendDate} || ':' || a.channel || ':' || a.target_kind
        as base,
      a.channel, a.target_kind, a.address, row_number() over (partition by t.target order by a.pref) = 1 as first
    from (select distinct target from rem_new) t
    join (
      select ('person:' || pi.person_id) collate "C" as target, pi.channel::text as channel,
        'user' as target_kind, pi.external_id as address, case when pi.channel = 'dingtalk' then 0 else 1 end as pref
      from person_identities pi
      union all
      select ('organ:' || o.id) collate "C", 'wecom', 'user', o.contact_wecom, 0 from organs o
      where coalesce(o.contact_wecom, '') <> ''
      union all
      select ('organ:' || o.id) collate "C", 'dingtalk', 'user', o.contact_dingtalk, 1 from organs o
      where coalesce(o.contact_dingtalk, '') <> ''
      union all
      select * from (
        select distinct on (b.group_id, b.channel) ('group:' || b.group_id) collate "C", b.channel::text,
          b.kind::text, b.address, array_position(k.kinds, b.kind::text)
        from group_bindings b cross join (select ${kindOrder(kinds)} as kinds) k
        where b.kind::text = any(k.kinds)
        order by b.group_id, b.channel, 5, b.id
      ) g
    ) a on a.target = t.target`.execute(db);
  await sql`analyze rem_dest`.execute(db);
}

/** How a digest reads (jobs/digest.ts renders the same in code). */
export interface DigestFormat {
  header: string;
  /** Before and after the count when there are several items ('今天有 ', ' 项提醒：\n'). */
  manyBefore: string;
  manyAfter: string;
  maxBytes: number;
}

/**
 * A digest message as the outbox stores it: its text and how many reminders it carries. The count is
 * what lets it grow: the numbered lines are the text after the header and the count, read back by length,
 * never by parsing a reminder's words.
 */
export interface DigestPayload {
  text: string;
  count: number;
}

/** A stored digest with the new items of a JSON array of {text} after its own (jobs/digest.ts extendDigest). */
const extendSql = (
  stored: RawBuilder<unknown>,
  items: RawBuilder<unknown>,
  f: DigestFormat,
): RawBuilder<string> => {
  const count = sql`(${stored}->>'count')::int`;
  return sql<string>`(${f.header}::text || ${f.manyBefore}::text || (${count} + jsonb_array_length(${items}))
    || ${f.manyAfter}::text
    || case when ${count} = 1 then '1. ' || substr(${stored}->>'text', char_length(${f.header}::text) + 1)
      else substr(${stored}->>'text',
        char_length(${f.header}::text || ${f.manyBefore}::text || ${count} || ${f.manyAfter}::text) + 1) end
    || (select string_agg(E'\n' || (${count} + t.i) || '. ' || (t.e->>'text'), '' order by t.i)
        from jsonb_array_elements(${items}) with ordinality as t(e, i)))`;
};

/**
 * Gathers the new reminders by digest key: the open digest of each key (still waiting, never tried; locked
 * so the outbox does not claim it meanwhile) and the items to add, and decides per key whether they fit in
 * one message (after the open digest's items). A key's message is rendered once, whatever the number of
 * jobs whose reminders it carries, and a new message takes its id from the outbox's sequence up front, so
 * the ledger rows can name it before it is written (writeDigestsThatFit). Returns how many keys did not
 * fit (see overflowDigests).
 */
export async function planDigests(db: Db, f: DigestFormat): Promise<{ overflowing: number }> {
  // Each key's newest message so far, by its idempotency key ('<key>#<seq>', a split one '<key>#<seq>:p<k>'):
  // a range of the outbox's unique index per key, so nothing but the outbox records what was sent.
  await sql`create temp table rem_prev on commit drop as
    select b.base, p.id, p.seq
    from (select distinct base from rem_dest) b
    cross join lateral (
      select o.id,
        coalesce(nullif(substring(substr(o.idempotency_key, char_length(b.base) + 2) from '^[0-9]+'), ''), '0')::int
          as seq
      from outbox o
      where o.idempotency_key >= (b.base || '#') collate "C" and o.idempotency_key < (b.base || '$') collate "C"
      order by 2 desc, o.id desc
      limit 1) p`.execute(db);
  await sql`analyze rem_prev`.execute(db);
  await sql`select count(*) from (
      select o.id from rem_prev d join outbox o on o.id = d.id
      where o.status = 'pending' and o.attempts = 0
      for update of o) locked`.execute(db);
  // Most targets of a day's run get the same reminders (every deputy of a congress the same session, the
  // same station year): messages are built per distinct list of items, not per target. The run's distinct
  // items (rule, period, text: a few thousand whatever the roster), then each target's list of them in
  // order (the aggregate reads its input in the order the subquery sorted it; no join at its level).
  await sql`create temp table rem_item on commit drop as
    select row_number() over () as iid, d.rule, d.period, d.text
    from (select distinct rule, period, text from rem_new) d`.execute(db);
  await sql`alter table rem_item add primary key (iid)`.execute(db);
  await sql`analyze rem_item`.execute(db);
  await sql`create temp table rem_tgt on commit drop as
    select s.target, array_agg(s.iid) as iids
    from (select n.target, i.iid from rem_new n
          join rem_item i on i.rule = n.rule and i.period = n.period and i.text = n.text
          order by n.target, n.src, n.sort, n.rule, n.period) s
    group by s.target`.execute(db);
  // Each distinct list once: its message (text and items) and causes, and the message's size.
  // Each distinct list once, numbered: its message (text and items), its causes and its size. Grouped by
  // the number, not by the list: a staff group's list of ten thousand items compared row by row would cost
  // its square.
  await sql`create temp table rem_list on commit drop as
    select row_number() over () as cid, d.iids from (select distinct iids from rem_tgt) d`.execute(db);
  await sql`create temp table rem_combo on commit drop as
    select x.*, octet_length(x.payload->>'text') as bytes
    from (
      select c.cid,
        jsonb_build_object(
          'text', case when count(*) = 1 then ${f.header}::text || min(t.text)
            else ${f.header}::text || ${f.manyBefore}::text || count(*) || ${f.manyAfter}::text
              || string_agg(u.k || '. ' || t.text, E'\n' order by u.k) end,
          'count', count(*)) as payload,
        string_agg('reminder:' || t.rule || ':' || t.period, ',' order by u.k) as causes
      from rem_list c
      cross join lateral unnest(c.iids) with ordinality as u(iid, k)
      join rem_item t on t.iid = u.iid
      group by c.cid
    ) x`.execute(db);
  // The new items of the targets whose digest of the day is still open (usually none: the day's first run
  // opens them), as a list to append to it.
  await sql`create temp table rem_open_items on commit drop as
    select s.target, jsonb_agg(jsonb_build_object('text', s.text)) as items,
      string_agg('reminder:' || s.rule || ':' || s.period, ',') as causes
    from (select n.target, n.rule, n.period, n.text from rem_new n
          where n.target in (select dst.target from rem_dest dst
                             join rem_prev d on d.base = dst.base
                             join outbox o on o.id = d.id
                             where o.status = 'pending' and o.attempts = 0)
          order by n.target, n.src, n.sort, n.rule, n.period) s
    group by s.target`.execute(db);
  // Per digest key: its list, its open digest if any, whether the items fit one message (after an open
  // digest's items), and the id of a message to add.
  await sql`create temp table rem_base on commit drop as
    select z.*, case when z.fits and z.open_id is null
        then nextval(pg_get_serial_sequence('outbox', 'id')) end as new_id
    from (
      select dst.base, dst.target, dst.channel, dst.target_kind, dst.address, coalesce(d.seq, 0) as seq,
        o.id as open_id, c.cid,
        case when o.id is null then c.bytes <= ${f.maxBytes}
          else octet_length(${extendSql(sql`o.payload`, sql`oi.items`, f)}) <= ${f.maxBytes} end as fits
      from rem_dest dst
      join rem_tgt t on t.target = dst.target
      join rem_list li on li.iids = t.iids
      join rem_combo c on c.cid = li.cid
      left join rem_prev d on d.base = dst.base
      left join outbox o on o.id = d.id and o.status = 'pending' and o.attempts = 0
        and jsonb_typeof(o.payload->'count') = 'number'
      left join rem_open_items oi on oi.target = dst.target
    ) z`.execute(db);
  await sql`analyze rem_base`.execute(db);
  // Each target's message on its first address, as its ledger rows will name it: one lookup per reminder.
  await sql`create temp table rem_msg on commit drop as
    select dst.target, dst.base, coalesce(b.open_id, b.new_id) as outbox_id, b.fits
    from rem_dest dst join rem_base b on b.base = dst.base
    where dst.first`.execute(db);
  await sql`analyze rem_msg`.execute(db);
  await sql`create temp table rem_out (ord bigint, base text, outbox_id bigint) on commit drop`.execute(db);
  const left = await sql<{ n: number }>`select count(*)::int as n from rem_base where not fits`.execute(db);
  return { overflowing: Number(left.rows[0]?.n ?? 0) };
}

/**
 * Writes the digests planDigests found to fit: extends the open ones and adds the new ones with the ids
 * taken for them.
 */
export async function writeDigestsThatFit(db: Db, f: DigestFormat, notBefore: Date): Promise<void> {
  await sql`update outbox o
    set payload = jsonb_build_object('text', ${extendSql(sql`c.stored`, sql`c.items`, f)},
        'count', (c.stored->>'count')::int + jsonb_array_length(c.items)),
      cause = o.cause || ',' || c.causes
    from (select b.open_id, p.payload as stored, oi.items, oi.causes
          from rem_base b join rem_open_items oi on oi.target = b.target join outbox p on p.id = b.open_id
          where b.fits and b.open_id is not null) c
    where o.id = c.open_id`.execute(db);
  await sql`insert into outbox
      (id, channel, target_kind, target_address, payload, idempotency_key, cause, not_before)
    select b.new_id, b.channel, b.target_kind, b.address, c.payload, b.base || '#' || (b.seq + 1), c.causes,
      ${notBefore}
    from rem_base b join rem_combo c on c.cid = b.cid
    where b.new_id is not null`.execute(db);
}

/** A digest key whose items do not fit in one message, with its open digest and the items in order. */
export interface OverflowDigest {
  base: string;
  channel: string;
  target_kind: string;
  address: string;
  seq: number;
  open_id: number | null;
  /** The open digest's message, when there is one. */
  open: DigestPayload | null;
  items: { ord: number; text: string; cause: string }[];
}

export async function overflowDigests(db: Db): Promise<OverflowDigest[]> {
  const r = await sql<OverflowDigest>`select b.base, b.channel, b.target_kind, b.address, b.seq,
      b.open_id, (select o.payload from outbox o where o.id = b.open_id) as open,
      (select jsonb_agg(jsonb_build_object('ord', n.ord, 'text', n.text,
                'cause', 'reminder:' || n.rule || ':' || n.period) order by n.src, n.sort, n.rule, n.period)
       from rem_new n where n.target = b.target) as items
    from rem_base b where not b.fits order by b.base`.execute(db);
  return r.rows.map((row) => ({
    ...row,
    seq: Number(row.seq),
    open_id: row.open_id === null ? null : Number(row.open_id),
  }));
}

/** What the packing of overflowing digests decided: rows to extend, rows to add, where each item went. */
export interface PackedDigests {
  extend: { id: number; payload: unknown; cause: string }[];
  insert: {
    key: string;
    channel: string;
    target_kind: string;
    address: string;
    payload: unknown;
    cause: string;
  }[];
  /** Each item's message: an existing row's id, or the key of a row to add. */
  placed: { ord: number; base: string; id?: number; key?: string }[];
}

export async function writePackedDigests(db: Db, p: PackedDigests, notBefore: Date): Promise<void> {
  if (p.extend.length > 0)
    await sql`update outbox o set payload = e.payload, cause = o.cause || ',' || e.cause
      from jsonb_to_recordset(${JSON.stringify(p.extend)}::jsonb) as e(id bigint, payload jsonb, cause text)
      where o.id = e.id`.execute(db);
  await sql`create temp table rem_keys (key text primary key, id bigint) on commit drop`.execute(db);
  if (p.insert.length > 0)
    await sql`with ins as (
        insert into outbox (channel, target_kind, target_address, payload, idempotency_key, cause, not_before)
        select i.channel, i.target_kind, i.address, i.payload, i.key, i.cause, ${notBefore}
        from jsonb_to_recordset(${JSON.stringify(p.insert)}::jsonb)
          as i(key text, channel text, target_kind text, address text, payload jsonb, cause text)
        returning id, idempotency_key)
      insert into rem_keys (key, id) select idempotency_key, id from ins`.execute(db);
  if (p.placed.length > 0)
    await sql`insert into rem_out (ord, base, outbox_id)
      select x.ord, x.base, coalesce(x.id, k.id)
      from jsonb_to_recordset(${JSON.stringify(p.placed)}::jsonb) as x(ord bigint, base text, id bigint, key text)
      left join rem_keys k on k.key = x.key`.execute(db);
}

export interface WrittenReminder {
  job: string;
  rule: string;
  period: string;
  target: string;
  late: boolean;
  outbox_id: number | null;
}

/** What a job's reminders of a run came to. */
export interface JobCount {
  job: string;
  queued: number;
  late: number;
}

/** Per job, the staged reminders and of them those past their due day: what the ledger rows will say. */
export async function countStagedByJob(db: Db, today: string): Promise<JobCount[]> {
  const r = await sql<JobCount>`select job, count(*)::int as queued,
      count(*) filter (where due_on < ${today}::date)::int as late
    from rem_new group by job`.execute(db);
  return r.rows;
}

/**
 * Writes staged reminders to the ledger, each with the job that found it and the message that carries it
 * on its first address; a reminder first written after its due day is marked late. `fitting`: those whose
 * message planDigests placed (and those with no address), which can be written before the messages are;
 * `packed`: those writePackedDigests placed, after it. With `list`, returns them one by one (a province's
 * day run writes a few hundred thousand, which nobody reads one by one: countStagedByJob counts them).
 */
export async function insertStagedLedgerRows(
  db: Db,
  o: { rows: 'fitting' | 'packed'; today: string; at: Date; list: boolean },
): Promise<WrittenReminder[]> {
  const packed = o.rows === 'packed';
  const insert = sql`insert into reminder_ledger
      (rule, period, target, job, due_on, event_on, late, created_at, outbox_id)
    select n.rule, n.period, n.target, n.job, n.due_on, n.event_on, n.due_on < ${o.today}::date, ${o.at},
      ${packed ? sql`ro.outbox_id` : sql`m.outbox_id`}
    from rem_new n
    left join rem_msg m on m.target = n.target
    ${packed ? sql`left join rem_out ro on ro.ord = n.ord and ro.base = m.base` : sql``}
    where ${packed ? sql`not m.fits` : sql`m.fits is not false`}`;
  if (!o.list) {
    await insert.execute(db);
    return [];
  }
  const r =
    await sql<WrittenReminder>`${insert} returning job, rule, period, target, late, outbox_id`.execute(db);
  return r.rows.map((x) => ({ ...x, outbox_id: x.outbox_id === null ? null : Number(x.outbox_id) }));
}

/** Records that a job's work for a day is done; false when it was recorded before. */
export async function markJobDone(db: Db, name: string, day: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('job_marks')
    .values({ name, day, done_at: at })
    .onConflict((oc) => oc.columns(['name', 'day']).doNothing())
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

export async function jobDoneOn(db: Db, name: string, day: string): Promise<boolean> {
  const row = await db
    .selectFrom('job_marks')
    .select('name')
    .where('name', '=', name)
    .where('day', '=', day)
    .executeTakeFirst();
  return row !== undefined;
}
