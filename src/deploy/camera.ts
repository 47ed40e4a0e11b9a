/** The camera as a video element, or an error a person can act on. */
export async function openCamera(video: HTMLVideoElement): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('This browser gives no camera to this page (cameras need https:// or localhost).');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (error) {
    const name = (error as DOMException).name;
    if (name === 'NotAllowedError') throw new Error('The camera was not allowed: allow it in the browser’s site settings, then try again.');
    if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new Error('No camera was found.');
    if (name === 'NotReadableError') throw new Error('The camera is in use by another program.');
    throw new Error(`The camera could not be opened (${(error as Error).message}).`);
  }
  video.srcObject = stream;
  await video.play();
  return stream;
}
