// bench:curation, camera capture with Chromium's fake camera (a 640×480 test pattern): Capture
// held for HOLD_MS with the pointer; frames captured per second (the "Frames captured" count /
// the hold), against the frames the camera delivered to the preview in the same hold
// (requestVideoFrameCallback: the anchor); and the time from pressing Capture to the first
// captured frame's thumbnail decoded on screen.
import { openObserved } from './page-clock.mjs';

export const HOLD_MS = 5_000;
const FAKE_CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** @param {string} url */
export async function cameraRun(url) {
  const app = await openObserved(url, FAKE_CAMERA);
  const { page } = app;
  try {
    await page.getByRole('button', { name: 'Use camera', exact: true }).click();
    const camera = page.getByRole('region', { name: 'Camera', exact: true });
    await page.waitForFunction(() => /** @type {HTMLVideoElement | null} */ (document.querySelector('video[aria-label="Camera preview"]'))?.videoWidth);
    await camera.getByRole('combobox', { name: 'Class', exact: true }).fill('pattern');
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      const video = /** @type {HTMLVideoElement} */ (document.querySelector('video[aria-label="Camera preview"]'));
      const capture = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Capture');
      w.__camera = { down: 0, up: 0, firstThumbnail: 0, videoFrames: 0, width: video.videoWidth, height: video.videoHeight };
      capture?.addEventListener('pointerdown', () => (w.__camera.down = performance.now()), { capture: true });
      capture?.addEventListener('pointerup', () => (w.__camera.up = performance.now()), { capture: true });
      const frame = () => {
        if (w.__camera.down && !w.__camera.up) w.__camera.videoFrames++;
        video.requestVideoFrameCallback(frame);
      };
      video.requestVideoFrameCallback(frame);
      const look = () => {
        const img = /** @type {HTMLImageElement | null} */ (document.querySelector('ul[aria-label="Captured frames"] img'));
        if (img?.complete && img.naturalWidth > 0) w.__camera.firstThumbnail = performance.now();
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await camera.getByRole('button', { name: 'Capture', exact: true }).hover();
    await page.mouse.down();
    await page.waitForTimeout(HOLD_MS);
    await page.mouse.up();
    await page.waitForTimeout(500);
    const status = await camera.getByRole('status', { name: 'Frames captured', exact: true }).innerText();
    const frames = Number(status.replace(/\D+/g, ''));
    const marks = await page.evaluate(() => /** @type {any} */ (window).__camera);
    const heldMs = marks.up - marks.down;
    return {
      frames,
      heldMs,
      framesPerSecond: frames / (heldMs / 1000),
      cameraFps: marks.videoFrames / (heldMs / 1000),
      toThumbnailMs: marks.firstThumbnail - marks.down,
      size: `${marks.width}×${marks.height}`,
      chromium: app.version,
    };
  } finally {
    await app.close();
  }
}
