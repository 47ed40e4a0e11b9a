/** What getUserMedia's failure means for the user, in a sentence that says what to do. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed. To use it, allow the camera for this page in the browser’s site settings, then press “Use camera” again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect a camera (or enable it), then press “Use camera” again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started: another program or tab may be using it. Close it there, then press “Use camera” again.';
    default:
      return `The camera could not be started: ${(error as Error)?.message ?? String(error)}`;
  }
}
