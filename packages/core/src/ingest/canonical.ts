/** Query parameters that only track a click, never change the article. */
const TRACKING = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$/i;

/**
 * The form of an article URL used to recognise the same item: no fragment, no tracking
 * parameters, no default port, host in lower case. Undefined for a URL that does not parse.
 */
export function canonicalUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  url.hash = '';
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  if ([...url.searchParams.keys()].length === 0) url.search = '';
  return url.href;
}

/** The identity keys of an item: its GUID and its canonical link, either of which makes two items one. */
export function identityKeys(guid: string | undefined, ...links: Array<string | undefined>): string[] {
  const keys: string[] = [];
  if (guid !== undefined && guid.trim() !== '') keys.push(`guid:${guid.trim()}`);
  for (const link of links) {
    const c = link === undefined ? undefined : canonicalUrl(link);
    if (c !== undefined && !keys.includes(`url:${c}`)) keys.push(`url:${c}`);
  }
  return keys;
}
