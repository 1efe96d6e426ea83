import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`health routes on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('answers /healthz', async () => {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('answers /readyz with the parts it checked', async () => {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; store: string };
      expect(body.status).toBe('ready');
      expect(body.store).toBe(backend.name === 'postgres+redis' ? 'redis' : 'memory');
    });

    it('serves Prometheus metrics', async () => {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('inbound_callbacks_total');
      expect(text).toContain('outbox_depth{status="pending"} 0');
      expect(text).toContain('handler_duration_seconds');
      expect(text).toContain('reminder_runs_total');
    });

    it('answers an unknown route with a stable error code and a request id', async () => {
      const res = await fetch(`${server.url}/nope`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    });
  });
}
