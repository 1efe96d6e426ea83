import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkDependencyRule,
  extractImports,
  formatViolation,
  importEdges,
  readTree,
} from '../architecture/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the dependency rule on the real tree', () => {
  const files = readTree(ROOT, ['src', 'db', 'jobs', 'handlers', 'test', 'bench', 'tools']);

  it('reads the whole import graph', () => {
    const edges = importEdges(files);
    expect(files.size).toBeGreaterThan(200);
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges).toContainEqual(['src/main.ts', 'src/runtime.ts']);
  });

  it('has no forbidden import', () => {
    const violations = checkDependencyRule(files).map(formatViolation);
    expect(violations, `forbidden imports:\n${violations.join('\n')}`).toEqual([]);
  });

  it('reaches only the packages the service depends on, never a development one (pinyin-pro is one)', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', `file://${ROOT}`), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const used = new Set<string>();
    for (const [file, source] of files) {
      if (/^(?:test|bench|tools)\//.test(file)) continue;
      for (const { specifier } of extractImports(source)) {
        if (/^(?:\.|node:)/.test(specifier)) continue;
        used.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
    expect(used).toContain('koa');
    expect([...used].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('keeps every query in db/: the services, handlers and jobs call repositories', () => {
    const QUERY = /\.(?:selectFrom|insertInto|updateTable|deleteFrom|mergeInto)\(|\bsql(?:<[^>`]*>)?`/;
    const queriesIn = (where: RegExp) =>
      [...files].filter(([path, source]) => where.test(path) && QUERY.test(source)).map(([path]) => path);
    expect(queriesIn(/^(?:src|jobs|handlers)\//)).toEqual([]);
    // The pattern does find queries where they belong.
    expect(queriesIn(/^db\/repositories\//).length).toBeGreaterThan(20);
  });
});

describe('extractImports', () => {
  it('finds static, type, side-effect, re-export and dynamic imports with their lines', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import './c.ts';",
      "export * from './d.ts';",
      'export {',
      '  e,',
      "} from './e.ts';",
      "const f = await import('./f.ts');",
      "type G = typeof import('./g.ts');",
      "import x, { y as z } from 'pkg';",
    ].join('\n');
    expect(extractImports(source)).toEqual([
      { specifier: './a.ts', line: 1 },
      { specifier: './b.ts', line: 2 },
      { specifier: './c.ts', line: 3 },
      { specifier: './d.ts', line: 4 },
      { specifier: './e.ts', line: 7 },
      { specifier: './f.ts', line: 8 },
      { specifier: './g.ts', line: 9 },
      { specifier: 'pkg', line: 10 },
    ]);
  });

  it('reads nothing in comments, strings, templates or regular expressions as an import', () => {
    const source = [
      "// import { a } from '../api/a.ts';",
      "/* import { b } from '../api/b.ts';",
      "   export * from '../api/c.ts'; */",
      'const s = "import { d } from \'../api/d.ts\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template is the input here
      "const t = `import { e } from '../api/e.ts' ${`from '../api/f.ts'`} ${{ k: 1 }.k}`;",
      "const r = /['\"`]|import '..\\/api\\/g.ts'/g;",
      "const q = a / 2 / b; const w = 'it\\'s';",
      "const o = obj.import('../api/h.ts');",
      "import { real } from './real.ts';",
    ].join('\n');
    expect(extractImports(source)).toEqual([{ specifier: './real.ts', line: 9 }]);
  });

  it('finds an import inside a template substitution', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template is the input here
    expect(extractImports("const m = `${await import('./m.ts')}`;")).toEqual([
      { specifier: './m.ts', line: 1 },
    ]);
  });
});

describe('checkDependencyRule', () => {
  const tree = (entries: Record<string, string>) => new Map(Object.entries(entries));
  const rulesBroken = (entries: Record<string, string>) =>
    checkDependencyRule(tree(entries)).map((v) => `${v.file} -> ${v.target}`);

  const base = {
    'src/api/auth.ts': 'export const auth = 1;',
    'src/bot/router.ts': 'export const router = 1;',
    'src/console/page.ts': 'export const page = 1;',
    'src/public/page.ts': 'export const page = 1;',
    'src/channels/wecom/route.ts': 'export const route = 1;',
    'src/messaging/outbox.ts': 'export const outbox = 1;',
    'src/services/roster/index.ts': "export * from './import.ts';",
    'src/services/roster/import.ts': "import { x } from './csv.ts';",
    'src/services/roster/csv.ts': 'export const x = 1;',
    'src/services/leave/index.ts': "export * from './requests.ts';",
    'src/services/leave/requests.ts': "import { x } from '../roster/index.ts';",
    'src/config.ts': 'export const config = 1;',
    'handlers/leave.ts': "import { x } from '../src/services/leave/index.ts';",
    'jobs/leave.job.ts': "import { x } from '../src/services/leave/index.ts';",
    'db/schema.ts': 'export type T = 1;',
    'test/helpers/seed.ts': "import { x } from '../../src/services/roster/csv.ts';",
  };

  it('reports nothing on a tree that keeps the rule', () => {
    expect(checkDependencyRule(tree(base))).toEqual([]);
  });

  it('reports each forbidden import, naming the file, the import and the rule', () => {
    const violations = checkDependencyRule(
      tree({
        ...base,
        'src/services/roster/import.ts': "import { auth } from '../../api/auth.ts';",
        'src/channels/wecom/route.ts': "import { x } from '../../services/roster/index.ts';",
        'src/services/leave/requests.ts': "import { x } from '../roster/csv.ts';",
      }),
    ).map(formatViolation);
    expect(violations).toEqual([
      'src/channels/wecom/route.ts:1 -> ../../services/roster/index.ts (channels never import services)',
      'src/services/roster/import.ts:1 -> ../../api/auth.ts (services never import bot/, api/, console/, public/, channels/, handlers/, jobs/)',
      'src/services/leave/requests.ts:1 -> ../roster/csv.ts (a domain is reached only through its index.ts (src/services/roster/index.ts))',
    ]);
  });

  it.each([
    [
      'a service importing the bot',
      'src/services/roster/import.ts',
      "import type { R } from '../../bot/router.ts';",
      'src/bot/router.ts',
    ],
    [
      'a service importing the console',
      'src/services/roster/import.ts',
      "import '../../console/page.ts';",
      'src/console/page.ts',
    ],
    [
      'a service importing the public pages',
      'src/services/roster/import.ts',
      "export * from '../../public/page.ts';",
      'src/public/page.ts',
    ],
    [
      'a service importing a channel',
      'src/services/roster/import.ts',
      "await import('../../channels/wecom/route.ts');",
      'src/channels/wecom/route.ts',
    ],
    [
      'a service importing a handler',
      'src/services/roster/import.ts',
      "import { x } from '../../../handlers/leave.ts';",
      'handlers/leave.ts',
    ],
    [
      'a service importing a job',
      'src/services/roster/import.ts',
      "import { x } from '../../../jobs/leave.job.ts';",
      'jobs/leave.job.ts',
    ],
    ['db importing src', 'db/schema.ts', "import { config } from '../src/config.ts';", 'src/config.ts'],
    ['db importing a job', 'db/schema.ts', "import { x } from '../jobs/leave.job.ts';", 'jobs/leave.job.ts'],
    [
      'db importing a handler',
      'db/schema.ts',
      "import { x } from '../handlers/leave.ts';",
      'handlers/leave.ts',
    ],
    [
      'messaging importing a channel',
      'src/messaging/outbox.ts',
      "import { r } from '../channels/wecom/route.ts';",
      'src/channels/wecom/route.ts',
    ],
    [
      'messaging importing a service',
      'src/messaging/outbox.ts',
      "import { x } from '../services/roster/index.ts';",
      'src/services/roster/index.ts',
    ],
    [
      'messaging importing the bot',
      'src/messaging/outbox.ts',
      "import { r } from '../bot/router.ts';",
      'src/bot/router.ts',
    ],
    [
      'the bot importing a handler',
      'src/bot/router.ts',
      "import { x } from '../../handlers/leave.ts';",
      'handlers/leave.ts',
    ],
    [
      'a handler opening a domain',
      'handlers/leave.ts',
      "import { x } from '../src/services/leave/requests.ts';",
      'src/services/leave/requests.ts',
    ],
    [
      'a job opening a domain',
      'jobs/leave.job.ts',
      "import { x } from '../src/services/roster/csv.ts';",
      'src/services/roster/csv.ts',
    ],
    [
      'the api opening a domain',
      'src/api/auth.ts',
      "import { x } from '../services/roster/csv.ts';",
      'src/services/roster/csv.ts',
    ],
    [
      'src importing test code',
      'src/config.ts',
      "import { seed } from '../test/helpers/seed.ts';",
      'test/helpers/seed.ts',
    ],
    [
      'db importing test code',
      'db/schema.ts',
      "import type { S } from '../test/helpers/seed.ts';",
      'test/helpers/seed.ts',
    ],
  ])('reports %s', (_name, file, source, target) => {
    expect(rulesBroken({ ...base, [file]: source })).toContain(`${file} -> ${target}`);
  });
});
