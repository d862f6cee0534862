import { applyUnitScale, DeviceKind } from './device-kind';
import { validateReading } from './reading-validation';
import { ALL_REJECT_REASONS, describeRejectReason, RejectReason } from './reject-reasons';

/** A kind made for these tests; the real catalogue is checked in devices/src/reading-validation.spec.ts. */
const THERMOMETER: DeviceKind = {
  id: 'thermometer',
  measurement: 'thermometer',
  description: 'test kind',
  reportingIntervalS: 60,
  metrics: {
    t_c: {
      unit: '°C',
      type: 'number',
      min: -50,
      max: 50,
      senmlUnits: { Cel: 1, mCel: { divideBy: 1000 } },
      description: 'temperature',
    },
    door_open: { unit: '', type: 'boolean', description: 'door' },
  },
};
const WINDOW = { maxPastMs: 1000, maxFutureMs: 10 };

describe('domain rules', () => {
  it('scales units by a factor or an exact divisor', () => {
    expect(applyUnitScale(2, 1000)).toBe(2000);
    expect(applyUnitScale(3.6e9, { divideBy: 3.6e6 })).toBe(1000);
    expect(applyUnitScale(21500, { divideBy: 1000 })).toBe(21.5);
  });

  it('describes every reject reason with its own sentence', () => {
    const sentences = ALL_REJECT_REASONS.map(describeRejectReason);
    expect(new Set(sentences).size).toBe(ALL_REJECT_REASONS.length);
    for (const s of sentences) expect(s.length).toBeGreaterThan(15);
  });

  it.each([
    [
      { metric: 't_c', value: 21.5, index: 0 },
      { ok: true, reading: { metric: 't_c', value: 21.5, ts: 5000 } },
    ],
    [
      { metric: 't_c', value: 21500, unit: 'mCel', index: 0 },
      { ok: true, reading: { metric: 't_c', value: 21.5, ts: 5000 } },
    ],
    [
      { metric: 'door_open', value: false, ts: 4000, index: 1 },
      { ok: true, reading: { metric: 'door_open', value: false, ts: 4000 } },
    ],
  ])('accepts %j', (reading, expected) => {
    expect(validateReading(THERMOMETER, reading, 5000, WINDOW)).toEqual(expected);
  });

  it.each([
    [{ metric: 'humidity', value: 1, index: 0 }, RejectReason.UnknownMetric],
    [{ metric: 'hasOwnProperty', value: 1, index: 0 }, RejectReason.UnknownMetric],
    [{ metric: 't_c', value: '21', index: 0 }, RejectReason.WrongType],
    [{ metric: 'door_open', value: 0, index: 0 }, RejectReason.WrongType],
    [{ metric: 't_c', value: Infinity, index: 0 }, RejectReason.NonFinite],
    [{ metric: 't_c', value: 50.01, index: 0 }, RejectReason.OutOfRange],
    [{ metric: 't_c', value: 20, unit: 'K', index: 0 }, RejectReason.BadUnit],
    [{ metric: 't_c', value: 20, unit: 'constructor', index: 0 }, RejectReason.BadUnit],
    [{ metric: 'door_open', value: true, unit: 'Cel', index: 0 }, RejectReason.BadUnit],
    [{ metric: 't_c', value: 20, ts: 3999, index: 0 }, RejectReason.TimestampOutOfWindow],
    [{ metric: 't_c', value: 20, ts: 5011, index: 0 }, RejectReason.TimestampOutOfWindow],
  ])('refuses %j as %s', (reading, reason) => {
    const outcome = validateReading(THERMOMETER, reading, 5000, WINDOW);
    expect(outcome).toMatchObject({ ok: false, rejection: { reason, index: 0, metric: reading.metric } });
  });
});
