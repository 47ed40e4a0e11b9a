import { describe, expect, it } from 'vitest';
import { describeFeatureLayer, featureLayerParts } from '../../src/core/features/feature-layers';

const LAYERS = new Set(['conv', 'block_10_depthwise_relu', 'out_relu', 'odd+name']);
const has = (name: string) => LAYERS.has(name);

describe('feature layers', () => {
  it('names one layer, or several joined by "+" in the order given', () => {
    expect(featureLayerParts('out_relu', has)).toEqual(['out_relu']);
    expect(featureLayerParts('block_10_depthwise_relu+out_relu', has)).toEqual(['block_10_depthwise_relu', 'out_relu']);
    expect(featureLayerParts('out_relu+conv', has)).toEqual(['out_relu', 'conv']);
  });

  it('takes a layer whose own name has "+" as that layer', () => {
    expect(featureLayerParts('odd+name', has)).toEqual(['odd+name']);
  });

  it('refuses a missing layer or part, and a layer named twice, saying which', () => {
    expect(() => featureLayerParts('nope', has)).toThrow('The backbone has no layer named “nope”.');
    expect(() => featureLayerParts('conv+nope', has)).toThrow('The backbone has no layer named “nope”.');
    expect(() => featureLayerParts('conv+', has)).toThrow('The backbone has no layer named “”.');
    expect(() => featureLayerParts('conv+conv', has)).toThrow('The feature layer “conv+conv” names a layer twice.');
  });

  it('says in words what the page uses', () => {
    const one = '(averaged over its positions when it gives a map)';
    const each = '(each averaged over its positions when it gives a map)';
    expect(describeFeatureLayer('out_relu', has)).toBe(`layer out_relu ${one}`);
    expect(describeFeatureLayer('block_10_depthwise_relu+out_relu', has)).toBe(`layers block_10_depthwise_relu and out_relu side by side ${each}`);
    expect(describeFeatureLayer('conv+block_10_depthwise_relu+out_relu', has)).toBe(`layers conv, block_10_depthwise_relu and out_relu side by side ${each}`);
    expect(describeFeatureLayer('gone', has)).toBe(`layer gone ${one}`);
  });
});
