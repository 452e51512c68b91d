/**
 * Load through the local Discord stand-in: 200 `/ask` interactions in 10 seconds from
 * 20 users (each asks once a second), with a `/reindex` of 151 new articles in the
 * middle; once with the default 5 s cooldown (most asks are politely rate-limited) and
 * once with none (all 200 are answered). Every interaction is acknowledged within
 * Discord's 3-second window (callback arrival − dispatch), then answered (the deferred
 * reply is edited) or rate-limited; none is lost, none pings, none breaks a limit, and
 * after the reindex a question about a new article is answered from it. Prints
 * p50/p95/max of the acknowledgement and answer times.
 */
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BBC_CORPUS, percentile, requireShared } from '@newsrag/test-support';
import { PERMISSIONS, type RestCall, type SentInteraction, snowflake } from '@newsrag/test-support/discord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, type Harness, startHarness, textOf } from '../discord/harness.js';
import { expectNoPingsNoViolations, messagesOf } from './discord-checks.js';

const ASKS = 200;
const USERS = 20;
const WINDOW_MS = 10_000;
const COOLDOWN_S = 5;
const QUESTIONS = [
  'How many hours did Putin and Kim spend together during the visit?',
  'What animal did Kim Jong Un feed carrots to?',
  'What dog breed did Kim give Putin?',
  'Which social network was the goodbye video shared on?',
  'Who won the election in Atlantis?',
];
const NEW_FACT = 'The Zorblatt lantern festival in Quenby drew 12,400 visitors on its opening night.';

const callbackOf = (s: SentInteraction) => (c: RestCall) =>
  c.method === 'POST' && c.path === `/interactions/${s.id}/${s.token}/callback`;
const editOf = (s: SentInteraction) => (c: RestCall) =>
  c.method === 'PATCH' && c.path === `/webhooks/${s.applicationId}/${s.token}/messages/@original`;

function summary(label: string, values: number[]): string {
  const f = (x: number) => `${Math.round(x)} ms`;
  return `${label}: n=${values.length} p50 ${f(percentile(values, 50))}  p95 ${f(percentile(values, 95))}  max ${f(Math.max(...values))}`;
}

