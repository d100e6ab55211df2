/**
 * A figure is one number the bench reports: its raw runs, their median/min/max, and a target that
 * is printed next to it (never asserted: the bench always exits 0).
 */

export type Op = '>=' | '<=' | '<' | '>' | '=';

export interface Target {
  op: Op;
  value: number;
}

export interface Figure {
  /** Measurement that produced it (e.g. "lighthouse", "server"). */
  group: string;
  name: string;
  unit: string;
  runs: number[];
  median?: number;
  min?: number;
  max?: number;
  target?: Target;
  /** Undefined when there is no target or no value. */
  met?: boolean;
  /** How it was measured, when the table alone would mislead (e.g. "1 run", "RATE_LIMIT_MAX raised"). */
  note?: string;
  error?: string;
}

export function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function meets(value: number, target: Target): boolean {
  switch (target.op) {
    case '>=':
      return value >= target.value;
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
    case '>':
      return value > target.value;
    case '=':
      return value === target.value;
  }
}

export function figure(
  group: string,
  name: string,
  unit: string,
  runs: number[],
  options: { target?: Target; note?: string } = {},
): Figure {
  const clean = runs.filter((v) => Number.isFinite(v));
  const result: Figure = { group, name, unit, runs: clean, ...options };
  if (clean.length) {
    result.median = median(clean);
    result.min = Math.min(...clean);
    result.max = Math.max(...clean);
    if (options.target) result.met = meets(result.median!, options.target);
  }
  return result;
}

export function failed(group: string, name: string, unit: string, error: unknown, target?: Target): Figure {
  return { group, name, unit, runs: [], target, error: messageOf(error) };
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!.slice(0, 300);
  return String(error).slice(0, 300);
}

/** Formats a number for the table: integers as is, others with sensible precision. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined) return '—';
  if (unit === 'B') return formatBytes(value);
  const abs = Math.abs(value);
  const text =
    abs >= 1000 || Number.isInteger(value)
      ? Math.round(value).toLocaleString('en-US')
      : abs >= 100
        ? value.toFixed(0)
        : abs >= 10
          ? value.toFixed(1)
          : abs >= 1
            ? value.toFixed(2)
            : value.toFixed(3);
  return unit ? `${text} ${unit}` : text;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

export function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  return `${target.op} ${formatValue(target.value, unit)}`;
}
