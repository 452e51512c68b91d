/**
 * The performance floors the issue sets, as PASS/FAIL lines. A floor whose figure
 * could not be measured is reported as NOT RUN, never as a pass.
 */

/** One checked floor. */
export interface FloorCheck {
  name: string;
  /** What was measured, with its unit. */
  measured: string;
  /** The limit, with its unit. */
  limit: string;
  status: 'PASS' | 'FAIL' | 'NOT RUN';
  note?: string;
}

/** A floor "value ≤ limit" (or `<` when `strict`). */
export function atMost(
  name: string,
  value: number | undefined,
  limit: number,
  unit: string,
  options: { strict?: boolean; decimals?: number; note?: string } = {},
): FloorCheck {
  const d = options.decimals ?? 1;
  const op = options.strict ? '<' : '≤';
  const base = { name, limit: `${op} ${limit.toFixed(d)} ${unit}`, ...(options.note ? { note: options.note } : {}) };
  if (value === undefined || !Number.isFinite(value)) return { ...base, measured: 'not measured', status: 'NOT RUN' };
  const ok = options.strict ? value < limit : value <= limit;
  return { ...base, measured: `${value.toFixed(d)} ${unit}`, status: ok ? 'PASS' : 'FAIL' };
}

/** A floor "value ≥ limit", e.g. a speed ratio against a peer. */
export function atLeast(
  name: string,
  value: number | undefined,
  limit: number,
  unit: string,
  options: { decimals?: number; note?: string } = {},
): FloorCheck {
  const d = options.decimals ?? 1;
  const base = { name, limit: `≥ ${limit.toFixed(d)} ${unit}`, ...(options.note ? { note: options.note } : {}) };
  if (value === undefined || !Number.isFinite(value)) return { ...base, measured: 'not measured', status: 'NOT RUN' };
  return { ...base, measured: `${value.toFixed(d)} ${unit}`, status: value >= limit ? 'PASS' : 'FAIL' };
}

/** A floor that is a yes/no comparison, described by `measured`. */
export function holds(
  name: string,
  ok: boolean | undefined,
  measured: string,
  limit: string,
  note?: string,
): FloorCheck {
  return {
    name,
    measured,
    limit,
    status: ok === undefined ? 'NOT RUN' : ok ? 'PASS' : 'FAIL',
    ...(note ? { note } : {}),
  };
}

/** `PASS  name: measured (limit) — note`. */
export function floorLine(f: FloorCheck): string {
  return `${f.status.padEnd(7)} ${f.name}: ${f.measured} (floor ${f.limit})${f.note ? ` — ${f.note}` : ''}`;
}
