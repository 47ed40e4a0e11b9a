import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
await tf.setBackend('wasm');
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const classes = [...new Set(d.label)].sort();
const idx = (s) => d.split.map((x, i) => [x, i]).filter(([x]) => x === s).map(([, i]) => i);
const tr = idx('train'), va = idx('validation');
async function run(name, feat, epochs) {
  const accs = [];
  for (const seed of [1, 2, 3]) {
    const dim = feat(0).length;
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [dim], units: 256, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }), tf.layers.dropout({ rate: 0.5, seed }), tf.layers.dense({ units: classes.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) })] });
    head.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const X = tf.tensor2d(tr.map(feat)), Y = tf.oneHot(tr.map(i => classes.indexOf(d.label[i])), classes.length);
    const VX = tf.tensor2d(va.map(feat)), VY = tf.oneHot(va.map(i => classes.indexOf(d.label[i])), classes.length);
    const h = await head.fit(X, Y, { epochs, batchSize: 32, validationData: [VX, VY], verbose: 0, shuffle: true });
    accs.push(h.history.val_acc.at(-1)); tf.dispose([X, Y, VX, VY]); head.dispose();
  }
  const med = [...accs].sort()[1];
  console.log(`${name.padEnd(40)} ep=${epochs} val ${accs.map(a => (a * 100).toFixed(1)).join(' / ')} median ${(med*100).toFixed(1)}`);
}
const c = (n) => d.cuts.indexOf(n);
for (const ep of [10, 30]) {
  for (const cut of d.cuts) await run(cut, (i) => d.feats[c(cut)][i], ep);
  await run('block_10_depthwise_relu+out_relu', (i) => [...d.feats[c('block_10_depthwise_relu')][i], ...d.feats[c('out_relu')][i]], ep);
  await run('block_10_expand+depthwise', (i) => [...d.feats[c('block_10_expand_relu')][i], ...d.feats[c('block_10_depthwise_relu')][i]], ep);
}
