// The Train button refuses what cannot train and says why, in the list "Why Train is
// disabled": no data, one class only, 0 epochs, a batch larger than the training set, an empty
// or unreadable learning rate, an image too small for the convnet. No training runs here.
// One browser, data cut from the real Fashion-MNIST pair: first sneaker only, then sandal added.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { HANG, browsers } from './fixtures';
import { FASHION, importZip, setInputs, spinbutton, subsetZip, trainButton, usage, whyDisabled } from './training-helpers';

const session = browsers({ perTest: false });
const PER_CLASS = { train: 40, validation: 10 };

async function page(): Promise<Page> {
  return (await session.shared()).page;
}

/** Train is disabled and the list says exactly these reasons. */
async function expectBlocked(p: Page, reasons: (string | RegExp)[]): Promise<void> {
  await expect
    .poll(() => whyDisabled(p), { timeout: HANG })
    .toEqual(reasons.map((reason) => (typeof reason === 'string' ? reason : expect.stringMatching(reason))));
  const shown = await whyDisabled(p);
  expect(await trainButton(p).isDisabled(), `Train is disabled (${shown.join(' / ')})`).toBe(true);
  // The list describes the button to assistive technology too.
  const describedBy = await trainButton(p).getAttribute('aria-describedby');
  expect(describedBy, 'Train is described by the list of reasons').toBeTruthy();
  expect(await p.locator(`#${describedBy}`).getAttribute('aria-label')).toBe('Why Train is disabled');
}

async function expectTrainable(p: Page): Promise<void> {
  await expect.poll(() => whyDisabled(p), { timeout: HANG }).toEqual([]);
  expect(await trainButton(p).isEnabled()).toBe(true);
}

describe('training: what the Train button refuses, and why', () => {
  test('an empty data set: Train is disabled with the reason', async () => {
    const p = await page();
    await expectBlocked(p, ['Add images first: the data set is empty.']);
  });

  test('one class only (a zip of sneakers): Train is disabled, "at least 2 classes"', async () => {
    const p = await page();
    await importZip(p, { name: 'sneakers.zip', bytes: subsetZip(FASHION(), PER_CLASS, ['sneaker']) });
    await expectBlocked(p, ['Training needs at least 2 classes; this data set has 1.']);
    const before = await usage(p);
    await trainButton(p).click({ force: true });
    await p.waitForTimeout(500);
    expect(await p.getByRole('progressbar', { name: 'Training progress' }).count(), 'no run starts').toBe(0);
    expect(await usage(p)).toEqual(before);
  });

  test('with two classes: 0 epochs, a batch larger than the training set, an empty or unreadable learning rate, a tiny image size', async () => {
    const p = await page();
    await importZip(p, { name: 'sandals.zip', bytes: subsetZip(FASHION(), PER_CLASS, ['sandal']) });
    await setInputs(p, { imageSize: 22, epochs: 1, batchSize: 32, learningRate: 0.001 });
    // 80 training images, batch 32: trainable.
    await expectTrainable(p);

    await setInputs(p, { epochs: 0 });
    await expectBlocked(p, ['Epochs must be a whole number of at least 1 (got 0).']);
    await setInputs(p, { epochs: 1, batchSize: 81 });
    await expectBlocked(p, ['Batch size 81 is larger than the 80 training images: use at most 80.']);
    await setInputs(p, { batchSize: 80, learningRate: '' });
    await expectBlocked(p, ['Learning rate must be a number.']);
    // Not a number: the browser's number input holds "1e-" as bad input (value "").
    await spinbutton(p, 'Learning rate').fill('');
    await spinbutton(p, 'Learning rate').pressSequentially('1e-');
    await expectBlocked(p, ['Learning rate must be a number.']);
    await setInputs(p, { learningRate: 0.001, imageSize: 21 });
    await expectBlocked(p, [/^Image size must be a whole number of pixels from 22 to \d+ \(got 21\)\.$/]);

    // Several at once: every reason is listed.
    await setInputs(p, { imageSize: 22, epochs: 0, batchSize: 1000, learningRate: '' });
    await expectBlocked(p, ['Learning rate must be a number.']);
    await setInputs(p, { learningRate: 0 });
    await expectBlocked(p, [
      'Epochs must be a whole number of at least 1 (got 0).',
      'Batch size 1000 is larger than the 80 training images: use at most 80.',
      'Learning rate must be a number greater than 0 (got 0).',
    ]);

    await setInputs(p, { epochs: 1, batchSize: 32, learningRate: 0.001 });
    await expectTrainable(p);
    const { pageErrors, consoleErrors } = await session.shared();
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
