import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../client.ts';

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
 * The staff targets of the given congresses (congress_id, target, pos): the congress's first staff group a
 * chat binding reaches, else each person with an active staff, approver or admin mandate.
 */
export function staffTargetsOf(congressIds: readonly number[]): RawBuilder<unknown> {
  const ids = idSet(congressIds);
  return sql`(
    select sg.congress_id, 'group:' || sg.id as target, 0::bigint as pos
    from (select distinct on (g.congress_id) g.congress_id, g.id
          from groups g join group_bindings b on b.group_id = g.id
          where g.kind = 'staff' and g.congress_id in ${ids}
          order by g.congress_id, g.id) sg
    union all
    select p.congress_id, 'person:' || p.person_id, p.person_id::bigint
    from (select distinct m.congress_id, m.person_id from mandates m
          where m.congress_id in ${ids} and m.role in ('staff', 'approver', 'admin') and m.status = 'active') p
    where not exists (select 1 from groups g join group_bindings b on b.group_id = g.id
                      where g.kind = 'staff' and g.congress_id = p.congress_id)
  )`;
}

/** Active deputies of the given congresses, each (congress, person) once. */
export const activeDeputiesOf = (congressIds: readonly number[]): RawBuilder<unknown> =>
  sql`(select distinct m.congress_id, m.person_id from mandates m
       where m.congress_id in ${idSet(congressIds)} and m.role = 'deputy' and m.status = 'active')`;

/**
 * Serialises reminder runs (a job's run at a time, across instances): the ledger and the digests are
 * written by one run at a time, so two jobs never race for one target's digest. Readers are not blocked.
 */
export async function lockReminderRun(db: Db): Promise<void> {
  await sql`lock table reminder_ledger in share row exclusive mode`.execute(db);
  // Set-sized statements look expensive to the planner, which then compiles them (JIT) for seconds before
  // running them for milliseconds.
  await sql`set local jit = off`.execute(db);
}

/**
 * Stages the candidates not yet in the ledger whose event is still ahead (today included), each
 * (rule, period, target) once (the first by source and sort); returns how many.
 */
