// bench:train's settings, shared by its measuring (bench/train.mjs) and its report (train-report.mjs).

export const SIZE = 28;
export const BATCH = 32;
export const LR = 0.001;
export const FIRST_SEED = 42;
export const TARGET_ACCURACY_POINTS = 1;
/** Issue 11: training images/s ≥ 0.5× PyTorch's with the same number of threads. */
export const TARGET_RATIO = 0.5;
export const QUICK = process.env.BENCH_TRAIN_QUICK === '1';
/** PyTorch runs per seed, the fastest kept (see pytorchBest in train.mjs). */
export const PYTORCH_TRIES = QUICK ? 1 : 3;