async function loadRun(h: Harness, cooldownS: number): Promise<void> {
  // New articles for the reindex: 150 BBC business stories and one made-up fact.
  const business = (await readdir(path.join(BBC_CORPUS, 'business'))).filter((f) => f.endsWith('.txt')).sort();
  for (const f of business.slice(0, 150))
    await copyFile(path.join(BBC_CORPUS, 'business', f), path.join(h.articlesDir, `bbc-business-${f}`));
  await writeFile(path.join(h.articlesDir, 'zorblatt.txt'), `Zorblatt festival\n\n${NEW_FACT}\n`);

  const users = Array.from({ length: USERS }, (_, i) => ({ id: snowflake(), username: `load-${i}` }));
  const sent: Array<{ s: SentInteraction; user: number; at: number }> = [];
  let reindex: SentInteraction | undefined;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let i = 0;
    const next = () => {
      const due = t0 + (i * WINDOW_MS) / ASKS;
      const wait = due - performance.now();
      if (wait > 1) {
        setTimeout(next, wait);
        return;
      }
      const user = i % USERS;
      const s = h.standin.sendCommand({
        name: 'ask',
        user: users[user],
        options: [{ name: 'question', type: 3, value: QUESTIONS[i % QUESTIONS.length] as string }],
      });
      sent.push({ s, user, at: s.sentAt - t0 });
      if (i === ASKS / 2) {
        reindex = h.standin.sendCommand({
          name: 'reindex',
          user: { id: snowflake(), username: 'admin' },
          permissions: PERMISSIONS.manageGuild,
        });
      }
      i++;
      if (i < ASKS) setImmediate(next);
      else resolve();
    };
    next();
  });
  const sendSpanMs = performance.now() - t0;
  expect(sendSpanMs).toBeLessThan(WINDOW_MS + 1000);

  const acks: number[] = [];
  const answers: number[] = [];
  const limited: number[] = [];
  const acceptedAt = new Map<number, number[]>();
  for (const { s, user, at } of sent) {
    const callback = await h.standin.waitFor(callbackOf(s), 30_000);
    expect(h.standin.calls.filter(callbackOf(s))).toHaveLength(1);
    const ack = callback.receivedAt - s.sentAt;
    acks.push(ack);
    expect(ack, 'acknowledged within Discord’s 3 s').toBeLessThan(3000);
    const type = (callback.body as { type: number }).type;
    if (type === 5) {
      const edit = await h.standin.waitFor(editOf(s), 60_000);
      expect(edit.status).toBe(200);
      expect(textOf(messagesOf(edit)[0] ?? {}).trim().length).toBeGreaterThan(0);
      expect(textOf(messagesOf(edit)[0] ?? {})).not.toMatch(/something went wrong/i);
      answers.push(edit.receivedAt - s.sentAt);
      acceptedAt.set(user, [...(acceptedAt.get(user) ?? []), at]);
    } else {
      expect(type).toBe(4);
      expect((callback.body as { data: { content: string } }).data.content).toMatch(
        /^Please wait \d+ more seconds? before asking again\.$/,
      );
      limited.push(ack);
    }
  }
  expect(acks).toHaveLength(ASKS);
  expect(answers.length + limited.length).toBe(ASKS);
  if (cooldownS === 0) expect(answers).toHaveLength(ASKS);
  // Every user got answers, never two within the cooldown.
  expect(acceptedAt.size).toBe(USERS);
  for (const times of acceptedAt.values()) {
    for (let k = 1; k < times.length; k++) {
      expect((times[k] as number) - (times[k - 1] as number)).toBeGreaterThanOrEqual(cooldownS * 1000 - 500);
    }
  }

  // The reindex ran alongside and finished; afterwards the new article answers.
  if (!reindex) throw new Error('the /reindex was not sent');
  const reindexCallback = await h.standin.waitFor(callbackOf(reindex), 10_000);
  expect(reindexCallback.receivedAt - reindex.sentAt).toBeLessThan(3000);
  const reindexEdit = await h.standin.waitFor(editOf(reindex), 120_000);
  expect(textOf(bodyOf(reindexEdit))).toMatch(/Reindexed .* 151 added/);
  const late = h.standin.sendCommand({
    name: 'ask',
    user: { id: snowflake(), username: 'late' },
    options: [{ name: 'question', type: 3, value: 'How many visitors did the Zorblatt lantern festival draw?' }],
  });
  const lateEdit = await h.standin.waitFor(editOf(late), 30_000);
  expect(textOf(bodyOf(lateEdit))).toMatch(/12,400 visitors/);

  const messages = expectNoPingsNoViolations(h.standin.calls);
  expect(messages).toBeGreaterThanOrEqual(ASKS);
  console.log(
    [
      `load (cooldown ${cooldownS} s): ${ASKS} /ask from ${USERS} users sent over ${(sendSpanMs / 1000).toFixed(1)} s, /reindex of 151 articles after ask ${ASKS / 2}`,
      `  ${answers.length} answered, ${limited.length} rate-limited, 0 lost`,
      `  ${summary('ack (all)', acks)}`,
      `  ${summary('answer (deferred → edit)', answers)}`,
      `  reindex: ack ${Math.round(reindexCallback.receivedAt - reindex.sentAt)} ms, done after ${((reindexEdit.receivedAt - reindex.sentAt) / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}

for (const cooldownS of [COOLDOWN_S, 0]) {
  describe(`200 /ask in 10 s from 20 users, cooldown ${cooldownS} s, with a /reindex in the middle`, () => {
    let h: Harness;

    beforeAll(async () => {
      requireShared();
      h = await startHarness({ env: { NEWSRAG_COOLDOWN_SECONDS: String(cooldownS) } });
    });

    afterAll(async () => {
      await h?.close();
    });

    it(`acknowledges every one within 3 s, ${cooldownS > 0 ? 'answers or rate-limits each' : 'answers each'}, loses none`, async () => {
      await loadRun(h, cooldownS);
    }, 180_000);
  });
}
