/** newsrag's version, as sent in the User-Agent (kept equal to package.json's by a test). */
export const NEWSRAG_VERSION = '0.1.0';

/** `newsrag/<version> (+contact)`: says who fetches and how to reach them. */
export function userAgent(contact: string): string {
  return `newsrag/${NEWSRAG_VERSION} (+${contact.replace(/[\r\n()]/g, ' ').trim()})`;
}
