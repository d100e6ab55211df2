import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Restaurant } from '../../shared/api';
import { OpeningHours, hoursRows } from './opening-hours';

const HOURS: Restaurant['operating_hours'] = {
  Monday: '5:30 pm - 11:00 pm',
  Tuesday: '5:30 pm - 11:00 pm',
  Wednesday: '5:30 pm - 11:00 pm',
  Thursday: '5:30 pm - 11:00 pm',
  Friday: '5:30 pm - 11:00 pm',
  Saturday: '12:00 pm - 4:00 pm, 5:30 pm - 12:00 am',
};

// Local dates: 2024-06-12 was a Wednesday, 2024-06-16 a Sunday.
const WEDNESDAY = new Date(2024, 5, 12, 21, 0);
const SUNDAY = new Date(2024, 5, 16, 9, 0);

describe('hoursRows', () => {
  it('lists the week from Monday and marks today', () => {
    const rows = hoursRows(HOURS, WEDNESDAY);
    expect(rows.map((row) => row.day)).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(rows.filter((row) => row.today).map((row) => row.day)).toEqual(['Wednesday']);
  });

  it('knows Sunday is the last day of the week', () => {
    expect(hoursRows(HOURS, SUNDAY).find((row) => row.today)?.day).toBe('Sunday');
  });

  it('splits several ranges and leaves missing days empty', () => {
    const rows = hoursRows(HOURS, WEDNESDAY);
    expect(rows[5].ranges).toEqual(['12:00 pm - 4:00 pm', '5:30 pm - 12:00 am']);
    expect(rows[6].ranges).toEqual([]);
  });
});

describe('OpeningHours', () => {
  function render(now: Date): HTMLElement {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(OpeningHours);
    fixture.componentRef.setInput('hours', HOURS);
    fixture.componentRef.setInput('now', now);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('is a table with a caption and a row header per day', () => {
    const element = render(WEDNESDAY);
    expect(element.querySelector('table caption')?.textContent?.trim()).toBe('Opening hours');
    const headers = [...element.querySelectorAll('tbody th')];
    expect(headers.length).toBe(7);
    expect(headers.every((th) => th.getAttribute('scope') === 'row')).toBeTrue();
  });

  it("highlights today's row, for the eye and for assistive technology", () => {
    const element = render(WEDNESDAY);
    const current = element.querySelectorAll('tr[aria-current="date"]');
    expect(current.length).toBe(1);
    expect(current[0].classList).toContain('is-today');
    expect(current[0].querySelector('th')?.textContent).toContain('Wednesday');
    expect(current[0].textContent).toContain('(today)');
    expect(element.querySelectorAll('.is-today').length).toBe(1);
  });

  it('moves the highlight with the date', () => {
    const element = render(SUNDAY);
    expect(element.querySelector('tr[aria-current="date"] th')?.textContent).toContain('Sunday');
    expect(element.querySelector('tr[aria-current="date"] td')?.textContent?.trim()).toBe('Not listed');
  });
});
