/**
 * The stand-in's gateway: HELLO → IDENTIFY → READY → GUILD_CREATE, heartbeat ACKs,
 * RESUME answered with "identify afresh", and dispatches injected by tests.
 */
import type { WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload, type StandinGuild, type StandinUser, snowflake } from './payloads.js';

export interface GatewayIdentity {
  botUser: StandinUser;
  applicationId: string;
  guilds: StandinGuild[];
  heartbeatIntervalMs: number;
  /** The URL clients resume on (the stand-in's own). */
  url: () => string;
}

export class StandinGateway {
  /** Gateway payloads the bot sent (IDENTIFY, heartbeats…). */
  readonly received: Array<{ op: number; d: unknown }> = [];
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  private identified!: Promise<void>;
  private resolveIdentified!: () => void;

  constructor(
    wss: WebSocketServer,
    private readonly identity: GatewayIdentity,
  ) {
    this.identified = new Promise((resolve) => {
      this.resolveIdentified = resolve;
    });
    wss.on('connection', (ws) => this.handleSocket(ws));
  }

  /** Resolves when a client has identified and received READY + GUILD_CREATEs. */
  waitForIdentify(): Promise<void> {
    return this.identified;
  }

  /** Sends a dispatch (op 0) with the next sequence number to every client; returns `performance.now()`. */
  dispatch(t: string, d: unknown): number {
    this.seq += 1;
    this.sendRaw({ op: 0, t, s: this.seq, d });
    return performance.now();
  }

  /** Sends any payload as-is (a string is sent verbatim, e.g. invalid JSON). */
  sendRaw(payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (this.sockets.size === 0) throw new Error('no gateway client is connected to the stand-in');
    for (const ws of this.sockets) ws.send(text);
  }

  terminateAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  private handleSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
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
        const d = payload.d as { token?: string } | null;
        if (!d?.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.onIdentify(ws);
      } else if (payload.op === 6) {
        // Sessions are not kept across connections: tell the client to identify afresh.
        ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    });
  }

  private onIdentify(ws: WebSocket): void {
    const { botUser, applicationId, guilds } = this.identity;
    const send = (t: string, d: unknown) => {
      this.seq += 1;
      ws.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
    };
    send('READY', {
      v: 10,
      user: { ...botUser, discriminator: '0', avatar: null, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${snowflake()}`,
      resume_gateway_url: this.identity.url(),
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      user_settings: {},
      _trace: ['newsrag-discord-standin'],
    });
    for (const guild of guilds) send('GUILD_CREATE', guildCreatePayload(guild, botUser));
    this.resolveIdentified();
  }
}
