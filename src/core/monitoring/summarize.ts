import type { MonitoringRecord } from '../objects/types';
import { percentile } from './percentile';
import { populationStabilityIndex } from './psi';

export interface MonitoringThresholds {
  /** PSI above this flags drift. */
  drift: number;
  /** A prediction whose top probability is below this is a low-confidence one. */
  lowConfidence: number;
}

/**
 * Drift at PSI 0.1, the usual line above which a shift is worth a look (0.1–0.25 moderate, above
 * 0.25 significant): a model of few classes fed images of none of them may still spread its
 * answers over its classes much as in training, so only a moderate shift shows. 0.6: well clear
 * of a coin toss between two classes.
 */
export const DEFAULT_THRESHOLDS: MonitoringThresholds = { drift: 0.1, lowConfidence: 0.6 };

/** Above this PSI a shift is a significant one, whatever the flag's threshold. */
export const SIGNIFICANT_PSI = 0.25;

/** Below this many images the index mostly measures chance: the page says so. */
export const FEW_IMAGES = 100;

export const CONFIDENCE_BINS = 10;

export interface MonitoringSummary {
  images: number;
  errors: number;
  /** Per image, ms; NaN without predictions. */
  latency: { p50: number; p95: number; p99: number };
  imagesPerSecond: number;
  /** Predictions per class, in the record's class order. */
  predicted: number[];
  /** Training images per class, same order. */
  training: number[];
  psi: number;
  drift: boolean;
  /** Top probabilities in CONFIDENCE_BINS equal bins over [0, 1] (1 falls in the last). */
  confidence: number[];
  lowConfidence: { count: number; rate: number };
  /** Images whose folder names a class, scored against it; null when none does. */
  accuracy: { labelled: number; correct: number; rate: number } | null;
}

/** What the Monitoring region shows of a batch, against the training distribution of its version. */
export function summarizeRecord(record: MonitoringRecord, training: readonly number[], thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS): MonitoringSummary {
  const { predictions, classNames } = record;
  const latencies = predictions.map((prediction) => prediction.latencyMs);
  const predicted = classNames.map(() => 0);
  const confidence = new Array<number>(CONFIDENCE_BINS).fill(0);
  let low = 0;
  let labelled = 0;
  let correct = 0;
  for (const { predicted: index, probabilities, label } of predictions) {
    predicted[index]! += 1;
    const top = probabilities[index]!;
    confidence[Math.min(CONFIDENCE_BINS - 1, Math.floor(top * CONFIDENCE_BINS))]! += 1;
    if (top < thresholds.lowConfidence) low += 1;
    if (label !== null) {
      labelled += 1;
      if (classNames[index] === label) correct += 1;
    }
  }
  const psi = populationStabilityIndex(predicted, training);
  return {
    images: predictions.length,
    errors: record.errors.length,
    latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    imagesPerSecond: record.durationMs > 0 ? (predictions.length * 1000) / record.durationMs : 0,
    predicted,
    training: [...training],
    psi,
    drift: predictions.length > 0 && psi > thresholds.drift,
    confidence,
    lowConfidence: { count: low, rate: predictions.length > 0 ? low / predictions.length : 0 },
    accuracy: labelled > 0 ? { labelled, correct, rate: correct / labelled } : null,
  };
}
