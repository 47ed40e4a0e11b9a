import { describe, expect, it } from 'vitest';
import { acceptance, metricsCsv, mulberry32, pythonFloatRepr, type HistoryRow } from '../../src/core/train';
import { python } from '../harness/python.mjs';

// The independent check: Python itself. Values travel as JavaScript's round-trip strings
// (which Python's float() parses exactly, NaN and Infinity included); the CSV is written the
// way Keras' CSVLogger does it.

const CSV_LOGGER = `
import csv, io, json, sys
rows = json.load(sys.stdin)
keys = sorted(k for k in rows[0] if k != 'epoch')
class CustomDialect(csv.excel):
    delimiter = ','
out = io.StringIO(newline='')
writer = csv.DictWriter(out, fieldnames=['epoch'] + keys, dialect=CustomDialect)
writer.writeheader()
for row in rows:
    writer.writerow(dict([('epoch', int(row['epoch']))] + [(k, float(row[k])) for k in keys]))
sys.stdout.write(json.dumps(out.getvalue()))
`;

const REPRS = `
import json, sys
sys.stdout.write(json.dumps([repr(float(v)) for v in json.load(sys.stdin)]))
`;

/** String(-0) is "0": keep the sign Python must see. */
const roundTrip = (value: number) => (Object.is(value, -0) ? '-0' : String(value));
const asStrings = (rows: HistoryRow[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, roundTrip(v)])));

describe('pythonFloatRepr', () => {
  it('matches repr(float) around every threshold and on random values', () => {
    const random = mulberry32(11);
    const special = [
      0, -0, 1, -1, 0.1, 0.5, 1 / 3, 2 / 3, 100, 1e15, 1e16, 9999999999999998, 1.5e16, 1e21, 1e22, 123456789012345680,
      1e-4, 0.00012, 1e-5, 1.5e-7, 9.999e-5, 1e-7, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 0.30000000000000004,
      Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.6931471805599453, 0.5400000214576721,
    ];
    const randomValues = Array.from({ length: 300 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 50 - 25));
    const values = [...special, ...randomValues];
    const expected = python(REPRS, values.map(roundTrip)) as string[];
    expect(values.map(pythonFloatRepr)).toEqual(expected);
  });
});

describe('metricsCsv', () => {
  it('writes what Keras’ CSVLogger writes for the same rows', () => {
    const history: HistoryRow[] = [
      { epoch: 0, accuracy: 0.5400000214576721, loss: 0.8207805156707764, val_accuracy: 0.5, val_loss: 0.6988813281059265 },
      { epoch: 1, accuracy: 1, loss: 1e-5, val_accuracy: 0, val_loss: 1.5e-7 },
      { epoch: 2, accuracy: 0.75, loss: Number.NaN, val_accuracy: 2 / 3, val_loss: 1e16 },
      { epoch: 3, accuracy: -0, loss: Number.POSITIVE_INFINITY, val_accuracy: 0.0001, val_loss: 123456.789 },
    ];
    const csv = metricsCsv(history);
    expect(csv).toBe(python(CSV_LOGGER, asStrings(history)));
    expect(csv.split('\r\n')[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(csv.split('\r\n')[2]).toBe('1,1.0,1e-05,0.0,1.5e-07');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('sorts whatever keys the rows carry, writes NA for a missing one, and nothing for no epochs', () => {
    const rows: Record<string, number>[] = [{ epoch: 0, val_loss: 0.25, loss: 0.5, lr: 0.001 }, { epoch: 1, loss: 0.125, lr: 0.001 }];
    expect(metricsCsv(rows)).toBe('epoch,loss,lr,val_loss\r\n0,0.5,0.001,0.25\r\n1,0.125,0.001,NA\r\n');
    expect(metricsCsv([])).toBe('');
  });
});

describe('acceptance', () => {
  it('passes or fails with a sentence', () => {
    expect(acceptance(0.8542, { metric: 'val_accuracy', op: '>=', threshold: 0.8 })).toEqual({
      pass: true,
      message: 'Passed: val_accuracy is 0.8542, at least 0.8 as required.',
    });
    expect(acceptance(0.75, { metric: 'val_accuracy', op: '>=', threshold: 0.8 })).toEqual({
      pass: false,
      message: 'Failed: val_accuracy is 0.75, but the rule asks for at least 0.8.',
    });
    expect(acceptance(0.3, { metric: 'val_loss', op: '<=', threshold: 0.5 }).pass).toBe(true);
    expect(acceptance(0.5, { metric: 'loss', op: '<=', threshold: 0.5 }).pass).toBe(true);
  });

  it('does not let rounding contradict the verdict, and fails a missing value', () => {
    expect(acceptance(0.79996, { metric: 'accuracy', op: '>=', threshold: 0.8 }).message).toBe(
      'Failed: accuracy is 0.79996, but the rule asks for at least 0.8.',
    );
    expect(acceptance(Number.NaN, { metric: 'val_loss', op: '<=', threshold: 1 })).toEqual({
      pass: false,
      message: 'Failed: val_loss has no value (got NaN), so it cannot meet <= 1.',
    });
    expect(acceptance(undefined, { metric: 'val_accuracy', op: '>=', threshold: 0.9 }).pass).toBe(false);
  });
});
