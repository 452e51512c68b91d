import { newsragError } from '../errors.js';
import { isoAt, parseDay } from './calendar.js';

const PARTIAL = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/;

/**
 * The inclusive day a `--since` (first day) or `--until` (last day) bound stands for: `2024` →
 * 2024-01-01 / 2024-12-31, `2024-02` → 2024-02-01 / 2024-02-29, a full day as given.
 *
 * @throws NewsragError `BAD_OPTIONS` naming the option when the value is not YYYY, YYYY-MM or YYYY-MM-DD
 */
export function boundDay(value: string, edge: 'since' | 'until'): string {
  const m = PARTIAL.exec(value.trim());
  const y = Number(m?.[1]);
  const month = m?.[2] ? Number(m[2]) : edge === 'since' ? 1 : 12;
  // Day 0 of the next month is the last day of this one.
  const last = new Date(Date.UTC(y, month, 0)).getUTCDate();
  const day = m?.[3] ? Number(m[3]) : edge === 'since' ? 1 : last;
  const iso = m ? isoAt({ y, m: month, d: day }, 'day') : '';
  if (!m || month < 1 || month > 12 || !parseDay(iso)) {
    throw newsragError('BAD_OPTIONS', {
      subject: `--${edge}`,
      problem: `must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`,
    });
  }
  return iso;
}
