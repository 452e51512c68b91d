/**
 * The stand-in's gateway: HELLO → IDENTIFY → READY → GUILD_CREATE, heartbeat ACKs,
 * RESUME answered with "identify afresh", and dispatches injected by tests.
 *
 * Sharding as Discord does it (https://discord.com/developers/docs/events/gateway#sharding):
 * IDENTIFY may carry `shard: [shard_id, num_shards]` (absent: `[0, 1]`); each identified
 * connection is a session of one shard, with its own sequence numbers. A guild's events
 * (its GUILD_CREATE, its messages and interactions) go only to the sessions of shard
 * `(guild_id >> 22) % num_shards`; events without a guild (DMs) only to shard 0. A bad shard
 * is closed with 4010 (Invalid shard); a session that would hold more guilds than one shard
 * may is closed with 4011 (Sharding required).
 */
import type { WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload, type StandinGuild, type StandinUser, snowflake } from './payloads.js';

/** Discord's gateway close codes for a bad or missing shard. */
export const CLOSE_CODES = { invalidShard: 4010, shardingRequired: 4011 } as const;

/** Discord's limit: a session may hold at most this many guilds, else the bot must shard. */
export const MAX_GUILDS_PER_SESSION = 2500;

/** Discord's routing rule: the shard that receives a guild's events. Pure. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export interface GatewayIdentity {
  botUser: StandinUser;
  applicationId: string;
  guilds: StandinGuild[];
  heartbeatIntervalMs: number;
  /** The URL clients resume on (the stand-in's own). */
  url: () => string;
  /** Guilds one session may hold before it is refused with 4011. */
  maxGuildsPerSession: number;
}

/** A dispatch as one session received it. */
export interface DispatchRecord {
  t: string;
  /** The sequence number in that session. */
  s: number;
  /** The payload's `id` (an interaction's or a message's), when it has one. */
  id?: string;
  /** The payload's `guild_id`; null for a DM or an event outside guilds. */
  guildId: string | null;
}

/** One identified connection: a session of one shard. */
export interface GatewaySession {
  readonly sessionId: string;
  /** `[shard_id, num_shards]` as identified. */
  readonly shard: readonly [number, number];
  /** The guilds of its shard, sent in READY and as GUILD_CREATE. */
  readonly guildIds: readonly string[];
  /** What it was sent after READY, in order (GUILD_CREATEs included). */
  readonly dispatched: readonly DispatchRecord[];
  /** False once its connection closed. */
  readonly open: boolean;
}

interface Session extends GatewaySession {
  readonly ws: WebSocket;
  seq: number;
  dispatched: DispatchRecord[];
  open: boolean;
}

/** The shard field of an IDENTIFY, or null when Discord would close with 4010. Pure. */
export function parseShard(value: unknown): [number, number] | null {
  if (value === undefined || value === null) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const [i, n] = [id as number, count as number];
  return n >= 1 && i >= 0 && i < n ? [i, n] : null;
}

export class StandinGateway {
  /** Gateway payloads the bot sent (IDENTIFY, heartbeats…). */
  readonly received: Array<{ op: number; d: unknown }> = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly sessionList: Session[] = [];
  private readonly identifyWaiters: Array<{ shard: number | undefined; resolve: () => void }> = [];

  constructor(
    wss: WebSocketServer,
    private readonly identity: GatewayIdentity,
  ) {
    wss.on('connection', (ws) => this.handleSocket(ws));
  }

  /** Every session identified so far (closed ones included), oldest first. */
  get sessions(): readonly GatewaySession[] {
    return this.sessionList;
  }

  /**
   * Resolves when a client has identified and received READY + GUILD_CREATEs: any client,
   * or with `shard`, a session of that shard.
   */
  waitForIdentify(shard?: number): Promise<void> {
    if (this.sessionList.some((s) => shard === undefined || s.shard[0] === shard)) return Promise.resolve();
    return new Promise((resolve) => this.identifyWaiters.push({ shard, resolve }));
  }

