import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SettingsStore shared by two processes (shards)', () => {
  it('a change in one keeps what the other wrote since both opened the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsrag-settings-'));
    dirs.push(dir);
    const file = join(dir, 'settings.json');
    // Two stores on one file, as the processes of shard 0 and shard 1 hold it.
    const shard0 = await SettingsStore.open(file);
    const shard1 = await SettingsStore.open(file);
    await shard0.set('100000000000000001', 'admin-a', 'sources', 5, null);
    await shard1.set('100000000000000002', 'admin-b', 'privateByDefault', true, null);
    await shard0.set('100000000000000001', 'admin-a', 'answerInThread', true, null);

    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { guilds: Record<string, { guild: unknown }> };
    expect(onDisk.guilds['100000000000000001']?.guild).toEqual({ sources: 5, answerInThread: true });
    expect(onDisk.guilds['100000000000000002']?.guild).toEqual({ privateByDefault: true });
    const reopened = await SettingsStore.open(file);
    expect(reopened.get('100000000000000002').guild).toEqual({ privateByDefault: true });
    expect(readFileSync(join(dir, 'settings-changes.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
