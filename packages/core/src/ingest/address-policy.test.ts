import { describe, expect, it } from 'vitest';
import { allowList, checkUrl, redactUrl, refusedRange } from './address-policy.js';

const none = allowList();

describe('refusedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fc00::5', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each([
    '93.184.216.34',
    '1.1.1.1',
    '8.8.4.4',
    '2606:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:93.184.216.34',
  ])('allows the public address %s', (address) => {
    expect(refusedRange(address)).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(refusedRange('example.com')).toBe('not an IP address');
  });
});

describe('checkUrl', () => {
  it.each([
    'http://127.0.0.1/feed',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://100.64.1.1/',
    'http://0.0.0.0/',
    'https://user:secret@127.0.0.1/',
  ])('refuses %s with FETCH_BLOCKED', (url) => {
    expect(() => checkUrl(url, none)).toThrowError(expect.objectContaining({ code: 'FETCH_BLOCKED' }));
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/feed',
    'javascript:alert(1)',
    'gopher://example.com/',
    'data:text/html,hi',
  ])('refuses the scheme of %s', (url) => {
    expect(() => checkUrl(url, none)).toThrowError(/only http and https/);
  });

  it('refuses what does not parse', () => {
    expect(() => checkUrl('not a url', none)).toThrowError(expect.objectContaining({ code: 'FETCH_BLOCKED' }));
  });

  it('lets names through (they are checked after DNS resolution) and public literals', () => {
    expect(checkUrl('https://example.com/rss', none).hostname).toBe('example.com');
    expect(checkUrl('http://93.184.216.34/', none).hostname).toBe('93.184.216.34');
  });

  it('lets an allowed host reach a private address', () => {
    const allow = allowList(['127.0.0.1', '[::1]']);
    expect(checkUrl('http://127.0.0.1:9/feed', allow).port).toBe('9');
    expect(checkUrl('http://[::1]/', allow).hostname).toBe('[::1]');
  });

  it('never shows credentials in its message', () => {
    try {
      checkUrl('http://alice:hunter2@10.0.0.1/feed', none);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).not.toContain('alice');
      expect((error as Error).message).toContain('10.0.0.1');
    }
  });
});

describe('redactUrl', () => {
  it('drops user name and password', () => {
    expect(redactUrl('https://bob:pw@example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(redactUrl('https://example.com/a')).toBe('https://example.com/a');
  });
});
