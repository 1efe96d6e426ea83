import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '../../src/channels/types.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { Reply } from '../../src/messaging/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { type BackendName, createTestDeps, type TestDeps } from './backends.ts';
import { type FakeWecom, startFakeWecom } from './fake-wecom.ts';
import { TEST_WECOM, wecomEnv } from './wecom-envelope.ts';

// A conversation with the bot through the real dispatcher, router, handlers and database, and the real
// WeCom client sending to a fake WeCom. `say` answers what the person would see first; `inbox` what
// reached a person's WeCom through the API (after the outbox ran).

export interface ChatHarness {
  deps: TestDeps;
  runtime: Runtime;
  wecom: FakeWecom;
  /** Sends a text as `userid` and returns the answer's text ('' when it goes out later through the API). */
  say(userid: string, text: string): Promise<string>;
  /** The full answer (with buttons), or null. */
  send(userid: string, msg: Partial<ChatMessage>): Promise<Reply | null>;
  /** Runs the outbox until nothing is due. */
  flush(): Promise<void>;
  /** Texts a person received through the WeCom API, after flushing the outbox. */
  inbox(userid: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface ChatHarnessOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** A second instance on the same database and store. */
  shareWith?: ChatHarness;
  /** The group robots' webhook keys the fake WeCom takes (any other is refused, as an unknown webhook). */
  robotKeys?: string[];
  /** The app-created group chats the fake WeCom's appchat/send reaches. */
  appchats?: string[];
}

export async function createChatHarness(
  backend: BackendName,
  opts: ChatHarnessOptions = {},
): Promise<ChatHarness> {
  const clock = opts.clock ?? systemClock;
  const wecom =
    opts.shareWith?.wecom ??
    (await startFakeWecom({
      corpId: TEST_WECOM.corpId,
      secret: TEST_WECOM.secret,
      agentId: TEST_WECOM.agentId,
      clock,
      ...(opts.robotKeys ? { robotKeys: opts.robotKeys } : {}),
      ...(opts.appchats ? { appchats: opts.appchats } : {}),
    }));
  const deps = await createTestDeps(backend, {
    clock,
    env: { ...wecomEnv(wecom.url), ...opts.env },
    ...(opts.shareWith ? { shareWith: opts.shareWith.deps } : {}),
  });
  const runtime = createRuntime(deps);

  const flush = async () => {
    await runtime.dispatcher.drain();
    for (let i = 0; i < 50; i++) {
      const r = await runtime.outbox.runOnce();
      if (r.claimed === 0) return;
    }
  };

  const send = async (userid: string, partial: Partial<ChatMessage>): Promise<Reply | null> => {
    const msg: ChatMessage = {
      channel: 'wecom',
      messageKey: `${BigInt(`0x${randomBytes(7).toString('hex')}`)}`,
      senderId: userid,
      kind: 'text',
      platformType: partial.kind ?? 'text',
      createdAt: clock.now(),
      ...partial,
    };
    const outcome = await runtime.dispatcher.handle(msg, { budgetMs: 4000, maxReplyBytes: 2048 });
    // A person reads the answer before writing again: by then its turn has ended (answer stored,
    // conversation written), which follows the answer by a moment.
    await runtime.dispatcher.drain();
    return outcome.kind === 'reply' ? outcome.reply : null;
  };

  return {
    deps,
    runtime,
    wecom,
    send,
    say: async (userid, text) => (await send(userid, { kind: 'text', text }))?.text ?? '',
    flush,
    inbox: async (userid) => {
      await flush();
      return wecom.inbox(userid).map((d) => d.text);
    },
    close: async () => {
      await runtime.dispatcher.drain();
      await runtime.outbox.stop();
      await deps.cleanup();
      if (!opts.shareWith) await wecom.close();
    },
  };
}
