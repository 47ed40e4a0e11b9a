import { describe, expect, it } from 'vitest';
import { cameraProblem } from '../../src/app/input/camera-problem';

describe('camera problems, as getUserMedia reports them', () => {
  it('says what to do for a refusal, no camera, a camera in use, and anything else', () => {
    expect(cameraProblem(new DOMException('Permission denied', 'NotAllowedError'))).toMatch(/^The camera was not allowed\. .*site settings/);
    expect(cameraProblem(new DOMException('Requested device not found', 'NotFoundError'))).toMatch(/^No camera was found\./);
    expect(cameraProblem(new DOMException('Could not start video source', 'NotReadableError'))).toBe(
      'The camera could not be started: another program or tab may be using it. Close it there, then press “Use camera” again.',
    );
    expect(cameraProblem(new TypeError('bad constraints'))).toBe('The camera could not be started: bad constraints');
  });
});
