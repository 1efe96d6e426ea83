import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellProblem, cellText } from '../../src/services/roster/file-decoding.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The roster file as offices have it: UTF-8 with or without a BOM, GBK/GB18030 (what Chinese Excel
// writes), or an .xlsx workbook, all read from the file's bytes, through the API and the CLI.

const bytes = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures', name));

interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
  missing: unknown[];
  encoding?: string;
  preview?: boolean;
}

const TABLES = ['people', 'mandates', 'congresses', 'groups', 'stations', 'audit_log', 'outbox'] as const;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`roster files on ${backend.name}`, () => {
    const opened: { deps: TestDeps; server: RunningServer }[] = [];
    const fresh = async () => {
      const deps = await createTestDeps(backend.name);
      const server = await startServer(deps);
      opened.push({ deps, server });
      return { deps, server };
    };
    afterAll(async () => {
      for (const o of opened) {
        await o.server.close();
        await o.deps.cleanup();
      }
    });

    const post = async (server: RunningServer, body: Uint8Array, query = '') => {
      const res = await fetch(`${server.url}/api/roster${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' },
        body,
      });
      return {
        status: res.status,
        json: (await res.json()) as Summary & { error?: { code: string; message: string } },
      };
    };

    /** What the roster holds, in a form two imports can be compared by. */
    const roster = (deps: TestDeps) =>
      deps.db
        .selectFrom('mandates as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('congresses as c', 'c.id', 'm.congress_id')
        .leftJoin('groups as lg', 'lg.id', 'm.large_group_id')
        .leftJoin('groups as sg', 'sg.id', 'm.small_group_id')
        .leftJoin('stations as s', 's.id', 'm.station_id')
        .select([
          'p.name',
          'p.mobile',
          'c.name as congress',
          'c.level',
          'm.electoral_unit',
          'lg.name as largeGroup',
          'sg.name as smallGroup',
          's.name as station',
          'm.role',
          'm.status',
        ])
        .orderBy('c.name')
        .orderBy('p.name')
        .execute();
    const counts = async (deps: TestDeps) => {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        const r = await deps.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[t] = Number(r.n);
      }
      return out;
    };

    describe('the same roster as UTF-8, UTF-8 with a BOM, GBK and .xlsx', () => {
      const results: Record<string, { summary: Summary; roster: unknown }> = {};
      beforeAll(async () => {
        for (const f of ['roster-zh.csv', 'roster-zh-bom.csv', 'roster-zh-gbk.csv', 'roster-zh.xlsx']) {
          const { deps, server } = await fresh();
          const res = await post(server, bytes(f));
          expect(res.status).toBe(200);
          results[f] = { summary: res.json, roster: await roster(deps) };
        }
      }, 240_000);

      it('imports each with the same result', () => {
        const plain = results['roster-zh.csv']!;
        expect(plain.summary).toMatchObject({ created: 4, updated: 0, rejected: [], missing: [] });
        expect(plain.roster).toHaveLength(4);
        expect(plain.roster).toContainEqual(
          expect.objectContaining({ name: '李四', mobile: '13800000002', electoral_unit: '云冈区,口泉乡' }),
        );
        for (const f of ['roster-zh-bom.csv', 'roster-zh-gbk.csv', 'roster-zh.xlsx']) {
          expect(results[f]!.roster, f).toEqual(plain.roster);
          expect(results[f]!.summary, f).toMatchObject({ created: 4, updated: 0, rejected: [], missing: [] });
        }
      });

      it('names the encoding it read in the summary', () => {
        expect(results['roster-zh.csv']!.summary.encoding).toBe('utf-8');
        expect(results['roster-zh-bom.csv']!.summary.encoding).toBe('utf-8');
        expect(results['roster-zh-gbk.csv']!.summary.encoding).toBe('gb18030');
        expect(results['roster-zh.xlsx']!.summary.encoding).toBe('xlsx');
      });
    });

    it('refuses a file that is neither text nor a workbook, saying so, and stores nothing', async () => {
      const { deps, server } = await fresh();
      const before = await counts(deps);
      for (const body of [
        randomBytes(8192),
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(2048)]),
        Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), randomBytes(2048)]),
      ]) {
        const res = await post(server, body);
        expect(res.status).toBe(400);
        expect(res.json.error?.message).toMatch(/无法读取此文件|无法打开|旧版 Excel/);
        expect(res.json.error?.message).toContain('另存为');
      }
      expect(await counts(deps)).toEqual(before);
    });

    it('refuses a UTF-8 file with GBK lines pasted in, naming the line, instead of storing "�"', async () => {
      const { deps, server } = await fresh();
      const gbkLine = bytes('roster-zh-gbk.csv').toString('latin1').split('\r\n')[2]!;
      const mixed = Buffer.concat([
        bytes('roster-zh.csv'),
        Buffer.from(gbkLine, 'latin1'),
        Buffer.from('\n'),
      ]);
      const res = await post(server, mixed);
      expect(res.status).toBe(400);
      expect(res.json.error?.message).toContain('第 6 行');
      expect(res.json.error?.message).toContain('混有两种编码');
      expect((await counts(deps)).people).toBe(0);
    });

    it('previews a file: the same summary, nothing applied, not even an audit row', async () => {
      const { deps, server } = await fresh();
      const before = await counts(deps);
      const preview = await post(server, bytes('roster-zh-gbk.csv'), '?preview=true');
      expect(preview.status).toBe(200);
      expect(preview.json).toMatchObject({
        created: 4,
        updated: 0,
        rejected: [],
        encoding: 'gb18030',
        preview: true,
      });
      expect(await counts(deps)).toEqual(before);
      const applied = await post(server, bytes('roster-zh-gbk.csv'));
      expect(applied.json).toMatchObject({ created: 4, updated: 0, rejected: [] });
      expect(applied.json.preview).toBeUndefined();
      expect((await counts(deps)).mandates).toBe(4);
      // A preview of a change against what is there: the change is counted, not made.
      const again = await post(server, bytes('roster-zh.xlsx'), '?preview=true');
      expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 4, preview: true });
    });

    it('names the roster limit, not the general one, when a file is too large', async () => {
      const { deps, server } = await fresh();
      const res = await post(server, Buffer.alloc(16 * 1024 * 1024 + 1, 0x41));
      expect(res.status).toBe(413);
      expect(res.json.error?.message).toContain('16 MiB');
      expect((await counts(deps)).people).toBe(0);
    });
  });
}

describe('a workbook cell as the roster reads it', () => {
  it('gives dates as YYYY-MM-DD, whole numbers without exponent, rich text and formulas as text', () => {
    expect(cellText(new Date(Date.UTC(2026, 0, 5)))).toBe('2026-01-05');
    expect(cellText(13800000001)).toBe('13800000001');
    expect(cellText({ richText: [{ text: '王' }, { text: '五' }] })).toBe('王五');
    expect(cellText({ formula: 'A1', result: '正常' })).toBe('正常');
    expect(cellText(null)).toBe('');
  });

  it('names what a cell holds that is no text, and nothing for a cell that reads', () => {
    expect(cellProblem(new Date(Number.NaN))).toBe('是无效的日期（Excel 中显示为 ####）');
    expect(cellProblem({ error: '#DIV/0!' })).toBe('是错误值「#DIV/0!」');
    expect(cellProblem({ formula: 'A1/B1', result: { error: '#DIV/0!' } })).toBe(
      '是公式「=A1/B1」，结果是错误值「#DIV/0!」',
    );
    expect(cellProblem({ formula: 'DATE(99999,1,1)', result: new Date(Number.NaN) })).toBe(
      '是公式「=DATE(99999,1,1)」，结果是无效的日期',
    );
    for (const ok of [
      null,
      '',
      13800000001,
      new Date(Date.UTC(2026, 0, 5)),
      { formula: 'A1', result: '正常' },
    ])
      expect(cellProblem(ok as never)).toBeNull();
    // A formula with no stored result is how a workbook keeps an empty result: read as empty.
    expect(cellProblem({ formula: 'IF(A1="","",A1)' } as never)).toBeNull();
  });
});

describe('npm run cli -- roster import, from a GBK file and an .xlsx', () => {
  it('imports both into the embedded database and names the encoding', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roster-cli-gbk-'));
    const run = (file: string) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['src/cli.ts', 'roster', 'import', file], {
          cwd: join(import.meta.dirname, '../..'),
          env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        });
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString('utf8');
        });
        child.on('exit', (c) => resolve({ code: c, stdout: out }));
      });
    try {
      const gbk = await run('test/fixtures/roster-zh-gbk.csv');
      expect(gbk.stdout).toContain('导入完成：新增 4 条，更新 0 条，未变 0 条，拒绝 0 条');
      expect(gbk.stdout).toContain('文件编码：GBK/GB18030');
      expect(gbk.code).toBe(0);
      const xlsx = await run('test/fixtures/roster-zh.xlsx');
      expect(xlsx.stdout).toContain('导入完成：新增 0 条，更新 0 条，未变 4 条，拒绝 0 条');
      expect(xlsx.stdout).toContain('文件格式：Excel 工作簿（.xlsx）');
      expect(xlsx.code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
