import type { MonitoringRecord } from '../objects/types';
import type { MonitoringSummary } from './summarize';

/** RFC 4180: quoted when it holds a comma, quote or line break. */
const cell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * One row per image: file, stored sha256, folder label, predicted class, its probability,
 * latency, then one probability column per class (`p_<class>`); then one row per error,
 * with its reason in the `error` column.
 */
export function monitoringCsv(record: MonitoringRecord): string {
  const header = ['file', 'sha256', 'label', 'predicted', 'confidence', 'latency_ms', ...record.classNames.map((name) => `p_${name}`), 'error'];
  const rows = record.predictions.map((p) => [p.name, p.sha256, p.label ?? '', record.classNames[p.predicted]!, p.probabilities[p.predicted]!, p.latencyMs, ...p.probabilities, '']);
  const errors = record.errors.map((e) => [e.name, '', '', '', '', '', ...record.classNames.map(() => ''), e.reason]);
  return [header, ...rows, ...errors].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The record as stored, with its id and the figures the page shows. */
export function monitoringJson(id: string, record: MonitoringRecord, summary: MonitoringSummary): string {
  return `${JSON.stringify({ id, ...record, summary }, null, 2)}\n`;
}
