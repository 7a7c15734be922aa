// Go's time.Time as templates print and format it (src/time/format.go): nanosecond precision, a
// fixed offset and a zone name ("UTC", or "" for an offset parsed from RFC 3339, printed as
// "+0200" as Go does for a zone without a name).

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A Go time.Time: seconds since the epoch, nanoseconds, offset in seconds, zone name. */
export class GoTime {
  constructor(
    readonly unixSec: number,
    readonly nanos: number,
    readonly offsetSec = 0,
    readonly zone = 'UTC',
  ) {}

  /** Go's zero time, 0001-01-01 00:00:00 UTC. */
  static zero(): GoTime {
    return new GoTime(-62135596800, 0);
  }

  /** Parses RFC 3339 with up to nine fractional digits (Go's JSON decoding of time.Time). */
  static parse(s: string): GoTime | undefined {
    const m =
      /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(
        s,
      );
    if (!m) return undefined;
    const [, y, mo, d, h, mi, se, frac, z, sign, oh, om] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    const fixYear = new Date(ms);
    fixYear.setUTCFullYear(Number(y)); // Date.UTC maps years 0–99 to 1900–1999
    const off = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
    const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
    const sec = Math.floor(fixYear.getTime() / 1000) - off;
    if (z) return new GoTime(sec, nanos);
    // Go's time.Parse: an offset that is the local zone's at that instant takes the local zone
    // (and its name); any other becomes a fixed zone without a name.
    const local = new GoTime(sec, nanos).local();
    return local.offsetSec === off ? local : new GoTime(sec, nanos, off, '');
  }

  static fromDate(d: Date | string): GoTime {
    const t = typeof d === 'string' ? GoTime.parse(d) : undefined;
    if (t) return t;
    const ms = typeof d === 'string' ? Date.parse(d) : d.getTime();
    if (Number.isNaN(ms)) return GoTime.zero();
    return new GoTime(Math.floor(ms / 1000), (((ms % 1000) + 1000) % 1000) * 1e6);
  }

  isZero(): boolean {
    return this.unixSec === -62135596800 && this.nanos === 0;
  }

  utc(): GoTime {
    return new GoTime(this.unixSec, this.nanos);
  }

  /** time.Time.Local: the process's zone (TZ), with its abbreviation (CET, CEST, UTC). */
  local(): GoTime {
    const d = new Date(this.unixSec * 1000);
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz === 'UTC' || tz === 'Etc/UTC') return new GoTime(this.unixSec, this.nanos);
    // The exact offset in seconds from the wall clock (getTimezoneOffset rounds to minutes, and
    // local mean time before time zones has seconds: Amsterdam's +00:19:32).
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        timeZoneName: 'short',
      })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    const wall = new Date(0);
    wall.setUTCFullYear(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
    wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second));
    const offset = Math.round((wall.getTime() - d.getTime()) / 1000);
    const name =
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeZoneName: 'short' })
        .formatToParts(d)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    // tzdata calls the offsets before standard time LMT; Intl writes them as GMT+h:mm:ss.
    const zone = /^[A-Z]{2,5}$/.test(name) ? name : offset % 60 !== 0 ? 'LMT' : '';
    return new GoTime(this.unixSec, this.nanos, offset, zone);
  }

  /** Calendar fields in the time's own offset. */
  fields() {
    const d = new Date((this.unixSec + this.offsetSec) * 1000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
      yday: Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
    };
  }

  toString(): string {
    return this.format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  /** time.Time.Format with Go's reference-time layout. */
  format(layout: string): string {
    const f = this.fields();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const off = (colon: boolean, secs: boolean, z: boolean, short = false) => {
      if (z && this.offsetSec === 0) return 'Z';
      const a = Math.abs(this.offsetSec);
      const sign = this.offsetSec < 0 ? '-' : '+';
      const hh = p2(Math.floor(a / 3600));
      const mm = p2(Math.floor((a % 3600) / 60));
      if (short) return sign + hh;
      return sign + hh + (colon ? ':' : '') + mm + (secs ? (colon ? ':' : '') + p2(a % 60) : '');
    };
    const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    // Longest token first, as Go's nextStdChunk distinguishes "Jan" from "January" and so on.
    const table: [string, () => string][] = [
      ['January', () => MONTHS[f.month - 1]!],
      ['Monday', () => DAYS[f.weekday]!],
      ['Z07:00:00', () => off(true, true, true)],
      ['-07:00:00', () => off(true, true, false)],
      ['Z070000', () => off(false, true, true)],
      ['-070000', () => off(false, true, false)],
      ['Z07:00', () => off(true, false, true)],
      ['-07:00', () => off(true, false, false)],
      ['Z0700', () => off(false, false, true)],
      ['-0700', () => off(false, false, false)],
      ['Z07', () => off(false, false, true, true)],
      ['-07', () => off(false, false, false, true)],
      ['2006', () => String(f.year).padStart(4, '0')],
      ['__2', () => String(f.yday).padStart(3, ' ')],
      ['002', () => String(f.yday).padStart(3, '0')],
      ['Jan', () => MONTHS[f.month - 1]!.slice(0, 3)],
      ['Mon', () => DAYS[f.weekday]!.slice(0, 3)],
      ['MST', () => this.zone || off(false, false, false)],
      ['01', () => p2(f.month)],
      ['02', () => p2(f.day)],
      ['_2', () => String(f.day).padStart(2, ' ')],
      ['03', () => p2(h12)],
      ['04', () => p2(f.minute)],
      ['05', () => p2(f.second)],
      ['06', () => p2(f.year % 100)],
      ['15', () => p2(f.hour)],
      ['PM', () => (f.hour >= 12 ? 'PM' : 'AM')],
      ['pm', () => (f.hour >= 12 ? 'pm' : 'am')],
      ['1', () => String(f.month)],
      ['2', () => String(f.day)],
      ['3', () => String(h12)],
      ['4', () => String(f.minute)],
      ['5', () => String(f.second)],
    ];
    let out = '';
    for (let i = 0; i < layout.length;) {
      // Fractional seconds: ".000" keeps zeros, ".999" trims them (Go's stdFracSecond).
      const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
      if (frac) {
        const n = frac[1]!.length;
        let digits = String(this.nanos).padStart(9, '0').slice(0, n);
        if (frac[1]![0] === '9') digits = digits.replace(/0+$/, '');
        out += digits ? layout[i]! + digits : '';
        i += frac[0].length;
        continue;
      }
      const hit = table.find(([tok]) => layout.startsWith(tok, i));
      if (hit) {
        out += hit[1]();
        i += hit[0].length;
      } else out += layout[i++];
    }
    return out;
  }
}
