/** Job ids of the train worker, unique across everything in this page that trains there (Train, the experiment queue, Reproduce). */
let last = 0;

export function nextTrainJobId(): number {
  last += 1;
  return last;
}
