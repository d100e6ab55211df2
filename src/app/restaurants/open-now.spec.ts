import type { Restaurant } from '../../shared/api';
import { openNow, parseTime, sayTime } from './open-now';

const HOURS: Restaurant['operating_hours'] = {
  Monday: '5:30 pm - 11:00 pm',
  Tuesday: '5:30 pm - 11:00 pm',
  Wednesday: '5:30 pm - 11:00 pm',
  Thursday: '5:30 pm - 11:00 pm',
  Friday: '5:30 pm - 11:00 pm',
  Saturday: '12:00 pm - 4:00 pm, 5:30 pm - 12:00 am',
  Sunday: '12:00 pm - 2:00 am',
};

// Local dates: 2024-06-10 was a Monday.
const at = (day: number, hour: number, minute = 0) => new Date(2024, 5, 10 + day, hour, minute);

describe('open now', () => {
  it('reads and says times', () => {
    expect(parseTime('5:30 pm')).toBe(17 * 60 + 30);
    expect(parseTime('12:00 am')).toBe(0);
    expect(parseTime('12:00 pm')).toBe(12 * 60);
    expect(parseTime('11 pm')).toBe(23 * 60);
    expect(parseTime('Closed')).toBeUndefined();
    expect(sayTime(23 * 60)).toBe('11 pm');
    expect(sayTime(17 * 60 + 30)).toBe('5:30 pm');
    expect(sayTime(0)).toBe('midnight');
    expect(sayTime(12 * 60)).toBe('noon');
  });

  it('says when an open restaurant closes', () => {
    expect(openNow(HOURS, at(0, 20))).toEqual({ open: true, text: 'Open now · closes 11 pm' });
    expect(openNow(HOURS, at(5, 22))).toEqual({ open: true, text: 'Open now · closes midnight' });
  });

  it('says when a closed restaurant opens: today, tomorrow or on a named day', () => {
    expect(openNow(HOURS, at(0, 9))).toEqual({ open: false, text: 'Closed · opens 5:30 pm' });
    expect(openNow(HOURS, at(0, 23, 30))).toEqual({ open: false, text: 'Closed · opens tomorrow 5:30 pm' });
    expect(openNow(HOURS, at(5, 16, 30))).toEqual({ open: false, text: 'Closed · opens 5:30 pm' });
    expect(openNow({ Wednesday: '8:00 am - 4:00 pm' }, at(0, 10))).toEqual({ open: false, text: 'Closed · opens Wednesday 8 am' });
  });

  it('keeps a night that runs past midnight open, into Monday morning too', () => {
    expect(openNow(HOURS, at(0, 1))).toEqual({ open: true, text: 'Open now · closes 2 am' });
  });

  it('claims nothing when the hours cannot be read', () => {
    expect(openNow({}, at(0, 12))).toBeUndefined();
    expect(openNow({ Monday: 'Closed' }, at(0, 12))).toBeUndefined();
  });
});
