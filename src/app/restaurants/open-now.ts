import { type Restaurant, WEEKDAYS } from '../../shared/api';

/** "Open now · closes 11 pm", "Closed · opens 5:30 pm", "Closed · opens Tuesday 5:30 pm". */
export interface OpenNow {
  readonly open: boolean;
  readonly text: string;
}

const MINUTES_PER_DAY = 24 * 60;
const TIME = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)$/i;

/** "5:30 pm" → 1050 minutes after midnight; undefined for anything else. */
export function parseTime(text: string): number | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (hour < 1 || hour > 12 || minute > 59) return undefined;
  const pm = match[3]!.toLowerCase() === 'pm';
  return ((hour % 12) + (pm ? 12 : 0)) * 60 + minute;
}

/** "5:30 pm", "11 pm", "midnight", "noon": how people say it. */
export function sayTime(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (m === 0) return 'midnight';
  if (m === 12 * 60) return 'noon';
  const hour = Math.floor(m / 60);
  const minute = m % 60;
  const shown = hour % 12 === 0 ? 12 : hour % 12;
  return `${shown}${minute ? `:${String(minute).padStart(2, '0')}` : ''} ${hour < 12 ? 'am' : 'pm'}`;
}

interface Span {
  /** Minutes from the start of the week (Monday 0:00); `end` may pass into the next day. */
  readonly start: number;
  readonly end: number;
}

/** Every opening of the week; "5:30 pm - 12:00 am" ends at midnight, "12 pm - 2 am" the next night. */
function weekSpans(hours: Restaurant['operating_hours']): Span[] {
  const spans: Span[] = [];
  WEEKDAYS.forEach((day, index) => {
    for (const range of (hours[day] ?? '').split(',')) {
      const [from, to] = range.split(/\s+-\s+|\s*–\s*/);
      const start = from === undefined ? undefined : parseTime(from);
      let end = to === undefined ? undefined : parseTime(to);
      if (start === undefined || end === undefined) continue;
      if (end <= start) end += MINUTES_PER_DAY;
      const offset = index * MINUTES_PER_DAY;
      spans.push({ start: offset + start, end: offset + end });
    }
  });
  return spans;
}

/**
 * Whether the restaurant is open at `now` (the device's own clock and calendar), and the next
 * change. Undefined when the hours say nothing usable, so nothing wrong is ever claimed.
 */
export function openNow(hours: Restaurant['operating_hours'], now: Date): OpenNow | undefined {
  const spans = weekSpans(hours);
  if (!spans.length) return undefined;
  const week = 7 * MINUTES_PER_DAY;
  const t = ((now.getDay() + 6) % 7) * MINUTES_PER_DAY + now.getHours() * 60 + now.getMinutes();
  // Last week's Sunday night may still be open on Monday morning: look at the spans shifted by a week too.
  const all = [...spans, ...spans.map((s) => ({ start: s.start - week, end: s.end - week })), ...spans.map((s) => ({ start: s.start + week, end: s.end + week }))];
  const current = all.find((s) => s.start <= t && t < s.end);
  if (current) {
    // Back-to-back spans (…–12 am, 12 am–…) count as one opening.
    let end = current.end;
    for (let next = all.find((s) => s.start === end); next; next = all.find((s) => s.start === end)) end = next.end;
    return { open: true, text: `Open now · closes ${sayTime(end)}` };
  }
  const next = all.filter((s) => s.start > t).sort((a, b) => a.start - b.start)[0]!;
  const sameDay = Math.floor(next.start / MINUTES_PER_DAY) === Math.floor(t / MINUTES_PER_DAY);
  const nextDay = Math.floor(next.start / MINUTES_PER_DAY) === Math.floor(t / MINUTES_PER_DAY) + 1;
  const dayName = WEEKDAYS[(((Math.floor(next.start / MINUTES_PER_DAY)) % 7) + 7) % 7];
  const when = sameDay ? '' : nextDay ? 'tomorrow ' : `${dayName} `;
  return { open: false, text: `Closed · opens ${when}${sayTime(next.start)}` };
}
