import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type Restaurant, WEEKDAYS, type Weekday } from '../../shared/api';

export interface HoursRow {
  readonly day: Weekday;
  /** "12:00 pm - 4:00 pm, 5:30 pm - 11:00 pm" becomes two ranges, shown on two lines. */
  readonly ranges: readonly string[];
  readonly today: boolean;
}

/**
 * The week from Monday, with `today` from the device's own calendar: that is the day the person
 * holding it means by "today".
 */
export function hoursRows(hours: Restaurant['operating_hours'], now: Date): HoursRow[] {
  const today = WEEKDAYS[(now.getDay() + 6) % 7];
  return WEEKDAYS.map((day) => ({
    day,
    ranges: (hours[day] ?? '')
      .split(',')
      .map((range) => range.trim())
      .filter(Boolean),
    today: day === today,
  }));
}

@Component({
  selector: 'app-opening-hours',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="hours">
      <caption>Opening hours</caption>
      <tbody>
        @for (row of rows(); track row.day) {
          <tr [class.is-today]="row.today" [attr.aria-current]="row.today ? 'date' : null">
            <th scope="row">
              {{ row.day }}
              @if (row.today) {
                <span class="today-tag">(today)</span>
              }
            </th>
            <td>
              @for (range of row.ranges; track $index) {
                <span class="range">{{ range }}</span>
              } @empty {
                <span class="unlisted">Not listed</span>
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .hours {
      width: 100%;
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    caption {
      margin-bottom: 0.5rem;
      font-size: 1.25rem;
      font-weight: 700;
      text-align: left;
    }
    th,
    td {
      padding: 0.45rem 0.5rem;
      border-bottom: 1px solid var(--border);
      text-align: left;
      vertical-align: top;
    }
    th {
      width: 1%;
      padding-right: 1rem;
      font-weight: 600;
      white-space: nowrap;
    }
    /* On a 320 px phone, "Saturday (today)" beside "12:00 pm - 4:00 pm" is wider than the screen. */
    @media (max-width: 30rem) {
      .today-tag {
        display: block;
      }
      th,
      td {
        padding-inline: 0.4rem;
      }
    }
    .range {
      display: block;
      white-space: nowrap;
    }
    .unlisted {
      color: var(--text-muted);
    }
    .is-today {
      background: var(--accent-soft);
    }
    .is-today th {
      box-shadow: inset 4px 0 0 var(--accent);
    }
    .today-tag {
      color: var(--accent-text);
      font-size: 0.875rem;
    }
  `,
})
export class OpeningHours {
  readonly hours = input.required<Restaurant['operating_hours']>();
  /** When "today" is; fixed in tests, the moment the page opened otherwise. */
  readonly now = input<Date>(new Date());

  protected readonly rows = computed(() => hoursRows(this.hours(), this.now()));
}
