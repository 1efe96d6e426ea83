import { fromDayNumber } from './calendar-date.ts';

// The 清明 solar term: the day (Beijing time, UTC+8) on which the sun's apparent longitude reaches 15°.
// Computed from the low-accuracy solar coordinates of Meeus, "Astronomical Algorithms" ch. 25 (about
// 0.01°, a quarter of an hour), which holds for any year; `chinese-days`' own term function uses a
// fitted formula for 1900–2099 only and formats through the process's local time zone.

const RAD = Math.PI / 180;
const JD_UNIX_EPOCH = 2440587.5;

function apparentLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525;
  const l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const m = (357.52911 + 35999.05029 * t - 0.0001537 * t * t) * RAD;
  const c =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.sin(m) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * m) +
    0.000289 * Math.sin(3 * m);
  const omega = (125.04 - 1934.136 * t) * RAD;
  const lambda = l0 + c - 0.00569 - 0.00478 * Math.sin(omega);
  return ((lambda % 360) + 360) % 360;
}

/** The date ('YYYY-MM-DD', Beijing time) on which the sun reaches the given apparent longitude in `year`. */
export function solarTermDate(
  year: number,
  longitude: number,
  approxMonth: number,
  approxDay: number,
): string {
  let jd = Date.UTC(year, approxMonth - 1, approxDay) / 86_400_000 + JD_UNIX_EPOCH;
  for (let i = 0; i < 8; i++) {
    let diff = longitude - apparentLongitude(jd);
    if (diff > 180) diff -= 360;
    if (diff < -180) diff += 360;
    jd += (diff * 365.2422) / 360;
    if (Math.abs(diff) < 1e-7) break;
  }
  // Dynamical time and universal time differ by about a minute in this era: below the method's accuracy.
  return fromDayNumber(Math.floor(jd - JD_UNIX_EPOCH + 8 / 24));
}

/** 清明: the sun at 15°, around April 4–5. */
export const qingmingDate = (year: number): string => solarTermDate(year, 15, 4, 5);
