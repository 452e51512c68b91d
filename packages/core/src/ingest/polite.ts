import type { ParsedIngestSettings } from '../config.js';
import { allowList } from './address-policy.js';
import { HostGate } from './host-gate.js';
import { type HttpOptions, type HttpResponse, httpGet, type Validators } from './http-fetch.js';
import { ROBOTS_MAX_BYTES, RobotsCache } from './robots.js';
import { userAgent } from './user-agent.js';

/** `httpGet` behind robots.txt and the per-host gate: how ingest fetches everything. */
export class PoliteFetcher {
  readonly http: HttpOptions;
  private readonly gate: HostGate;
  private readonly robots: RobotsCache;

  constructor(settings: ParsedIngestSettings) {
    this.http = {
      userAgent: userAgent(settings.contact),
      allow: allowList(settings.allowHosts),
      connectTimeoutMs: settings.connectTimeoutMs,
      totalTimeoutMs: settings.totalTimeoutMs,
      maxBytes: settings.maxBytes,
      maxRedirects: settings.maxRedirects,
    };
    this.gate = new HostGate(settings.perHostConcurrency, settings.perHostDelayMs);
    this.robots = new RobotsCache((url) =>
      this.gate.run(new URL(url).host, () =>
        httpGet(url, { ...this.http, maxBytes: Math.min(this.http.maxBytes, ROBOTS_MAX_BYTES) }, {}, 'text/plain'),
      ),
    );
  }

  /** GETs `url` once robots.txt allows it, within the host's concurrency and delay. */
  async get(url: string, validators: Validators = {}, accept = '*/*'): Promise<HttpResponse> {
    const { crawlDelayMs } = await this.robots.check(url);
    return this.gate.run(new URL(url).host, () => httpGet(url, this.http, validators, accept), crawlDelayMs);
  }
}
