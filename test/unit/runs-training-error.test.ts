import { describe, expect, it } from 'vitest';
import { describeTrainingError } from '../../src/core/runs/training-error';

describe('training errors', () => {
  it('turns GPU memory and device loss into advice', () => {
    expect(describeTrainingError(new Error('Failed to allocate buffer'))).toMatch(/smaller batch size or image size, or another backend/);
    expect(describeTrainingError(new Error('GPUDevice was lost: reason unknown'))).toMatch(/stopped responding.*another backend/);
    expect(describeTrainingError(new Error('WebGL context lost'))).toMatch(/Nothing was saved/);
  });

  it('passes other messages through', () => {
    expect(describeTrainingError(new Error('Add images first.'))).toBe('Add images first.');
    expect(describeTrainingError('plain')).toBe('plain');
  });
});
