import { Injectable } from '@nestjs/common';
import { kyivDate, type CalendarDate } from '../calendar/calendar-date';

/**
 * The one source of "now" for services: inject `Clock` (provided globally by PlatformModule) instead
 * of calling `new Date()`, so a test can pin time with `overrideProvider(Clock).useValue(new FixedClock(at))`.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's calendar date in Europe/Kyiv. */
  today(): CalendarDate {
    return kyivDate(this.now());
  }
}

/** A clock stopped at one instant (tests). */
export class FixedClock extends Clock {
  constructor(private readonly at: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.at.getTime());
  }
}