export async function stageNewReminders(
  db: Db,
  sources: readonly RawBuilder<CandidateRow>[],
  today: string,
): Promise<number> {
  await sql`create temp table rem_new (
      ord bigint primary key, rule text, period text, target text, tkind text, tid int,
      text text, due_on date, event_on date
    ) on commit drop`.execute(db);
  if (sources.length === 0) return 0;
  const all = sql.join(
    sources.map(
      (q, i) => sql`select ${sql.lit(i)}::int as src, s.rule::text as rule, s.period::text as period,
        s.target::text as target, s.text::text as text, s.due_on::date as due_on,
        s.event_on::date as event_on, s.sort::bigint as sort from (${q}) s`,
    ),
    sql` union all `,
  );
  const r = await sql`insert into rem_new (ord, rule, period, target, tkind, tid, text, due_on, event_on)
    select row_number() over (order by c.src, c.sort, c.rule, c.period, c.target), c.rule, c.period, c.target,
      split_part(c.target, ':', 1), split_part(c.target, ':', 2)::int, c.text, c.due_on, c.event_on
    from (select distinct on (a.rule, a.period, a.target) a.*
          from (${all}) a order by a.rule, a.period, a.target, a.src, a.sort) c
    where c.event_on >= ${today}::date
      and not exists (select 1 from reminder_ledger l
                      where l.rule = c.rule and l.period = c.period and l.target = c.target)`.execute(db);
  // Temporary tables have no statistics until analysed: without them the joins below plan as nested loops.
  await sql`analyze rem_new`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Stages every address of each new reminder with its digest key ('digest:<target>:<sendDate>:<channel>:
 * <kind>'): a person on each channel they are known on (by channel), an organ's contact (WeCom first),
 * a group once per channel (a robot before an app chat or the enterprise robot).
 */
export async function stageAddresses(db: Db, sendDate: string): Promise<void> {
  await sql`create temp table rem_addr (
      ord bigint, pref int, base text, channel text, target_kind text, address text
    ) on commit drop`.execute(db);
  await sql`insert into rem_addr (ord, pref, base, channel, target_kind, address)
    select n.ord, a.pref, 'digest:' || n.target || ':' || ${sendDate} || ':' || a.channel || ':' || a.target_kind,
      a.channel, a.target_kind, a.address
    from rem_new n join (
      select 'person' as tkind, pi.person_id as id, pi.channel::text as channel, 'user' as target_kind,
        pi.external_id as address, case when pi.channel = 'dingtalk' then 0 else 1 end as pref
      from person_identities pi where pi.person_id in (select tid from rem_new where tkind = 'person')
      union all
      select 'organ', o.id, 'wecom', 'user', o.contact_wecom, 0 from organs o
      where coalesce(o.contact_wecom, '') <> '' and o.id in (select tid from rem_new where tkind = 'organ')
      union all
      select 'organ', o.id, 'dingtalk', 'user', o.contact_dingtalk, 1 from organs o
      where coalesce(o.contact_dingtalk, '') <> '' and o.id in (select tid from rem_new where tkind = 'organ')
      union all
      select * from (
        select distinct on (b.group_id, b.channel) 'group', b.group_id, b.channel::text, b.kind::text,
          b.address, array_position(array['wecom_robot', 'wecom_appchat', 'dingtalk_robot',
            'dingtalk_conversation'], b.kind::text)
        from group_bindings b
        where b.kind in ('wecom_robot', 'wecom_appchat', 'dingtalk_robot', 'dingtalk_conversation')
          and b.group_id in (select tid from rem_new where tkind = 'group')
        order by b.group_id, b.channel, 6
      ) g
    ) a on a.tkind = n.tkind and a.id = n.tid`.execute(db);
  await sql`analyze rem_addr`.execute(db);
}

/** How a digest reads, as SQL over a JSON array of {text} items (jobs/digest.ts renders the same). */
export interface DigestFormat {
  header: string;
  /** Before and after the count when there are several items ('今天有 ', ' 项提醒：\n'). */
  manyBefore: string;
  manyAfter: string;
  maxBytes: number;
}

const renderSql = (items: RawBuilder<unknown>, f: DigestFormat): RawBuilder<string> =>
  sql<string>`(${f.header}::text || case when jsonb_array_length(${items}) = 1 then ${items}->0->>'text'
    else ${f.manyBefore}::text || jsonb_array_length(${items}) || ${f.manyAfter}::text
      || (select string_agg(t.i || '. ' || (t.e->>'text'), E'\n' order by t.i)
          from jsonb_array_elements(${items}) with ordinality as t(e, i)) end)`;

/**
 * Gathers the new reminders by digest key: the open digest of each key (still waiting, never tried; locked
 * so the outbox does not claim it meanwhile) and the items to add. Where they fit in one message, extends
 * the open digest or queues the next one, in two statements. Returns how many keys did not fit (see
 * overflowDigests).
 */
export async function writeDigestsThatFit(db: Db, f: DigestFormat, notBefore: Date): Promise<number> {
  await sql`select count(*) from (
      select o.id from (select distinct base from rem_addr) b
      join reminder_digests d on d.base = b.base
      join outbox o on o.id = d.outbox_id
      where o.status = 'pending' and o.attempts = 0
      for update of o) locked`.execute(db);
  // Each key's digest rendered once: the items of its open digest (if any) and the new ones, in order.
  await sql`create temp table rem_base on commit drop as
    select z.*, octet_length(z.rendered) <= ${f.maxBytes} as fits, null::bigint as new_id
    from (
      select y.*, ${renderSql(sql`y.combined`, f)} as rendered
      from (
        select b.base, b.channel, b.target_kind, b.address, coalesce(d.seq, 0) as seq,
          o.id as open_id, o.payload->'items' as open_items, x.causes,
          case when o.id is null then x.items else (o.payload->'items') || x.items end as combined
        from (select base, min(channel) as channel, min(target_kind) as target_kind, min(address) as address
              from rem_addr group by base) b
        join (select ra.base, jsonb_agg(jsonb_build_object('text', n.text) order by ra.ord) as items,
                string_agg('reminder:' || n.rule || ':' || n.period, ',' order by ra.ord) as causes
              from rem_addr ra join rem_new n on n.ord = ra.ord group by ra.base) x on x.base = b.base
        left join reminder_digests d on d.base = b.base
        left join outbox o on o.id = d.outbox_id and o.status = 'pending' and o.attempts = 0
          and jsonb_typeof(o.payload->'items') = 'array'
      ) y
    ) z`.execute(db);
  await sql`analyze rem_base`.execute(db);
  await sql`update outbox o
    set payload = jsonb_build_object('text', b.rendered, 'items', b.combined), cause = o.cause || ',' || b.causes
    from rem_base b where b.fits and b.open_id = o.id`.execute(db);
  await sql`with ins as (
      insert into outbox (channel, target_kind, target_address, payload, idempotency_key, cause, not_before)
      select b.channel, b.target_kind, b.address, jsonb_build_object('text', b.rendered, 'items', b.combined),
        b.base || '#' || (b.seq + 1), b.causes, ${notBefore}
      from rem_base b where b.fits and b.open_id is null
      returning id, idempotency_key)
    update rem_base b set new_id = ins.id from ins where ins.idempotency_key = b.base || '#' || (b.seq + 1)`.execute(
    db,
  );
  await sql`create temp table rem_out (ord bigint, base text, outbox_id bigint) on commit drop`.execute(db);
  await sql`insert into rem_out (ord, base, outbox_id)
    select ra.ord, ra.base, coalesce(b.open_id, b.new_id) from rem_addr ra join rem_base b on b.base = ra.base
    where b.fits`.execute(db);
  await sql`insert into reminder_digests (base, outbox_id, seq)
    select base, new_id, seq + 1 from rem_base where fits and open_id is null
    on conflict (base) do update set outbox_id = excluded.outbox_id, seq = excluded.seq`.execute(db);
  // Filled in bulk: fresh statistics, or the next run plans its joins on an "empty" table.
  await sql`analyze reminder_digests`.execute(db);
  const left = await sql<{ n: number }>`select count(*)::int as n from rem_base where not fits`.execute(db);
  return Number(left.rows[0]?.n ?? 0);
}

/** A digest key whose items do not fit in one message, with its open digest and the items in order. */
export interface OverflowDigest {
  base: string;
  channel: string;
  target_kind: string;
  address: string;
  seq: number;
  open_id: number | null;
  open_items: { text: string }[] | null;
  items: { ord: number; text: string; cause: string }[];
}

export async function overflowDigests(db: Db): Promise<OverflowDigest[]> {
  const r = await sql<OverflowDigest>`select b.base, b.channel, b.target_kind, b.address, b.seq,
      b.open_id, b.open_items,
      (select jsonb_agg(jsonb_build_object('ord', ra.ord, 'text', n.text,
                'cause', 'reminder:' || n.rule || ':' || n.period) order by ra.ord)
       from rem_addr ra join rem_new n on n.ord = ra.ord where ra.base = b.base) as items
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
  /** The newest row of each key afterwards, by id or key, and its sequence number. */
  latest: { base: string; id?: number; key?: string; seq: number }[];
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
  if (p.latest.length > 0)
    await sql`insert into reminder_digests (base, outbox_id, seq)
      select x.base, coalesce(x.id, k.id), x.seq
      from jsonb_to_recordset(${JSON.stringify(p.latest)}::jsonb) as x(base text, id bigint, key text, seq int)
      left join rem_keys k on k.key = x.key
      on conflict (base) do update set outbox_id = excluded.outbox_id, seq = excluded.seq`.execute(db);
}

export interface WrittenReminder {
  rule: string;
  period: string;
  target: string;
  late: boolean;
  outbox_id: number | null;
}

/**
 * Writes the staged reminders to the ledger, each with the message that carries it on its first address;
 * a reminder first written after its due day is marked late.
 */
export async function insertStagedLedgerRows(
  db: Db,
  o: { job: string; today: string; at: Date },
): Promise<WrittenReminder[]> {
  const r = await sql<WrittenReminder>`insert into reminder_ledger
      (rule, period, target, job, due_on, event_on, late, created_at, outbox_id)
    select n.rule, n.period, n.target, ${o.job}, n.due_on, n.event_on, n.due_on < ${o.today}::date, ${o.at},
      f.outbox_id
    from rem_new n
    left join (select distinct on (ra.ord) ra.ord, ro.outbox_id
               from rem_addr ra join rem_out ro on ro.ord = ra.ord and ro.base = ra.base
               order by ra.ord, ra.pref) f on f.ord = n.ord
    order by n.ord
    returning rule, period, target, late, outbox_id`.execute(db);
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