  /**
   * Sends a dispatch (op 0) to the open sessions it is routed to (see the file comment), each
   * with its next sequence number; returns `performance.now()`.
   * @throws Error when no session would receive it.
   */
  dispatch(t: string, d: unknown): number {
    const guildId = guildIdOf(d);
    const targets = this.sessionList.filter((s) => s.open && this.receives(s, guildId));
    if (targets.length === 0) {
      if (this.sockets.size === 0) throw new Error('no gateway client is connected to the stand-in');
      const count = this.sessionList.find((s) => s.open)?.shard[1] ?? 1;
      const where = guildId ? `guild ${guildId} (shard ${shardOf(guildId, count)} of ${count})` : 'shard 0 (no guild)';
      throw new Error(`no open gateway session of ${where} is connected to the stand-in`);
    }
    for (const session of targets) this.send(session, t, d);
    return performance.now();
  }

  /** The sessions that were sent the dispatch `t` whose payload has `id` (an interaction, a message). */
  recipients(t: string, id: string): GatewaySession[] {
    return this.sessionList.filter((s) => s.dispatched.some((r) => r.t === t && r.id === id));
  }

  /** Sends any payload as-is to every connection (a string is sent verbatim, e.g. invalid JSON). */
  sendRaw(payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (this.sockets.size === 0) throw new Error('no gateway client is connected to the stand-in');
    for (const ws of this.sockets) ws.send(text);
  }

  terminateAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  private receives(session: Session, guildId: string | null): boolean {
    const [id, count] = session.shard;
    return guildId === null ? id === 0 : shardOf(guildId, count) === id;
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const id =
      d && typeof d === 'object' && typeof (d as { id?: unknown }).id === 'string'
        ? (d as { id: string }).id
        : undefined;
    // A GUILD_CREATE is the guild itself: its own id is the guild's.
    const guildId = t === 'GUILD_CREATE' ? (id ?? null) : guildIdOf(d);
    session.dispatched.push({ t, s: session.seq, guildId, ...(id ? { id } : {}) });
    session.ws.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  }

  private handleSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    const closed = () => {
      this.sockets.delete(ws);
      for (const s of this.sessionList) if (s.ws === ws) s.open = false;
    };
    ws.on('close', closed);
    ws.on('error', closed);
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.identity.heartbeatIntervalMs }, s: null, t: null }));
    ws.on('message', (raw) => {
      let payload: { op: number; d: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op: number; d: unknown };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.received.push(payload);
      if (payload.op === 1) {
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (payload.op === 2) {
        const d = payload.d as { token?: string; shard?: unknown } | null;
        if (!d?.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        if (this.sessionList.some((s) => s.ws === ws)) {
          ws.close(4005, 'Already authenticated.');
          return;
        }
        const shard = parseShard(d.shard);
        if (!shard) {
          ws.close(CLOSE_CODES.invalidShard, 'Invalid shard.');
          return;
        }
        this.onIdentify(ws, shard);
      } else if (payload.op === 6) {
        // Sessions are not kept across connections: tell the client to identify afresh.
        ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    });
  }

  private onIdentify(ws: WebSocket, shard: [number, number]): void {
    const { botUser, applicationId } = this.identity;
    const guilds = this.identity.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    if (guilds.length > this.identity.maxGuildsPerSession) {
      ws.close(CLOSE_CODES.shardingRequired, 'Sharding required.');
      return;
    }
    const session: Session = {
      ws,
      sessionId: `session-${snowflake()}`,
      shard,
      guildIds: guilds.map((g) => g.id),
      dispatched: [],
      seq: 0,
      open: true,
    };
    session.seq += 1;
    ws.send(
      JSON.stringify({
        op: 0,
        t: 'READY',
        s: session.seq,
        d: {
          v: 10,
          user: { ...botUser, discriminator: '0', avatar: null, verified: true, mfa_enabled: false, flags: 0 },
          guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.sessionId,
          resume_gateway_url: this.identity.url(),
          shard,
          application: { id: applicationId, flags: 0 },
          private_channels: [],
          relationships: [],
          presences: [],
          guild_join_requests: [],
          user_settings: {},
          _trace: ['newsrag-discord-standin'],
        },
      }),
    );
    this.sessionList.push(session);
    for (const guild of guilds) this.send(session, 'GUILD_CREATE', guildCreatePayload(guild, botUser));
    for (const waiter of [...this.identifyWaiters]) {
      if (waiter.shard !== undefined && waiter.shard !== shard[0]) continue;
      this.identifyWaiters.splice(this.identifyWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** The `guild_id` of a dispatch payload, or null. */
function guildIdOf(d: unknown): string | null {
  const id = d && typeof d === 'object' ? (d as { guild_id?: unknown }).guild_id : undefined;
  return typeof id === 'string' ? id : null;
}
